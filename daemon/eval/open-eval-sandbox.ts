import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { Writable } from "node:stream";
import YAML from "yaml";
import type { RawConfig } from "../config/config-schema.js";
import { openContext, type VigilContext } from "../context/open-context.js";

/** A fresh, throw-away VIGIL_HOME for one eval turn, with a clock the seeding moves by hand. */
export interface EvalSandbox {
  ctx: VigilContext;
  home: string;
  /** The one workspace root the scenario's file tools are confined to. */
  workspace: string;
  setClock(at: Date): void;
  dispose(): void;
}

export interface SandboxOptions {
  /** The user's configuration: model, heartbeat, tool policy and prices are taken from it. */
  base: RawConfig;
  model: string;
  triageModel: string | undefined;
  timezone: string;
  /** Undefined keeps the base's quiet hours. */
  quietHours?: RawConfig["heartbeat"]["quietHours"];
  now: Date;
  env?: NodeJS.ProcessEnv;
}

/**
 * Writes a config that keeps the user's model and policy but points every path into a temp dir,
 * then opens it like any verb does (the same loader validates it). Nothing outside the temp dir
 * is read or written by what runs in it.
 */
export function openEvalSandbox({ base, model, triageModel, timezone, quietHours, now, env = process.env }: SandboxOptions): EvalSandbox {
  const home = mkdtempSync(path.join(tmpdir(), "vigil-eval-"));
  const workspace = path.join(home, "workspace");
  mkdirSync(workspace, { recursive: true, mode: 0o700 });
  const config = {
    timezone,
    model: { ...base.model, provider: "anthropic", name: model, ...(triageModel ? { triageModel } : {}) },
    heartbeat: { ...base.heartbeat, quietHours: quietHours === undefined ? base.heartbeat.quietHours : quietHours },
    notify: { desktop: false },
    tools: { workspace: [workspace], policy: base.tools.policy },
    review: { prices: base.review.prices },
  };
  if (!triageModel) delete (config.model as { triageModel?: string }).triageModel;
  writeFileSync(path.join(home, "config.yaml"), YAML.stringify(config), { mode: 0o600 });
  let clock = now;
  const ctx = openContext({
    env: { VIGIL_HOME: home, HOME: home, ...(env.ANTHROPIC_API_KEY ? { ANTHROPIC_API_KEY: env.ANTHROPIC_API_KEY } : {}) },
    now: () => clock,
    logDestination: new Writable({ write: (_chunk, _encoding, done) => done() }),
  });
  return {
    ctx,
    home,
    workspace,
    setClock: (at) => {
      clock = at;
    },
    dispose: () => {
      ctx.close();
      rmSync(home, { recursive: true, force: true });
    },
  };
}
