import { createHash, createHmac, timingSafeEqual } from "node:crypto";

export type PhoneDecision = "approve" | "deny";

export interface ApprovalTokenClaims {
  /** The approval's id. */
  id: number;
  decision: PhoneDecision;
  /** SHA-256 of the exact input the notification showed: a changed call is not this one. */
  inputHash: string;
  /** Epoch milliseconds after which the button does nothing. */
  expiresAt: number;
}

/** The hash a token binds: of the approval's stored (canonical JSON) input. */
export function hashApprovalInput(input: string): string {
  return createHash("sha256").update(input).digest("hex");
}

/** `v1.CLAIMS.SIGNATURE`, base64url; HMAC-SHA256 over `v1.CLAIMS` with a key only VIGIL_HOME holds. */
export function signApprovalToken(key: Buffer, claims: ApprovalTokenClaims): string {
  const body = `v1.${Buffer.from(JSON.stringify([claims.id, claims.decision, claims.inputHash, claims.expiresAt])).toString("base64url")}`;
  return `${body}.${createHmac("sha256", key).update(body).digest("base64url")}`;
}

/** The claims of a genuine token, or why it is not one. Expiry and the approval's state are the caller's. */
export function verifyApprovalToken(key: Buffer, token: string): ApprovalTokenClaims | { refused: string } {
  const parts = token.trim().split(".");
  if (parts.length !== 3 || parts[0] !== "v1") return { refused: "not a Vigil approval token" };
  const expected = createHmac("sha256", key).update(`${parts[0]}.${parts[1]}`).digest();
  const given = Buffer.from(parts[2]!, "base64url");
  if (given.length !== expected.length || !timingSafeEqual(given, expected)) return { refused: "bad signature (forged or altered)" };
  try {
    const [id, decision, inputHash, expiresAt] = JSON.parse(Buffer.from(parts[1]!, "base64url").toString("utf8")) as [number, PhoneDecision, string, number];
    if (!Number.isInteger(id) || (decision !== "approve" && decision !== "deny") || typeof inputHash !== "string" || typeof expiresAt !== "number") return { refused: "malformed claims" };
    return { id, decision, inputHash, expiresAt };
  } catch {
    return { refused: "malformed claims" };
  }
}
