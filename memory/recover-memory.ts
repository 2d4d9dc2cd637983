import { readdirSync, rmSync } from "node:fs";
import path from "node:path";
import { isProcessAlive } from "../daemon/locks/instance-lock.js";
import type { VigilContext } from "../daemon/context/open-context.js";
import { reconcileMemoryIndex } from "./reconcile-memory-index.js";

/**
 * At start: finishes a memory write a crash cut between its topic file and its index line, and
 * removes the staging copy of a dream whose process is gone (the live memory was never
 * touched by it).
 */
export function recoverMemory(ctx: Pick<VigilContext, "paths" | "journal">): void {
  const { added, dropped } = reconcileMemoryIndex(ctx.paths.memoryDir);
  if (added.length || dropped.length) {
    ctx.journal.append({
      kind: "system",
      summary: `memory index repaired: ${added.length} topic(s) indexed again, ${dropped.length} line(s) to missing files dropped`,
      data: { event: "memory-repaired", added, dropped },
    });
  }
  for (const name of _entries(ctx.paths.runDir)) {
    const pid = /^dream-staging-(\d+)$/.exec(name)?.[1];
    if (pid && !isProcessAlive(Number(pid))) rmSync(path.join(ctx.paths.runDir, name), { recursive: true, force: true });
  }
}

function _entries(dir: string): string[] {
  try {
    return readdirSync(dir);
  } catch {
    return [];
  }
}
