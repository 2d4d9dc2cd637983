import { readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { loadConfig } from "../daemon/config/load-config.js";
import { makeTempHome } from "./support/temp-home.js";

const ROOT = path.resolve(import.meta.dirname, "..");
/** Every secret the examples name, so validation reaches every key. */
const ENV = { GITHUB_TOKEN: "t", NTFY_TOKEN: "t", VIGIL_WEBHOOK_SECRET: "s", LINEAR_TOKEN: "t", DOCS_AUTH: "t", VIGIL_DATABASE_URL: "postgres://x" };

function _firstYamlBlock(file: string): string {
  const text = readFileSync(path.join(ROOT, file), "utf8");
  const match = /```yaml\n([\s\S]*?)```/.exec(text);
  if (!match) throw new Error(`${file} has no yaml block`);
  return match[1]!;
}

describe("the full config examples in the docs are valid configs", () => {
  // Two merges once left a key's lines twice in these blocks; a newcomer copies them as they are.
  for (const file of ["README.md", "docs/DESIGN.md"]) {
    it(`${file}: its first yaml block loads with no error`, () => {
      const config = path.join(makeTempHome(), "config.yaml");
      writeFileSync(config, _firstYamlBlock(file));
      const loaded = loadConfig(config, ENV);
      expect(loaded.config.notify.desktopApprovals).toBe(true);
      expect(loaded.config.github.clones).toEqual({ "octo/app": expect.stringMatching(/code\/app$/) });
    });
  }
});
