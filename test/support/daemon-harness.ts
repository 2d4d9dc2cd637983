import { writeFileSync } from "node:fs";
import path from "node:path";
import { Writable } from "node:stream";
import { afterEach } from "vitest";
import { createAnthropicClient } from "../../daemon/brain/model-client.js";
import { openContext, type VigilContext } from "../../daemon/context/open-context.js";
import { createJournalOnlyNotifier, type Notifier } from "../../daemon/notify/notifier.js";
import { noticeEvent } from "../../daemon/events/notice-event.js";
import type { NewEvent } from "../../daemon/events/event-queue.js";
import { assembleRuntime, type Runtime } from "../../daemon/supervisor/assemble-runtime.js";
import { recoverInterrupted } from "../../daemon/supervisor/recover-interrupted.js";
import { createSupervisor, type Supervisor } from "../../daemon/supervisor/supervisor.js";
import { queryEntries } from "../../logs/query-entries.js";
import type { JournalEntry } from "../../logs/journal-entry.js";
import { FakeClock } from "./fake-clock.js";
import { startMessagesApiServer, type MessagesApiServer } from "./messages-api-server.js";
import { makeTempHome } from "./temp-home.js";

/** Test config: a 5 s tick, no idle wakes and no quiet hours unless a test asks for them. */
export const BASE_CONFIG = `timezone: UTC
heartbeat: { tickSeconds: 5, idleWakeMinutes: 0, settleMs: 1500, maxSteps: 8, quietHours: null }
`;

export interface Harness {
  home: string;
  clock: FakeClock;
  server: MessagesApiServer;
  ctx: VigilContext;
  runtime: Runtime;
  supervisor: Supervisor;
  env: NodeJS.ProcessEnv;
  notice(event: Partial<NewEvent> & { summary: string }): number;
  /** Ticks `count` times, moving the clock `stepMs` before each, and waits for any turn to end. */
  ticks(count: number, stepMs?: number): Promise<void>;
  journal(kind?: JournalEntry["kind"]): JournalEntry[];
}

const _open: Array<() => Promise<void>> = [];
afterEach(async () => {
  for (const close of _open.splice(0)) await close();
});

/**
 * The real daemon internals (SQLite, journal, queue, supervisor, tools, the real SDK) on a temp
 * home, against the loopback Messages API server, with a clock the test drives.
 */
export async function startHarness(
  options: { config?: string; provider?: "anthropic" | "rules"; start?: string; env?: Record<string, string>; turnTimeoutMs?: number; notifier?: Notifier } = {},
): Promise<Harness> {
  const home = makeTempHome();
  writeFileSync(path.join(home, "config.yaml"), options.config ?? BASE_CONFIG);
  const server = await startMessagesApiServer();
  // Real time by default: other processes (`vigil tell`) stamp events with it.
  const clock = new FakeClock(options.start ?? new Date());
  const env = { VIGIL_HOME: home, ANTHROPIC_API_KEY: "sk-test-key-for-loopback", ANTHROPIC_BASE_URL: server.url, VIGIL_LOG_LEVEL: "silent", ...options.env };
  const ctx = openContext({ env, now: clock.now, logDestination: new Writable({ write: (_c, _e, done) => done() }) });
  const provider = options.provider ?? "anthropic";
  const runtime = assembleRuntime(ctx, {
    client: provider === "anthropic" ? createAnthropicClient({ env, maxRetries: 2 }) : undefined,
    notifier: options.notifier ?? createJournalOnlyNotifier(),
    ...(options.turnTimeoutMs ? { turnTimeoutMs: options.turnTimeoutMs } : {}),
  });
  recoverInterrupted(runtime);
  const supervisor = createSupervisor(runtime, provider);
  _open.push(async () => {
    await supervisor.idle();
    ctx.close();
    await server.close();
  });
  return {
    home,
    clock,
    server,
    ctx,
    runtime,
    supervisor,
    env,
    notice: (event) => noticeEvent(ctx, { source: "user", type: "message", trust: "trusted", ...event }).id,
    async ticks(count, stepMs = 5000) {
      for (let i = 0; i < count; i++) {
        clock.advance(stepMs);
        await supervisor.tick();
        await supervisor.idle();
      }
    },
    journal: (kind) => queryEntries(ctx.db, { kind }),
  };
}
