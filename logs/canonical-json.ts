/**
 * JSON with object keys sorted at every depth, so equal data always hashes the same. `mapString`
 * (the journal's redaction) is applied to every string value on the same walk, instead of a copy
 * of its own.
 */
export function canonicalJson(value: unknown, mapString?: (text: string) => string): string {
  return JSON.stringify(_sortKeys(value, mapString));
}

/**
 * Plain loops rather than entries/fromEntries, since every journal row and action key passes
 * through here. The default sort compares UTF-16 code units, the order this has always used, so
 * stored hashes and ledger keys stay the same. A null prototype keeps a `__proto__` key (JSON
 * from outside may carry one) an ordinary property, as it was.
 */
function _sortKeys(value: unknown, mapString: ((text: string) => string) | undefined): unknown {
  if (typeof value === "string") return mapString ? mapString(value) : value;
  if (Array.isArray(value)) return value.map((inner) => _sortKeys(inner, mapString));
  if (value && typeof value === "object" && !(value instanceof Date)) {
    const source = value as Record<string, unknown>;
    const sorted: Record<string, unknown> = Object.create(null);
    for (const key of Object.keys(source).sort()) {
      const inner = source[key];
      if (inner !== undefined) sorted[key] = _sortKeys(inner, mapString);
    }
    return sorted;
  }
  return value;
}
