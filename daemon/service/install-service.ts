import { existsSync, mkdirSync, readFileSync, realpathSync, rmSync, writeFileSync } from "node:fs";
import path from "node:path";
import { checkInstallSource } from "./check-install-source.js";
import { LAUNCHD_LABEL, renderLaunchdPlist, renderSystemdUnit, type ServicePaths } from "./render-service-files.js";

export interface CommandResult {
  code: number;
  stdout: string;
  stderr: string;
}

/** Runs a service-manager command; injected so tests record instead of running systemctl. */
export type CommandRunner = (command: string, args: string[]) => CommandResult;

export interface ServiceEnvironment {
  platform: NodeJS.Platform;
  /** The user's home directory. */
  userHome: string;
  uid: number;
  node: string;
  script: string;
  vigilHome: string;
  /** The config file when VIGIL_CONFIG names one: the service must read the same file. */
  vigilConfig?: string;
  /** The login name, for `loginctl show-user`. */
  user?: string;
  run: CommandRunner;
}

export interface ServicePlan {
  manager: "systemd" | "launchd";
  file: string;
  content: string;
  commands: string[][];
  hints: string[];
  /** Why the service might not last (it points into a source checkout or an npx cache). */
  warnings: string[];
}

export class ServiceManagerMissingError extends Error {}

/** What `vigil install` writes and runs; nothing is touched here. */
export function planInstall(env: ServiceEnvironment): ServicePlan {
  const plan = _planFor(env);
  return { ...plan, warnings: checkInstallSource(_realpath(env.script)) };
}

function _planFor(env: ServiceEnvironment): Omit<ServicePlan, "warnings"> {
  const paths: ServicePaths = {
    node: env.node,
    script: _realpath(env.script),
    vigilHome: env.vigilHome,
    envFile: path.join(env.vigilHome, "service.env"),
    logDir: path.join(env.userHome, "Library", "Logs", "vigil"),
    vigilConfig: env.vigilConfig,
  };
  if (env.platform === "darwin") {
    const file = path.join(env.userHome, "Library", "LaunchAgents", `${LAUNCHD_LABEL}.plist`);
    return {
      manager: "launchd",
      file,
      content: renderLaunchdPlist(paths),
      commands: [
        ["launchctl", "bootout", `gui/${env.uid}/${LAUNCHD_LABEL}`],
        ["launchctl", "bootstrap", `gui/${env.uid}`, file],
      ],
      hints: [`logs: ${paths.logDir}/vigil.log`],
    };
  }
  return {
    manager: "systemd",
    file: path.join(env.userHome, ".config", "systemd", "user", "vigil.service"),
    content: renderSystemdUnit(paths),
    commands: [
      ["systemctl", "--user", "daemon-reload"],
      ["systemctl", "--user", "enable", "--now", "vigil.service"],
    ],
    hints: [
      `secrets: put NAME=value lines in ${paths.envFile} (chmod 600), or vigil install --env-from-shell`,
      "logs: journalctl --user -u vigil",
    ],
  };
}

/**
 * Writes the unit (or plist) and starts it. Idempotent: when the file already has this content,
 * nothing is written or run. Throws ServiceManagerMissingError when there is no user service
 * manager to talk to (a container, a session without systemd).
 */
export function installService(env: ServiceEnvironment, plan = planInstall(env)): { changed: boolean } {
  if (existsSync(plan.file) && readFileSync(plan.file, "utf8") === plan.content) return { changed: false };
  _requireManager(env, plan);
  mkdirSync(path.dirname(plan.file), { recursive: true });
  if (plan.manager === "launchd") mkdirSync(path.join(env.userHome, "Library", "Logs", "vigil"), { recursive: true });
  writeFileSync(plan.file, plan.content);
  for (const [command, ...args] of plan.commands) {
    const result = env.run(command!, args);
    // bootout of an agent that is not loaded fails; that is the normal first install.
    if (result.code !== 0 && !(command === "launchctl" && args[0] === "bootout")) {
      throw new Error(`${command} ${args.join(" ")} failed (${result.code}): ${result.stderr.trim()}`);
    }
  }
  return { changed: true };
}

/** Stops the service and removes its file; a no-op when it is not installed. */
export function uninstallService(env: ServiceEnvironment): { removed: boolean; file: string } {
  const plan = planInstall(env);
  if (!existsSync(plan.file)) return { removed: false, file: plan.file };
  _requireManager(env, plan);
  if (plan.manager === "launchd") env.run("launchctl", ["bootout", `gui/${env.uid}/${LAUNCHD_LABEL}`]);
  else env.run("systemctl", ["--user", "disable", "--now", "vigil.service"]);
  rmSync(plan.file);
  if (plan.manager === "systemd") env.run("systemctl", ["--user", "daemon-reload"]);
  return { removed: true, file: plan.file };
}

function _requireManager(env: ServiceEnvironment, plan: ServicePlan): void {
  const probe = plan.manager === "launchd" ? env.run("launchctl", ["print", `gui/${env.uid}`]) : env.run("systemctl", ["--user", "show-environment"]);
  if (probe.code === 0) return;
  throw new ServiceManagerMissingError(
    plan.manager === "launchd"
      ? `launchd is not reachable for gui/${env.uid} (${probe.stderr.trim() || `exit ${probe.code}`}): run \`vigil start\` in a terminal instead`
      : `no systemd user manager is reachable (${probe.stderr.trim() || `exit ${probe.code}`}); in a container or without a login session, run \`vigil start\` under your own supervisor instead`,
  );
}

function _realpath(file: string): string {
  try {
    return realpathSync(file);
  } catch {
    return path.resolve(file);
  }
}

/**
 * Does a systemd user service outlive the login session? Only with lingering on; says how to
 * turn it on. Undefined where it cannot be told (no logind, not Linux).
 */
export function describeLingering(env: ServiceEnvironment): string | undefined {
  if (env.platform !== "linux" || !env.user) return undefined;
  const result = env.run("loginctl", ["show-user", env.user, "--property=Linger", "--value"]);
  if (result.code !== 0) return `could not tell whether Vigil outlives your login (loginctl: ${result.stderr.trim() || `exit ${result.code}`}); to be sure: loginctl enable-linger ${env.user}`;
  return result.stdout.trim() === "yes"
    ? "lingering is on: Vigil keeps running when you log out"
    : `lingering is off: Vigil stops when you log out; to keep it running: loginctl enable-linger ${env.user}`;
}
