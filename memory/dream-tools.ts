import { z } from "zod";
import path from "node:path";
import { createMemoryTools } from "./memory-tools.js";
import { defineTool, type Tool } from "../daemon/toolkit/tool.js";
import { writeFileAtomic } from "../daemon/store/write-file-atomic.js";
import { INDEX_FILE } from "./memory-snapshot.js";
import type { RecallHit } from "./search-recall.js";

/**
 * The only tools a dream has: the memory tools over the staging copy, and a whole-index rewrite.
 * The rewrite is not checked here; the parent validates the whole staging copy before using it.
 */
export function createDreamTools(stagingDir: string, search: (query: string) => RecallHit[]): Tool[] {
  return [
    ...createMemoryTools({ memoryDir: stagingDir, search }),
    defineTool({
      name: "memory_write_index",
      description: "Rewrite the whole memory index: one line per topic, `- [Title](topics/name.md) — hook`, each at most 150 characters.",
      risk: "write",
      input: z.strictObject({ content: z.string().max(100_000) }),
      run({ content }) {
        writeFileAtomic(path.join(stagingDir, INDEX_FILE), content.trim() ? `${content.trim()}\n` : "");
        return { content: "index rewritten" };
      },
    }),
  ];
}
