import { existsSync, readFileSync, statSync, writeFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { cleanEnv, runVigil } from "../support/run-vigil.js";
import { makeTempHome } from "../support/temp-home.js";

describe("the CLI's config cache", () => {
  it("a verb caches the validated config (0600); an edited config is read afresh, a bad one still fails with exit 2", () => {
    const home = makeTempHome();
    const env = cleanEnv(home, { TZ: "UTC" });
    const config = path.join(home, "config.yaml");
    writeFileSync(config, "timezone: Europe/Berlin\n");
    expect(runVigil(["tell", "first"], env).code).toBe(0);
    const cache = path.join(home, "run", "config-cache.json");
    expect(existsSync(cache)).toBe(true);
    expect(statSync(cache).mode & 0o777).toBe(0o600);
    expect(readFileSync(cache, "utf8")).toContain("Europe/Berlin");

    expect(runVigil(["tell", "second"], env).code).toBe(0);
    writeFileSync(config, "timezone: Asia/Tokyo\n");
    expect(JSON.parse(runVigil(["status", "--json"], env).stdout).home).toBe(home);
    expect(readFileSync(cache, "utf8")).toContain("Asia/Tokyo");

    writeFileSync(config, "heartbeat: { tickSeconds: -1 }\n");
    const bad = runVigil(["tell", "third"], env);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain("heartbeat.tickSeconds");
  });

  it("a torn cache file is only a miss", () => {
    const home = makeTempHome();
    const env = cleanEnv(home, { TZ: "UTC" });
    expect(runVigil(["tell", "first"], env).code).toBe(0);
    writeFileSync(path.join(home, "run", "config-cache.json"), '{"key": "abc", "conf');
    expect(runVigil(["tell", "second"], env).code).toBe(0);
    expect(JSON.parse(readFileSync(path.join(home, "run", "config-cache.json"), "utf8")).config.heartbeat.tickSeconds).toBe(5);
  });
});
