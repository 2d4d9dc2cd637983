/** Token shapes that are secrets wherever they turn up, even when Vigil did not load them itself. */
const SECRET_PATTERNS = [
  /sk-ant-[A-Za-z0-9_-]{8,}/g,
  /github_pat_[A-Za-z0-9_]{20,}/g,
  /gh[pousr]_[A-Za-z0-9]{20,}/g,
];

export const REDACTED = "[REDACTED]";

export type Redactor = <T>(value: T) => T;

/**
 * Builds a redactor that replaces every known secret value and every token-shaped string, in a
 * string or anywhere inside a JSON-like value. Values shorter than 4 characters are not treated as
 * secrets, since replacing them would mangle ordinary text.
 */
export function createRedactor(secretValues: readonly string[] = []): Redactor {
  // Also the JSON-escaped form, since log lines are redacted after serialization.
  const forms = secretValues.filter((value) => value.length >= 4).flatMap((value) => [value, JSON.stringify(value).slice(1, -1)]);
  const values = [...new Set(forms)].sort((a, b) => b.length - a.length);
  // One scan says whether a string holds anything to replace; almost none do, and the replacing
  // below (value by value, then pattern by pattern) is what a string that does goes through.
  const anySecret = new RegExp([...values.map(_escapeRegExp), ...SECRET_PATTERNS.map((pattern) => pattern.source)].join("|"));
  const redactText = (text: string): string => {
    if (!anySecret.test(text)) return text;
    let out = text;
    for (const value of values) out = out.split(value).join(REDACTED);
    for (const pattern of SECRET_PATTERNS) out = out.replace(pattern, REDACTED);
    return out;
  };
  const redact = (value: unknown): unknown => {
    if (typeof value === "string") return redactText(value);
    if (Array.isArray(value)) return value.map(redact);
    if (value && typeof value === "object") {
      const copy: Record<string, unknown> = {};
      // defineProperty, not assignment: a `__proto__` key from outside JSON stays a plain key.
      for (const key of Object.keys(value)) Object.defineProperty(copy, key, { value: redact((value as Record<string, unknown>)[key]), enumerable: true, writable: true, configurable: true });
      return copy;
    }
    return value;
  };
  return redact as Redactor;
}

function _escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
}
