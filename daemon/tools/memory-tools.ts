import { z } from "zod";
import { createMemoryStore, MemoryLimitError, TOPIC_TYPES } from "../../memory/memory-store.js";
import { defineTool, ToolError } from "./tool.js";

const topicName = z.string().regex(/^[a-z0-9][a-z0-9-]{0,60}$/, { message: "must be a short lowercase slug such as deploy-process" });

/** `memory_read` and `memory_write` over the topic files and the index (DESIGN.md, section 7). */
export function createMemoryTools({ memoryDir }: { memoryDir: string }) {
  const store = createMemoryStore(memoryDir);
  return [
    defineTool({
      name: "memory_read",
      description: "Read one memory topic named in the memory index.",
      risk: "read",
      input: z.strictObject({ topic: topicName }),
      run({ topic }) {
        const text = store.readTopic(topic);
        if (text === undefined) throw new ToolError(`no topic "${topic}"; the index lists the topics there are`);
        return { content: text };
      },
    }),
    defineTool({
      name: "memory_write",
      description:
        "Remember something worth knowing next time: a topic file (title, a one-line hook for the index, a type, the content). Do not store what can be re-derived from the code.",
      // A memory outlives the turn: written from a tainted turn it would carry outside text forward.
      risk: "write",
      input: z.strictObject({
        topic: topicName,
        title: z.string().min(1).max(60),
        hook: z.string().min(1).max(100),
        type: z.enum(TOPIC_TYPES),
        content: z.string().min(1).max(20_000),
      }),
      run(input) {
        try {
          store.write(input);
        } catch (error) {
          if (error instanceof MemoryLimitError) throw new ToolError(`not written: ${error.message}`);
          throw error;
        }
        return { content: `remembered ${input.topic}` };
      },
    }),
  ];
}
