import { describe, expect, it } from "vitest";
import { mapWithLimit } from "../daemon/eval/map-with-limit.js";
import { DEFAULT_CONCURRENCY } from "../daemon/eval/run-scenarios.js";

describe("mapWithLimit (the eval's bound on parallel scenarios)", () => {
  it("never runs more than the limit at once, uses all of it, and keeps the items' order", async () => {
    let running = 0;
    let peak = 0;
    const results = await mapWithLimit([5, 1, 4, 2, 3, 1, 2, 5, 1, 3], DEFAULT_CONCURRENCY, async (ms, index) => {
      running++;
      peak = Math.max(peak, running);
      await new Promise((resolve) => setTimeout(resolve, ms));
      running--;
      return index * 10;
    });
    expect(DEFAULT_CONCURRENCY).toBe(4);
    expect(peak).toBe(4);
    expect(results).toEqual([0, 10, 20, 30, 40, 50, 60, 70, 80, 90]);
  });

  it("handles no items and a limit above the count", async () => {
    expect(await mapWithLimit([], 4, async () => 1)).toEqual([]);
    expect(await mapWithLimit([1, 2], 8, async (n) => n * 2)).toEqual([2, 4]);
  });
});
