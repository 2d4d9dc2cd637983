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
  if (options.json) writeLine(io.stdout, JSON.stringify(results));
  else for (const check of results) writeLine(io.stdout, `${check.ok ? "ok  " : "FAIL"} ${check.name}: ${check.detail}${check.fix ? `\n     fix: ${check.fix}` : ""}`);
  return results.every((check) => check.ok) ? EXIT.ok : EXIT.failed;
}

function _doctorEnv(io: CliIo): DoctorEnv {
  const service = serviceEnvironment(io);
  return {
    serviceFile: process.platform === "linux" || process.platform === "darwin" ? planInstall(service).file : undefined,
    inotifyFile: process.platform === "linux" ? path.join("/proc/sys/fs/inotify/max_user_watches") : undefined,
    shellEnv: io.env,
  };
}
