import { createHmac, randomBytes, timingSafeEqual } from "node:crypto";

export const SESSION_COOKIE = "vigil_session";
export const SESSION_TTL_MS = 30 * 24 * 60 * 60_000;

export interface PageSession {
  id: string;
  /** Sent with every POST in the `X-CSRF-Token` header; derived from the session, never stored. */
  csrf: string;
}

/**
 * Stateless sessions signed with the page secret: `v1.<expires>.<id>.<mac>`. Nothing to store,
 * and a new secret ends them all.
 */
export function createPageSessions(secret: Buffer) {
  const mac = (text: string) => createHmac("sha256", secret).update(text).digest("base64url");
  const session = (id: string): PageSession => ({ id, csrf: mac(`csrf:${id}`) });
  return {
    /** A new session and the `Set-Cookie` value that carries it. */
    start(now: Date): { session: PageSession; cookie: string } {
      const id = randomBytes(18).toString("base64url");
      const expires = now.getTime() + SESSION_TTL_MS;
      const payload = `v1.${expires}.${id}`;
      const cookie = `${SESSION_COOKIE}=${payload}.${mac(payload)}; Path=/; HttpOnly; SameSite=Strict; Max-Age=${SESSION_TTL_MS / 1000}`;
      return { session: session(id), cookie };
    },
    /** The session a request's cookie carries, when its signature holds and it has not expired. */
    read(cookieHeader: string | undefined, now: Date): PageSession | undefined {
      const value = _cookie(cookieHeader, SESSION_COOKIE);
      const match = value && /^(v1\.(\d{1,15})\.([A-Za-z0-9_-]{24}))\.([A-Za-z0-9_-]{43})$/.exec(value);
      if (!match || Number(match[2]) <= now.getTime() || !_same(match[4]!, mac(match[1]!))) return undefined;
      return session(match[3]!);
    },
    checkCsrf: (current: PageSession, token: unknown) => typeof token === "string" && _same(token, current.csrf),
  };
}

export type PageSessions = ReturnType<typeof createPageSessions>;

function _cookie(header: string | undefined, name: string): string | undefined {
  for (const part of (header ?? "").split(";")) {
    const [key, ...rest] = part.trim().split("=");
    if (key === name) return rest.join("=");
  }
  return undefined;
}

function _same(a: string, b: string): boolean {
  const left = Buffer.from(a);
  const right = Buffer.from(b);
  return left.length === right.length && timingSafeEqual(left, right);
}
