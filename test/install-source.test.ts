import { describe, expect, it } from "vitest";
import { checkInstallSource } from "../daemon/service/check-install-source.js";
import { cleanEnv, ROOT, runVigil } from "./support/run-vigil.js";
import { makeTempHome } from "./support/temp-home.js";

describe("vigil install points the service at an installed command", () => {
  it("an installed package is fine; an npx cache or a source checkout is warned about, with the fix", () => {
    expect(checkInstallSource("/usr/local/lib/node_modules/vigil-daemon/dist/daemon/cli/main.js")).toEqual([]);
    const [npx] = checkInstallSource("/home/me/.npm/_npx/3f2a/node_modules/vigil-daemon/dist/daemon/cli/main.js");
    expect(npx).toMatch(/temporary npx cache .*npm install -g vigil-daemon/);
    const [checkout] = checkInstallSource("/home/me/src/vigil/dist/daemon/cli/main.js");
    expect(checkout).toMatch(/source checkout \(\/home\/me\/src\/vigil\).*npm install -g vigil-daemon/);
  });

  it("run from this source checkout, install --dry-run still prints the unit and warns on stderr", () => {
    const result = runVigil(["install", "--dry-run"], cleanEnv(makeTempHome()));
    expect(result.code).toBe(0);
    expect(result.stdout).toContain("would write");
    expect(result.stderr).toContain(`vigil: warning: the service would run ${ROOT}/dist/daemon/cli/main.cjs, from a source checkout (${ROOT})`);
  });
});
