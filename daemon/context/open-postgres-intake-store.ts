import type { LoadedConfig } from "../config/load-config.js";
import { createPostgresStore } from "../store/postgres/create-postgres-store.js";
import { listNodes } from "../store/postgres/list-nodes.js";
import { redactorFor } from "./assemble-context.js";
import { postgresIntakeTx, type IntakeStore } from "./intake-tx.js";
import { openRuntimePool } from "./open-runtime-pool.js";

/** A node unseen for this long is taken for gone: nobody on the team store will handle what a verb queues until one starts. */
export const NODE_GONE_AFTER_MS = 60_000;

/** openIntakeStore on the team store: the runtime role's pool, no node of its own (a verb claims nothing). */
export async function openPostgresIntakeStore(loaded: LoadedConfig, { env, now = () => new Date() }: { env: NodeJS.ProcessEnv; now?: () => Date }): Promise<IntakeStore> {
  const { pool, location } = await openRuntimePool(loaded, env);
  const redact = redactorFor(loaded, env);
  return {
    store: createPostgresStore(pool, (client) => postgresIntakeTx(client, { timeZone: loaded.zone, redact, now })),
    location,
    anyoneRunning: async () => (await listNodes(pool, { staleAfterMs: NODE_GONE_AFTER_MS })).some((node) => !node.stale),
    close: () => pool.end(),
  };
}
