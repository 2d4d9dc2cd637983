/** JSON with object keys sorted at every depth, so equal data always hashes the same. */
export function canonicalJson(value: unknown): string {
  return JSON.stringify(_sortKeys(value));
}

/**
 * Plain loops rather than entries/fromEntries, since every journal row and action key passes
 * through here. The default sort compares UTF-16 code units, the order this has always used, so
 * stored hashes and ledger keys stay the same. A null prototype keeps a `__proto__` key (JSON
 * from outside may carry one) an ordinary property, as it was.
 */
function _sortKeys(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(_sortKeys);
  if (value && typeof value === "object" && !(value instanceof Date)) {
    const source = value as Record<string, unknown>;
    const sorted: Record<string, unknown> = Object.create(null);
    for (const key of Object.keys(source).sort()) {
      const inner = source[key];
      if (inner !== undefined) sorted[key] = _sortKeys(inner);
    }
    return sorted;
  }
  return value;
}
