import { AUTH_FIX, describeAuthFailure } from "../brain/model-health.js";
import { checkAnthropicKey } from "../brain/model-client.js";
import type { VigilContext } from "../context/open-context.js";
import type { Runtime } from "./assemble-runtime.js";
import { liftAuthBlock, reportAuthFailure } from "./report-auth-failure.js";

/**
 * `vigil start` (and a reload) asks the API once whether the key works and says what it found. It
 * never refuses to start: a refused key blocks model calls (events wait), an unknown answer leaves it to the first turn.
 */
export async function checkModelKey(ctx: VigilContext, runtime: Runtime, announce: (line: string) => void): Promise<void> {
  const { verdict, error } = await checkAnthropicKey({ env: ctx.env });
  if (verdict === "accepted") {
    announce("key check: the API accepted the key");
    liftAuthBlock(runtime, "the API accepts the key again");
    return;
  }
  if (verdict === "refused") {
    const refused = error as Error & { status: number };
    announce(`key check: the API refused the key (${describeAuthFailure(refused)}); Vigil runs, but calls no model until the key changes: ${AUTH_FIX}`);
    reportAuthFailure(refused, runtime, { at: "start" });
    return;
  }
  announce(`key check: could not tell (${error?.message ?? "no answer"}); the first turn will`);
}
