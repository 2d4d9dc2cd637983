import { createHash } from "node:crypto";
import { describe, expect, it } from "vitest";
import { createRedactor, REDACTED } from "../daemon/logger/redact-secrets.js";
import { canonicalJson } from "../logs/canonical-json.js";
import { GENESIS_HASH, hashEntry } from "../logs/hash-entry.js";

/** The encoding as it was before the fast paths: a sorted, redacted copy, then JSON.stringify. */
function referenceCanonicalJson(value: unknown, redactText?: (text: string) => string): string {
  const walk = (inner: unknown): unknown => {
    if (typeof inner === "string") return redactText ? redactText(inner) : inner;
    if (Array.isArray(inner)) return inner.map(walk);
    if (inner && typeof inner === "object" && !(inner instanceof Date)) {
      const sorted: Record<string, unknown> = Object.create(null);
      for (const key of Object.keys(inner).sort()) if ((inner as Record<string, unknown>)[key] !== undefined) sorted[key] = walk((inner as Record<string, unknown>)[key]);
      return sorted;
    }
    return inner;
  };
  return JSON.stringify(walk(value));
}

const SECRET = 'hook"secret\\value-123';
const HOSTILE = ['he said "hi"\\', "line\nbreak\ttab\r\b\f", "\u0000\u0001\u001f", "\u2028\u2029", "emoji 🦉 and ü", "", "\ud800 lone"];

const VALUES: unknown[] = [
  {},
  { a: 1, b: "two", c: [3, { d: 4, e: null }] },
  { b: 1, a: 2 },
  { z: { y: { x: 1, w: [2, { v: 3, u: 4 }] } } },
  { "9": "nine", "10": "ten", a: true },
  { "1": 1, "2": 2 },
  { B: 1, a: 2, _: 3, "": 4 },
  { when: new Date("2026-12-02T00:00:00Z"), a: 1 },
  { gone: undefined, kept: 1, list: [undefined, () => 1, 2] },
  JSON.parse('{"__proto__": {"polluted": true}, "a": 1}'),
  { note: `token ${SECRET} here`, nested: [{ key: "sk-ant-api03-AAAAAAAAAAAAAAAA" }] },
  { [`key-${SECRET}`]: "value" },
  { text: "ghp_0123456789abcdefghijABCDEFGHIJ" },
  ...HOSTILE.map((text) => ({ text, [text]: text })),
  [3, 1, 2],
  "plain",
  42,
  null,
];

describe("canonical JSON", () => {
  const redact = createRedactor([SECRET]);
  it.each(VALUES.map((value, index) => [index, value]))("value %i encodes as the sorted, redacted copy did", (_index, value) => {
    expect(canonicalJson(value)).toBe(referenceCanonicalJson(value));
    expect(canonicalJson(value, redact)).toBe(referenceCanonicalJson(value, redact));
  });

  it("redacts a secret inside data whose keys are already in order", () => {
    const text = canonicalJson({ a: `x ${SECRET} y`, b: "sk-ant-api03-AAAAAAAAAAAAAAAA" }, redact);
    expect(text).not.toContain("hook");
    expect(text).not.toContain("sk-ant-api03");
    expect(JSON.parse(text)).toEqual({ a: `x ${REDACTED} y`, b: REDACTED });
  });

  it("keeps a __proto__ key an ordinary property", () => {
    expect(canonicalJson(JSON.parse('{"b": 1, "__proto__": {"x": 1}}'))).toBe('{"__proto__":{"x":1},"b":1}');
  });
});

describe("the hash of a row", () => {
  const fields = { seq: 7, ts: "2026-12-02T02:40:00.000Z", day: "2026-12-02", kind: "noticed", summary: "s", data: "{}", prevHash: GENESIS_HASH };
  const reference = (row: typeof fields) => createHash("sha256").update(JSON.stringify([row.seq, row.ts, row.day, row.kind, row.summary, row.data, row.prevHash])).digest("hex");

  it.each(HOSTILE)("is SHA-256 over JSON.stringify of its fields, for a summary and data of %j", (text) => {
    const row = { ...fields, summary: text, data: JSON.stringify({ text }) };
    expect(hashEntry(row)).toBe(reference(row));
  });

  it("changes with the seq", () => {
    expect(hashEntry(fields)).not.toBe(hashEntry({ ...fields, seq: 8 }));
  });
});
