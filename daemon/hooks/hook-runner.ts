import picomatch from "picomatch";
import type { Journal } from "../../logs/journal.js";
import type { Logger } from "../logger/create-logger.js";
import { scrubEnv } from "../tools/run-command-tool.js";
import { runHookCommand, type HookRun } from "./run-hook-command.js";

export interface HookSpec {
  on: string;
  run: string;
  timeoutSeconds: number;
}

export interface HookRunnerOptions {
  hooks: readonly HookSpec[];
  journal: Journal;
  logger: Logger;
  env?: NodeJS.ProcessEnv;
  /** Observer hooks running at once; more wait in line. */
  maxConcurrent?: number;
  /** Observations waiting beyond this are dropped (journaled), so a slow hook cannot pile up memory. */
  maxWaiting?: number;
}

export interface HookRunner {
  /** Runs the observers whose pattern matches, in the background: nobody waits for them. */
  observe(event: string, payload: unknown): void;
  /** Runs the `before_tool.NAME` hooks; exit code 2 vetoes the call, with stderr as the reason. */
  beforeTool(tool: string, payload: unknown): Promise<{ veto?: string }>;
  setHooks(hooks: readonly HookSpec[]): void;
  /** Resolves when no observer runs or waits (tests, a clean stop). */
  idle(): Promise<void>;
}

/** Exit status of a `before_tool` hook that refuses the call (as Claude Code's hooks do). */
const VETO_EXIT = 2;

/**
 * The user's own commands on Vigil's events. Observers are bounded (a timeout each, a few at once,
 * a short line) and off the turn's path; only `before_tool` hooks are waited for, since they may
 * veto. A failing or hanging hook is journaled as an error and never blocks anything else.
 */
export function createHookRunner({ hooks, journal, logger, env = process.env, maxConcurrent = 4, maxWaiting = 100 }: HookRunnerOptions): HookRunner {
  let compiled = _compile(hooks);
  let running = 0;
  let dropped = 0;
  const waiting: Array<() => Promise<void>> = [];
  const drained: Array<() => void> = [];

  const run = async (hook: HookSpec, event: string, payload: unknown): Promise<HookRun> => {
    const result = await runHookCommand(hook.run, JSON.stringify({ event, ...(payload as object) }), { ...scrubEnv(env), VIGIL_HOOK_EVENT: event }, hook.timeoutSeconds * 1000);
    if (result.code !== 0 && !(event.startsWith("before_tool.") && result.code === VETO_EXIT && !result.timedOut)) _journalFailure(journal, logger, hook, event, result);
    return result;
  };

  const pump = () => {
    while (running < maxConcurrent && waiting.length > 0) {
      running++;
      void waiting.shift()!().finally(() => {
        running--;
        pump();
      });
    }
    if (running === 0 && waiting.length === 0) drained.splice(0).forEach((resolve) => resolve());
  };

  return {
    observe(event, payload) {
      for (const hook of compiled.filter((entry) => !entry.spec.on.startsWith("before_tool.") && entry.matches(event))) {
        if (waiting.length >= maxWaiting) {
          if (dropped++ === 0) journal.append({ kind: "error", summary: `hooks are behind: observations dropped (more than ${maxWaiting} waiting)`, data: { event: "hooks-dropped" } });
          continue;
        }
        dropped = 0;
        waiting.push(async () => void (await run(hook.spec, event, payload)));
      }
      pump();
    },
    async beforeTool(tool, payload) {
      const event = `before_tool.${tool}`;
      for (const hook of compiled.filter((entry) => entry.spec.on.startsWith("before_tool.") && entry.matches(event))) {
        const result = await run(hook.spec, event, payload);
        if (result.code === VETO_EXIT && !result.timedOut) return { veto: result.stderr.trim() || `vetoed by the hook \`${hook.spec.run}\`` };
      }
      return {};
    },
    setHooks(next) {
      compiled = _compile(next);
    },
    idle: () => (running === 0 && waiting.length === 0 ? Promise.resolve() : new Promise<void>((resolve) => drained.push(resolve))),
  };
}

function _compile(hooks: readonly HookSpec[]) {
  return hooks.map((spec) => ({ spec, matches: picomatch(spec.on) }));
}

function _journalFailure(journal: Journal, logger: Logger, hook: HookSpec, event: string, result: HookRun): void {
  const why = result.timedOut ? `killed after ${hook.timeoutSeconds} s` : `exit ${result.code}`;
  const firstLine = result.stderr.trim().split("\n")[0] ?? "";
  try {
    journal.append({
      kind: "error",
      summary: `hook \`${hook.run}\` on ${event} failed: ${why}${firstLine ? `: ${firstLine}` : ""}`,
      data: { event: "hook-failed", hook: hook.on, command: hook.run, hookEvent: event, code: result.code, timedOut: result.timedOut, stderr: result.stderr },
    });
  } catch (error) {
    logger.error({ err: error }, "could not journal a failing hook");
  }
}
