import path from "node:path";
import type { Command } from "commander";
import { ConfigError } from "../../config/config-error.js";
import { openContext } from "../../context/open-context.js";
import { runDoctorChecks, type CheckResult, type DoctorEnv } from "../../doctor/doctor-checks.js";
import { planInstall } from "../../service/install-service.js";
import { writeLine, type CliIo } from "../cli-io.js";
import { EXIT } from "../exit-codes.js";
import { serviceEnvironment } from "./service-commands.js";

export function registerDoctorCommand(program: Command, io: CliIo, setExit: (code: number) => void): void {
  program
    .command("doctor")
    .description("check config, database, model provider, notifiers, webhook port, watch limits and the service; say what to fix")
    .option("--json", "print the checks as JSON")
    .action(async (options: { json?: boolean }) => setExit(await runDoctor(io, options)));
}

export async function runDoctor(io: CliIo, options: { json?: boolean }): Promise<number> {
  let results: CheckResult[];
  try {
    const ctx = openContext({ env: io.env, now: io.now });
    try {
      results = await runDoctorChecks(ctx, _doctorEnv(io));
    } finally {
      ctx.close();
    }
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error;
    results = [{ name: "config", ok: false, detail: error.message.split("\n")[0]!, fix: error.fix }];
  }
  const levelled = results.map(({ name, ok, warn, detail, fix }) => ({ name, level: _levelOf({ ok, warn, fix }), ok, detail, ...(fix ? { fix } : {}) }));
  if (options.json) writeLine(io.stdout, JSON.stringify(levelled));
  else _printChecks(io, levelled);
  // Warnings are things Vigil runs fine without: only a failure is exit 1.
  return results.every((check) => check.ok) ? EXIT.ok : EXIT.failed;
}

/** A passing check that still names a fix (github with no token while polling is off) is a warning too. */
function _levelOf(check: Pick<CheckResult, "ok" | "warn" | "fix">): "ok" | "warn" | "fail" {
  return !check.ok ? "fail" : check.warn || check.fix ? "warn" : "ok";
}

function _printChecks(io: CliIo, checks: Array<{ name: string; level: "ok" | "warn" | "fail"; detail: string; fix?: string }>): void {
  const label = { ok: "ok  ", warn: "WARN", fail: "FAIL" };
  for (const check of checks) writeLine(io.stdout, `${label[check.level]} ${check.name}: ${check.detail}${check.fix ? `\n     fix: ${check.fix}` : ""}`);
  const count = (level: string) => checks.filter((check) => check.level === level).length;
  writeLine(io.stdout, `${count("fail")} failed, ${count("warn")} warning(s), ${count("ok")} ok`);
}

function _doctorEnv(io: CliIo): DoctorEnv {
  const service = serviceEnvironment(io);
  return {
    serviceFile: process.platform === "linux" || process.platform === "darwin" ? planInstall(service).file : undefined,
    inotifyFile: process.platform === "linux" ? path.join("/proc/sys/fs/inotify/max_user_watches") : undefined,
  };
}
