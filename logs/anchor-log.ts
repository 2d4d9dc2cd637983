import { appendFileSync, readFileSync } from "node:fs";
import path from "node:path";
import envPaths from "env-paths";
import { expandHome } from "../daemon/paths/expand-home.js";
import type { VigilDatabase } from "../daemon/store/open-database.js";
import { makePrivateDir, PRIVATE_FILE_MODE } from "../daemon/store/private-files.js";

/** One line of the anchor log: the journal's head at a moment, kept outside VIGIL_HOME. */
export interface Anchor {
  ts: string;
  /** The home whose journal this is: one anchor log may serve several homes. */
  home: string;
  seq: number;
  hash: string;
}

export type AnchorVerdict =
  | { ok: true; checked: number; otherHomes: number }
  | { ok: false; checked: number; otherHomes: number; seq: number; anchoredAt: string; reason: string };

/** `journal.anchor.file`, or anchors.jsonl in the user's state dir (env-paths' log dir: ~/.local/state/vigil on Linux). */
export function resolveAnchorFile(configured: string | undefined, env: NodeJS.ProcessEnv): string {
  return configured ? expandHome(configured, env) : path.join(envPaths("vigil", { suffix: "" }).log, "anchors.jsonl");
}

/** The newest journal row's seq and hash, or undefined for an empty journal. */
export function readJournalHead(db: VigilDatabase): { seq: number; hash: string } | undefined {
  return db.prepare<[], { seq: number; hash: string }>("SELECT seq, hash FROM journal ORDER BY seq DESC LIMIT 1").get();
}

/** Appends the current head to `file` (one JSON object per line); undefined when the journal is empty. */
export function appendAnchor(db: VigilDatabase, file: string, home: string, now: Date): Anchor | undefined {
  const head = readJournalHead(db);
  if (!head) return undefined;
  const anchor: Anchor = { ts: now.toISOString(), home, seq: head.seq, hash: head.hash };
  makePrivateDir(path.dirname(file));
  appendFileSync(file, `${JSON.stringify(anchor)}\n`, { mode: PRIVATE_FILE_MODE });
  return anchor;
}

/** Every well-formed anchor in `file`, in file order; throws when the file cannot be read. */
export function readAnchors(file: string): Anchor[] {
  const anchors: Anchor[] = [];
  for (const line of readFileSync(file, "utf8").split("\n")) {
    const anchor = _parseAnchor(line);
    if (anchor) anchors.push(anchor);
  }
  return anchors;
}

/**
 * Every anchored head of this home must still be in the chain with the same hash. A truncation
 * (the row is gone) or a rewrite (the row's hash changed, even if the chain re-verifies) is
 * reported at the first anchored seq, in seq order, that no longer matches. `hashAt` looks up a
 * row's stored hash on either engine (logs/journal-reader.ts).
 */
export async function verifyAnchors(hashAt: (seq: number) => Promise<string | undefined>, anchors: readonly Anchor[], home: string): Promise<AnchorVerdict> {
  const mine = anchors.filter((anchor) => anchor.home === home).sort((a, b) => a.seq - b.seq);
  const otherHomes = anchors.length - mine.length;
  for (const anchor of mine) {
    const hash = await hashAt(anchor.seq);
    if (hash !== anchor.hash) {
      const reason = hash !== undefined ? "its hash differs from the anchored one (history rewritten)" : "the row is gone (journal truncated)";
      return { ok: false, checked: mine.length, otherHomes, seq: anchor.seq, anchoredAt: anchor.ts, reason };
    }
  }
  return { ok: true, checked: mine.length, otherHomes };
}

function _parseAnchor(line: string): Anchor | undefined {
  if (!line.trim()) return undefined;
  try {
    const value = JSON.parse(line) as Partial<Anchor>;
    const valid = typeof value.seq === "number" && typeof value.hash === "string" && typeof value.home === "string" && typeof value.ts === "string";
    return valid ? (value as Anchor) : undefined;
  } catch {
    return undefined;
  }
}
