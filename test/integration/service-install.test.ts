import { spawnSync } from "node:child_process";
import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import { PassThrough } from "node:stream";
import plist from "plist";
import { describe, expect, it } from "vitest";
import { runInstall, runUninstall, serviceEnvironment } from "../../daemon/cli/commands/service-commands.js";
import type { CliIo } from "../../daemon/cli/cli-io.js";
import { renderLaunchdPlist, renderSystemdUnit } from "../../daemon/service/render-service-files.js";
import type { CommandRunner } from "../../daemon/service/install-service.js";
import { makeTempHome } from "../support/temp-home.js";
import { cleanEnv, runVigil, VIGIL_BIN } from "../support/run-vigil.js";
import { checkSystemTools } from "../support/system-tools.js";

const systemdTools = checkSystemTools({ "systemd-analyze": "systemd" });

function recorder(failing: string[] = []) {
  const calls: string[] = [];
  const run: CommandRunner = (command, args) => {
    const line = [command, ...args].join(" ");
    calls.push(line);
    return failing.some((prefix) => line.startsWith(prefix)) ? { code: 1, stdout: "", stderr: "Failed to connect to bus: No medium found" } : { code: 0, stdout: "", stderr: "" };
  };
  return { calls, run };
}

function io(home: string): CliIo & { out: () => string; err: () => string } {
  const stdout = new PassThrough();
  const stderr = new PassThrough();
  let out = "";
  let err = "";
  stdout.on("data", (chunk) => (out += chunk));
  stderr.on("data", (chunk) => (err += chunk));
  return { env: { HOME: home, VIGIL_HOME: path.join(home, "vigil home & <data>") }, stdout, stderr, now: () => new Date(), out: () => out, err: () => err };
}

const paths = (home: string) => ({ node: process.execPath, script: VIGIL_BIN, vigilHome: path.join(home, "odd & <name> 100%"), envFile: path.join(home, "service.env"), logDir: path.join(home, "Logs") });

describe("vigil install / uninstall", () => {
  it.skipIf(systemdTools.skip)(systemdTools.title("the systemd unit passes systemd-analyze verify with nothing on stderr, and has what the issue asks"), () => {
    systemdTools.assertPresent();
    const home = makeTempHome();
    const unit = renderSystemdUnit(paths(home));
    const file = path.join(home, "vigil.service");
    writeFileSync(file, unit);
    const runtime = path.join(home, "xdg");
    mkdirSync(runtime, { mode: 0o700 });
    const verify = spawnSync("systemd-analyze", ["--user", "verify", file], { encoding: "utf8", env: { ...process.env, XDG_RUNTIME_DIR: runtime } });
    expect(verify.error).toBeUndefined();
    expect(verify.stderr).toBe("");
    expect(verify.status).toBe(0);
    for (const line of ["Type=exec", "Restart=on-failure", "RestartPreventExitStatus=78", "NoNewPrivileges=true", "WantedBy=default.target", "TimeoutStopSec=30"]) {
      expect(unit).toContain(`\n${line}\n`);
    }
    expect(unit).toMatch(/\[Unit\][^[]*StartLimitIntervalSec=300\nStartLimitBurst=5/);
    expect(unit).toContain(`ExecStart=${process.execPath} ${VIGIL_BIN} start`);
    expect(unit).toContain('Environment="VIGIL_HOME=');
    expect(unit).toContain("100%%");
    expect(unit).toContain("EnvironmentFile=-");
    expect(unit).not.toContain("network-online.target\n");
  });

  it("the launchd plist parses strictly, has the keys, and escapes & and <", () => {
    const home = makeTempHome();
    const xml = renderLaunchdPlist(paths(home));
    const parsed = plist.parse(xml) as Record<string, any>;
    expect(parsed).toMatchObject({
      Label: "dev.vigil.daemon",
      ProgramArguments: [process.execPath, VIGIL_BIN, "start"],
      EnvironmentVariables: { VIGIL_HOME: paths(home).vigilHome },
      RunAtLoad: true,
      KeepAlive: { SuccessfulExit: false },
      ThrottleInterval: 30,
      ProcessType: "Background",
      StandardOutPath: path.join(home, "Logs", "vigil.log"),
    });
    expect(xml).toContain("odd &amp; &lt;name&gt; 100%");
  });

  it("--dry-run prints the unit and the commands, changes nothing, and is stable", () => {
    const home = makeTempHome();
    const env = cleanEnv(home);
    const first = runVigil(["install", "--dry-run"], env);
    expect(first.code).toBe(0);
    expect(first.stdout).toContain(`would write ${path.join(home, ".config/systemd/user/vigil.service")}`);
    expect(first.stdout).toContain("systemctl --user enable --now vigil.service");
    expect(runVigil(["install", "--dry-run"], env).stdout).toBe(first.stdout);
    expect(existsSync(path.join(home, ".config"))).toBe(false);
  });

  it("install writes and enables once; a second install changes nothing; uninstall stops and removes", () => {
    const home = makeTempHome();
    const { calls, run } = recorder();
    const first = io(home);
    expect(runInstall(first, {}, serviceEnvironment(first, run))).toBe(0);
    const unitFile = path.join(home, ".config/systemd/user/vigil.service");
    const written = readFileSync(unitFile, "utf8");
    expect(calls).toEqual(["systemctl --user show-environment", "systemctl --user daemon-reload", "systemctl --user enable --now vigil.service"]);
    expect(first.out()).toContain("loginctl enable-linger");

    const second = io(home);
    expect(runInstall(second, {}, serviceEnvironment(second, run))).toBe(0);
    expect(second.out()).toContain("already installed");
    expect(calls).toHaveLength(3);
    expect(readFileSync(unitFile, "utf8")).toBe(written);

    const removal = io(home);
    expect(runUninstall(removal, serviceEnvironment(removal, run))).toBe(0);
    expect(existsSync(unitFile)).toBe(false);
    expect(calls.slice(3)).toEqual(["systemctl --user show-environment", "systemctl --user disable --now vigil.service", "systemctl --user daemon-reload"]);
  });

  it("on macOS: the LaunchAgent plist, then launchctl bootstrap gui/UID", () => {
    const home = makeTempHome();
    const { calls, run } = recorder(["launchctl bootout"]);
    const cli = io(home);
    const env = { ...serviceEnvironment(cli, run), platform: "darwin" as const, uid: 501 };
    expect(runInstall(cli, {}, env)).toBe(0);
    const file = path.join(home, "Library/LaunchAgents/dev.vigil.daemon.plist");
    expect(plist.parse(readFileSync(file, "utf8"))).toMatchObject({ Label: "dev.vigil.daemon", RunAtLoad: true });
    expect(existsSync(path.join(home, "Library/Logs/vigil"))).toBe(true);
    expect(calls).toEqual(["launchctl print gui/501", "launchctl bootout gui/501/dev.vigil.daemon", `launchctl bootstrap gui/501 ${file}`]);
    expect(runInstall(io(home), {}, env)).toBe(0);
    expect(calls).toHaveLength(3);
  });

  it("without a service manager (a container) it says so and writes nothing", () => {
    const home = makeTempHome();
    const { run } = recorder(["systemctl --user show-environment"]);
    const cli = io(home);
    expect(runInstall(cli, {}, serviceEnvironment(cli, run))).toBe(1);
    expect(cli.err()).toMatch(/no systemd user manager is reachable.*container/);
    expect(existsSync(path.join(home, ".config/systemd/user/vigil.service"))).toBe(false);
  });
});
