import { existsSync } from "node:fs";
import { LAUNCHD_LABEL } from "./render-service-files.js";
import { planInstall, type ServiceEnvironment } from "./install-service.js";

export type LifecycleVerb = "stop" | "restart" | "reload";

/**
 * The service-manager command for a lifecycle verb, when Vigil is installed as a service and the
 * manager answers; undefined means "no service here: signal the pid in the lock instead".
 */
export function serviceCommandFor(verb: LifecycleVerb, env: ServiceEnvironment): string[] | undefined {
  const plan = planInstall(env);
  if (!existsSync(plan.file)) return undefined;
  if (plan.manager === "systemd") {
    if (env.run("systemctl", ["--user", "show-environment"]).code !== 0) return undefined;
    return ["systemctl", "--user", verb, "vigil.service"];
  }
  if (env.run("launchctl", ["print", `gui/${env.uid}`]).code !== 0) return undefined;
  const target = `gui/${env.uid}/${LAUNCHD_LABEL}`;
  // launchd has no reload: SIGHUP through it is the same thing. Stop keeps the agent loaded but down.
  return { stop: ["launchctl", "kill", "SIGTERM", target], restart: ["launchctl", "kickstart", "-k", target], reload: ["launchctl", "kill", "SIGHUP", target] }[verb];
}
