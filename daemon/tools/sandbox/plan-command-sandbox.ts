import { homedir } from "node:os";
import path from "node:path";
import { detectSandbox, type SandboxSupport } from "./detect-sandbox.js";
import { secretPathsOf, type CommandSandbox } from "./sandbox-command.js";

export interface SandboxSettings {
  enabled: boolean;
  network: boolean;
  /** More paths to hide besides VIGIL_HOME and the usual secrets. */
  hide: readonly string[];
}

/**
 * The sandbox commands run under, or why there is none. Hidden: the whole VIGIL_HOME (database,
 * memory, config), the config file wherever it lives, and the user's secret stores.
 */
export function planCommandSandbox(
  settings: SandboxSettings,
  { vigilHome, configFile, env = process.env, support = detectSandbox() }: { vigilHome: string; configFile: string; env?: NodeJS.ProcessEnv; support?: SandboxSupport },
): { sandbox: CommandSandbox | undefined; problem: string } {
  if (!settings.enabled) return { sandbox: undefined, problem: "tools.sandbox.enabled is false" };
  if (!support.bwrap) return { sandbox: undefined, problem: support.problem };
  const home = env.HOME || homedir();
  const all = [...new Set([vigilHome, configFile, ...secretPathsOf(home), ...settings.hide].map((file) => path.resolve(file)))];
  // A path inside another hidden one is hidden already.
  const hidden = all.filter((file) => !all.some((other) => other !== file && file.startsWith(other + path.sep)));
  return { sandbox: { bwrap: support.bwrap, hidden, network: settings.network }, problem: "" };
}
