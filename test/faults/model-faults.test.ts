import { describe, expect, it } from "vitest";
import { apiError, toolUse } from "../support/messages-api-server.js";
import { startHarness } from "../support/daemon-harness.js";

describe("fault: a misbehaving model server", () => {
  it("timeouts, 529 storms, malformed JSON and cut streams: no crash, backoff, recovery", async () => {
    const h = await startHarness({ turnTimeoutMs: 1000 });
    h.server.script(
      { kind: "hang" }, // a turn that times out
      apiError(529), apiError(529), apiError(529), // a storm the SDK's retries cannot ride out
      { kind: "malformed" },
      { kind: "cut-stream" },
      toolUse("stay_quiet", { reason: "finally" }),
    );
    h.notice({ summary: "is anyone there?" });
    const backoffs: number[] = [];
    for (let i = 0; i < 400 && h.journal("quiet").length === 0; i++) {
      await h.ticks(1, 15_000);
      const until = h.runtime.health.backoffUntil();
      if (until && !backoffs.includes(until.getTime())) backoffs.push(until.getTime());
    }
    const errors = h.journal("error");
    const recovered = h.journal("system").filter((entry) => entry.summary.startsWith("model reachable again"));
    console.log(`model faults: ${h.server.requests.length} requests, ${backoffs.length} backoffs, ${errors.length} error row(s), recovered: ${recovered.length === 1}, pending after: ${h.ctx.events.countPending()}`);
    expect(h.journal("quiet").map((entry) => entry.summary)).toEqual(["finally"]);
    expect(errors).toHaveLength(1); // one per streak, not one per failure
    expect(recovered).toHaveLength(1);
    // The hang, the storm and the broken replies each fail a turn (the SDK may retry a broken
    // stream into the next scripted fault, so two of them can share one turn).
    expect(Number(/after (\d+) failed/.exec(recovered[0]!.summary)![1])).toBeGreaterThanOrEqual(3);
    expect(h.server.requests).toHaveLength(7);
    // Each failure waited longer than the one before.
    const gaps = backoffs.slice(1).map((at, i) => at - backoffs[i]!);
    expect(gaps.every((gap, i) => i === 0 || gap >= gaps[i - 1]!)).toBe(true);
    expect(h.ctx.events.countPending()).toBe(0);
  });
});
