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

/** Characters JSON.stringify never escapes and that cannot end a string: `"` and `\` are not among them. */
const _PLAIN = /^[\w:.+-]*$/;

/**
 * SHA-256 over a canonical encoding of the row and its predecessor's hash. `seq` is part of it, so
 * moving, inserting or renumbering rows breaks the chain as surely as editing them.
 */
export function hashEntry(fields: HashedFields): string {
  // One-shot hash: no Hash object per row, which verify of a million rows would feel.
  return hash("sha256", encodeHashedFields(fields), "hex");
}

/**
 * JSON.stringify([seq, ts, day, kind, summary, data, prevHash]), byte for byte. The fields Vigil
 * makes itself (an ISO time, a date, a kind, a hex hash) need no escaping, so they are joined as
 * they are, which halves the cost of a row; a row whose fields are anything else (an edited
 * database, say) is encoded by JSON.stringify itself.
 */
export function encodeHashedFields({ seq, ts, day, kind, summary, data, prevHash }: HashedFields): string {
  if (!Number.isSafeInteger(seq) || !_PLAIN.test(ts + day + kind + prevHash)) {
    return JSON.stringify([seq, ts, day, kind, summary, data, prevHash]);
  }
  return `[${seq},"${ts}","${day}","${kind}",${JSON.stringify(summary)},${JSON.stringify(data)},"${prevHash}"]`;
}
