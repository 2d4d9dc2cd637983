import { chmodSync, existsSync, readFileSync, writeFileSync } from "node:fs";
import type { RawConfig } from "../config/config-schema.js";

/** An environment variable the service will want, and why. */
export interface ServiceSecret {
  name: string;
  why: string;
}

/**
 * What the service needs in its environment for this config: what an enabled feature requires,
 * and what this shell has set (the person runs on it today; the service would silently lose it).
 */
export function listServiceSecrets(config: RawConfig, shell: NodeJS.ProcessEnv): ServiceSecret[] {
  const secrets: ServiceSecret[] = [];
  const add = (name: string | undefined, why: string | undefined) => name && why && !secrets.some((s) => s.name === name) && secrets.push({ name, why });
  const ref = (value: string | undefined) => (value?.startsWith("env:") ? value.slice(4) : undefined);
  const { model, github, notify } = config;
  add("ANTHROPIC_API_KEY", model.provider === "anthropic" ? "model.provider is anthropic" : model.provider === undefined && shell.ANTHROPIC_API_KEY ? "set in this shell; without it the service runs on the rules provider" : undefined);
  add("ANTHROPIC_BASE_URL", shell.ANTHROPIC_BASE_URL ? "set in this shell: the model server to use" : undefined);
  add(ref(github.token), github.poll.enabled ? "github.poll is on" : shell[ref(github.token) ?? ""] ? "set in this shell: GitHub comments and reviews need it" : undefined);
  add(ref(github.webhooks.secret), github.webhooks.enabled ? "github.webhooks is on" : undefined);
  add(ref(notify.ntfy.token), notify.ntfy.topic && shell[ref(notify.ntfy.token) ?? ""] ? "set in this shell for ntfy" : undefined);
  return secrets;
}

/** The names an env file sets (`NAME=value` lines; comments and blanks skipped). */
export function namesInEnvFile(file: string): Set<string> {
  if (!existsSync(file)) return new Set();
  const names = readFileSync(file, "utf8")
    .split("\n")
    .map((line) => /^\s*(?:export\s+)?([A-Za-z_][A-Za-z0-9_]*)\s*=/.exec(line)?.[1])
    .filter((name): name is string => Boolean(name));
  return new Set(names);
}

/** Adds NAME=value lines (0600: they are secrets), quoted the way systemd's EnvironmentFile reads them. */
export function appendToEnvFile(file: string, entries: ReadonlyArray<[string, string]>): void {
  const before = existsSync(file) ? readFileSync(file, "utf8") : "";
  const lines = entries.map(([name, value]) => `${name}=${/^[\w@%+:,./-]*$/.test(value) ? value : `"${value.replace(/[\\"]/g, (c) => `\\${c}`)}"`}`);
  writeFileSync(file, `${before}${before && !before.endsWith("\n") ? "\n" : ""}${lines.join("\n")}\n`, { mode: 0o600 });
  chmodSync(file, 0o600);
}
