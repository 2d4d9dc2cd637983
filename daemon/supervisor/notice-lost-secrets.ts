import { listSecretNames } from "../config/resolve-secrets.js";
import { serviceEnvFile } from "../config/service-env.js";
import type { VigilContext } from "../context/open-context.js";
import type { Notifier } from "../notify/notifier.js";
import type { DaemonState } from "../state/daemon-state.js";

const STATE_KEY = "secretNamesAtStart";

/**
 * At start: a secret variable the previous start had and this one lacks (a launchd agent without
 * service.env, an edited env file) is journaled and notified, so the daemon never drops to the
 * rules provider or stops polling in silence. Only names are kept and told, never values.
 */
export async function noticeLostSecrets(ctx: Pick<VigilContext, "env" | "loaded" | "journal" | "paths" | "logger">, state: DaemonState, notifier: Notifier, provider: string): Promise<string[]> {
  const tracked = listSecretNames(ctx.loaded.config);
  const present = tracked.filter((name) => Boolean(ctx.env[name]));
  const before = state.get<string[]>(STATE_KEY) ?? [];
  state.set(STATE_KEY, present);
  const lost = before.filter((name) => tracked.includes(name) && !present.includes(name));
  if (lost.length === 0) return lost;
  const file = serviceEnvFile(ctx.paths.home);
  const summary = `started without ${lost.join(", ")}, which the previous start had (provider now ${provider}): set ${lost.length > 1 ? "them" : "it"} in ${file}`;
  ctx.journal.append({ kind: "error", summary, data: { event: "secrets-missing", names: lost, provider, file } });
  await notifier
    .send({ title: "Vigil started without a key it had", body: summary, priority: "high" })
    .catch((error: Error) => ctx.logger.warn({ err: error }, "could not notify about a missing secret"));
  return lost;
}
