import { spawn } from "node:child_process";
import { mkdirSync, readdirSync, readFileSync, realpathSync, writeFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { makeTempHome } from "../support/temp-home.js";
import { ROOT } from "../support/run-vigil.js";

const PACKAGE = JSON.parse(readFileSync(path.join(ROOT, "package.json"), "utf8")) as { name: string; version: string };

/** A child process, killed if it outlives `timeoutMs` (an npm install that hangs must not outlive the test). */
function run(command: string, args: string[], options: { cwd: string; env: NodeJS.ProcessEnv; timeoutMs?: number }): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const child = spawn(command, args, { cwd: options.cwd, env: options.env, timeout: options.timeoutMs ?? 60_000, killSignal: "SIGKILL", stdio: ["ignore", "pipe", "pipe"] });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (chunk) => (stdout += chunk));
    child.stderr.on("data", (chunk) => (stderr += chunk));
    child.on("close", (code) => resolve({ code, stdout, stderr }));
  });
}

describe("the package as a user installs it", () => {
  it(
    "npm pack, npm install -g into a fresh prefix away from the source, then vigil runs from there",
    async () => {
      const work = makeTempHome("vigil-pack-");
      const prefix = path.join(work, "prefix");
      // This machine's environment (its CA certificates reach the registry), minus what `npm test`
      // sets about the source tree (npm_package_*, npm_config_local_prefix, INIT_CWD).
      const outer = Object.fromEntries(Object.entries(process.env).filter(([name]) => !/^(npm_|INIT_CWD$)/i.test(name)));
      const npmEnv = { ...outer, npm_config_update_notifier: "false", npm_config_fund: "false", npm_config_audit: "false" };
      // The build is already in dist/ (npm test builds first); pack what `files` ships.
      const packed = await run("npm", ["pack", "--ignore-scripts", "--pack-destination", work], { cwd: ROOT, env: npmEnv });
      expect(packed.code, packed.stderr).toBe(0);
      const tarball = path.join(work, readdirSync(work).find((name) => name.endsWith(".tgz"))!);
      expect(path.basename(tarball)).toBe(`${PACKAGE.name}-${PACKAGE.version}.tgz`);

      // From a directory that is not the source tree; dependencies come from the npm registry.
      const installed = await run("npm", ["install", "-g", "--prefix", prefix, tarball], { cwd: work, env: npmEnv, timeoutMs: 12 * 60_000 });
      expect(installed.code, installed.stderr).toBe(0);
      expect(installed.stderr).not.toMatch(/EBADENGINE|Unsupported engine/);
      const packageDir = path.join(prefix, "lib", "node_modules", PACKAGE.name);
      expect(realpathSync(packageDir).startsWith(ROOT)).toBe(false); // a copy, not a link to the checkout

      const home = path.join(work, "user");
      mkdirSync(path.join(home, "vigil"), { recursive: true, mode: 0o700 });
      writeFileSync(path.join(home, "vigil", "config.yaml"), "server: { port: 0 }\nnotify: { desktop: false, ntfy: { topic: vigil-ci } }\nrules: [ { when: { source: user }, do: notify } ]\n", { mode: 0o600 });
      const env = { PATH: `${path.join(prefix, "bin")}:${path.dirname(process.execPath)}:/usr/bin:/bin`, HOME: home, VIGIL_HOME: path.join(home, "vigil"), TZ: "UTC" };
      const vigil = (...args: string[]) => run(path.join(prefix, "bin", "vigil"), args, { cwd: home, env });

      expect((await vigil("--version")).stdout.trim()).toBe(PACKAGE.version);
      const doctor = await vigil("doctor");
      expect(doctor.code, doctor.stdout).toBe(0);
      expect(doctor.stdout).toMatch(/ok {3}model: rules provider/);
      expect((await vigil("tell", "hello from the installed package")).code).toBe(0);
      const once = await vigil("start", "--once");
      expect(once.code, once.stderr).toBe(0);
      expect(once.stderr).toContain("provider: rules");
      const log = await vigil("log", "--json");
      expect(log.stdout).toContain("hello from the installed package");
      expect((await vigil("log", "verify")).code).toBe(0);
      const install = await vigil("install", "--dry-run");
      expect(install.code, install.stderr).toBe(0);
      expect(install.stdout).toContain(`ExecStart=${process.execPath} ${realpathSync(path.join(packageDir, "dist", "daemon", "cli", "main.cjs"))} start`);
      expect(install.stderr).not.toContain("warning"); // an installed command is the stable path
    },
    15 * 60_000, // npm install fetches ~130 packages from the registry: minutes on a loaded machine
  );
});
