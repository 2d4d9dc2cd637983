import { hash } from "node:crypto";

/** The hash a chain starts from: the `prevHash` of the first row. */
export const GENESIS_HASH = "0".repeat(64);

export interface HashedFields {
  seq: number;
  ts: string;
  day: string;
  kind: string;
  summary: string;
  /** The stored canonical JSON text, hashed byte for byte. */
  data: string;
  prevHash: string;
}

/**
 * SHA-256 over a canonical encoding of the row and its predecessor's hash. `seq` is part of it, so
 * moving, inserting or renumbering rows breaks the chain as surely as editing them.
 */
export function hashEntry(fields: HashedFields): string {
  const encoding = JSON.stringify([fields.seq, fields.ts, fields.day, fields.kind, fields.summary, fields.data, fields.prevHash]);
  // One-shot hash: no Hash object per row, which verify of a million rows would feel.
  return hash("sha256", encoding, "hex");
}
