import type { ColumnKind } from "./copy-sides.js";
import { StoreCopyError } from "./store-copy-error.js";

/**
 * A value as it leaves the source, held to its column's kind: an integer column holds integers
 * (SQLite would also keep a stray real or text there, which the other engine cannot), a text
 * column text. `where` names the row for the error, and is only built when there is one.
 */
export function checkCopyValue(value: unknown, kind: ColumnKind, where: () => string): bigint | string | null {
  if (value === null || value === undefined) return null;
  if (kind === "integer") {
    if (typeof value === "bigint") return value;
    if (typeof value === "number" && Number.isInteger(value)) return BigInt(value);
  } else if (typeof value === "string") {
    return value;
  }
  throw new StoreCopyError(`${where()} holds ${_describe(value)} where the schema has ${kind === "integer" ? "an integer" : "text"}; the other engine cannot store it as it is, so nothing was copied: correct that row in the source, then copy again`);
}

function _describe(value: unknown): string {
  if (Buffer.isBuffer(value)) return `a blob of ${value.length} bytes`;
  if (typeof value === "string") return `the text ${JSON.stringify(value.length > 40 ? `${value.slice(0, 40)}…` : value)}`;
  return `the ${typeof value} ${String(value)}`;
}
