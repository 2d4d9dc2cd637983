/**
 * JSON with object keys sorted at every depth, so equal data always hashes the same. `redactText`
 * (the journal's redaction) is applied to every string value on the same walk, instead of a copy
 * of its own. It must leave text with nothing to redact unchanged (as a redactor does): data whose
 * keys are already in order is serialized as it is, and only when redacting that text whole
 * changes nothing is it taken as it is.
 */
export function canonicalJson(value: unknown, redactText?: (text: string) => string): string {
  if (_isInOrder(value)) {
    const text = JSON.stringify(value);
    if (!redactText || redactText(text) === text) return text;
  }
  return JSON.stringify(_sortKeys(value, redactText));
}

/**
 * True when JSON.stringify alone gives the canonical text: plain objects whose keys already come
 * in sort order, at every depth. Anything else (a Date, a class instance) takes the copying walk.
 */
function _isInOrder(value: unknown): boolean {
  if (value === null || typeof value !== "object") return true;
  if (Array.isArray(value)) {
    for (const inner of value) if (!_isInOrder(inner)) return false;
    return true;
  }
  const prototype = Object.getPrototypeOf(value);
  if (prototype !== Object.prototype && prototype !== null) return false;
  let previous: string | undefined;
  // for…in lists integer-like keys first, numerically: "10" after "9" is out of order and falls back.
  for (const key in value) {
    if (previous !== undefined && !(previous < key)) return false;
    previous = key;
    if (!_isInOrder((value as Record<string, unknown>)[key])) return false;
  }
  return true;
}

/**
 * Plain loops rather than entries/fromEntries, since every journal row and action key passes
 * through here. The default sort compares UTF-16 code units, the order this has always used, so
 * stored hashes and ledger keys stay the same. A `__proto__` key (JSON from outside may carry
 * one) is defined, not assigned, so it stays an ordinary property, as it was.
 */
function _sortKeys(value: unknown, redactText: ((text: string) => string) | undefined): unknown {
  if (typeof value === "string") return redactText ? redactText(value) : value;
  if (Array.isArray(value)) return value.map((inner) => _sortKeys(inner, redactText));
  if (value && typeof value === "object" && !(value instanceof Date)) {
    const source = value as Record<string, unknown>;
    const sorted: Record<string, unknown> = {};
    for (const key of Object.keys(source).sort()) {
      const inner = source[key];
      if (inner === undefined) continue;
      if (key === "__proto__") Object.defineProperty(sorted, key, { value: _sortKeys(inner, redactText), enumerable: true, writable: true, configurable: true });
      else sorted[key] = _sortKeys(inner, redactText);
    }
    return sorted;
  }
  return value;
}
