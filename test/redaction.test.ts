import { readFileSync, readdirSync, statSync, writeFileSync } from "node:fs";
import path from "node:path";
import { Writable } from "node:stream";
import { describe, expect, it } from "vitest";
import { createLogger } from "../daemon/logger/create-logger.js";
import { createRedactor } from "../daemon/logger/redact-secrets.js";
import { makeTempHome } from "./support/temp-home.js";
import { cleanEnv, runVigil } from "./support/run-vigil.js";

function collectingStream() {
  let text = "";
  const stream = new Writable({
    write(chunk, _encoding, done) {
      text += chunk;
      done();
    },
  });
  return { stream, text: () => text };
}

function allFilesUnder(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const file = path.join(dir, name);
    return statSync(file).isDirectory() ? allFilesUnder(file) : [file];
  });
}

describe("secrets never reach the operational log or the journal", () => {
  it("pino output has every env: value and every token shape redacted, even JSON-escaped ones", () => {
    const secret = 'hook"secret\\value-123';
    const out = collectingStream();
    const logger = createLogger({ env: { VIGIL_LOG_LEVEL: "debug" }, redact: createRedactor([secret]), destination: out.stream });
    logger.info({ header: `sha256=${secret}`, nested: { key: "sk-ant-api03-AAAAAAAAAAAAAAAA" } }, `posting with ${secret}`);
    logger.debug("token ghp_0123456789abcdefghijABCDEFGHIJ and github_pat_11ABCDEFG0123456789_abcdefghij");
    const text = out.text();
    expect(text.split("\n").filter(Boolean)).toHaveLength(2);
    expect(text).not.toContain("hook");
    expect(text).not.toContain("sk-ant-api03");
    expect(text).not.toContain("ghp_0123");
    expect(text).not.toContain("github_pat_11");
    expect(text.match(/\[REDACTED\]/g)!.length).toBeGreaterThanOrEqual(5);
  });

  it("an unknown VIGIL_LOG_LEVEL is a usage error naming it", () => {
    expect(() => createLogger({ env: { VIGIL_LOG_LEVEL: "chatty" }, redact: createRedactor() })).toThrow(/VIGIL_LOG_LEVEL/);
  });

  it("a webhook secret set through env: appears in no file under VIGIL_HOME and in no output", () => {
    const home = makeTempHome();
    const secret = "whsec-0f9e8d7c6b5a";
    writeFileSync(path.join(home, "config.yaml"), "github:\n  webhooks: { enabled: true, secret: env:HOOK_SECRET }\n");
    const env = cleanEnv(home, { HOOK_SECRET: secret, VIGIL_LOG_LEVEL: "trace" });
    const told = runVigil(["tell", `the secret is ${secret}`], env);
    const started = runVigil(["start", "--once"], env);
    const listed = runVigil(["log", "--json"], env);
    expect(started.code).toBe(0);
    expect(listed.stdout).toContain("the secret is [REDACTED]");
    for (const output of [told, started, listed]) expect(output.stdout + output.stderr).not.toContain(secret);
    const journalFiles = allFilesUnder(home).filter((file) => !file.endsWith("config.yaml"));
    expect(journalFiles.some((file) => file.endsWith(".md"))).toBe(true);
    // The database and its WAL included: SQLite stores text as plain bytes.
    for (const file of journalFiles) expect(readFileSync(file).toString("latin1"), file).not.toContain(secret);
    const journalBytes = runVigil(["log", "--json", "--grep", "secret"], env).stdout;
    expect(journalBytes).not.toContain(secret);
  });
});
