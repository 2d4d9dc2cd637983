import { readFileSync } from "node:fs";
import path from "node:path";
import { parseEnv } from "node:util";
import { ConfigError } from "./config-error.js";

/** Where the service's secrets live (`NAME=value` lines), for systemd, launchd and a shell alike. */
export function serviceEnvFile(home: string): string {
  return path.join(home, "service.env");
}

/** The variables `$VIGIL_HOME/service.env` sets; empty when there is no such file. */
export function readServiceEnv(home: string): Record<string, string> {
  const file = serviceEnvFile(home);
  let text: string;
  try {
    text = readFileSync(file, "utf8");
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "ENOENT") return {};
    throw new ConfigError({ keyPath: "", file, problem: `cannot be read (${(error as Error).message})`, fix: `chmod 600 ${file} and make sure you own it` });
  }
  return Object.fromEntries(Object.entries(parseEnv(text)).filter((entry): entry is [string, string] => entry[1] !== undefined));
}

/**
 * The environment a verb or the daemon runs with: service.env underneath, the process's own
 * environment on top (it wins where both set a name). launchd has no EnvironmentFile and a shell
 * never sourced the file, so reading it here is what makes all three see the same secrets.
 */
export function withServiceEnv(env: NodeJS.ProcessEnv, home: string): NodeJS.ProcessEnv {
  return { ...readServiceEnv(home), ...env };
}
