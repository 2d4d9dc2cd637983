import type { Journal } from "../../logs/journal.js";
import type { RawConfig } from "../config/config-schema.js";
import type { EventQueue } from "../events/event-queue.js";
import type { Logger } from "../logger/create-logger.js";
import type { StoreTx } from "../context/store-tx.js";
import type { VigilDatabase } from "../store/open-database.js";
import type { VigilStore } from "../store/vigil-store.js";
import type { ToolRunDeps, ToolRunner } from "../tools/run-tool-call.js";
import type { ModelClient } from "./model-client.js";
import type { UsageLedger } from "./usage-ledger.js";

/** Everything a turn works with, injected so a test can drive it with a clock and a loopback model. */
export interface TurnDeps {
  /** The store port: a turn's claim, usage and ending are its transactions. */
  store: VigilStore<StoreTx>;
  db: VigilDatabase;
  journal: Journal;
  events: EventQueue;
  usage: UsageLedger;
  toolDeps: ToolRunDeps;
  /**
   * Runs each tool call of the turn; defaults to `runToolCall` with `toolDeps` (policy, ledger,
   * the tool). `vigil eval` injects a runner that records calls instead of executing them.
   */
  runTool?: ToolRunner;
  client: ModelClient | undefined;
  config: RawConfig;
  timeZone: string;
  memoryDir: string;
  now: () => Date;
  logger: Logger;
  /** Wall-clock limit of one turn, all model calls and tools included. */
  turnTimeoutMs: number;
}

export type TurnOutcome =
  | { outcome: "quiet" | "acted"; turnId: string; events: number }
  | { outcome: "failed"; turnId: string; events: number; error: Error; quarantined?: number };
