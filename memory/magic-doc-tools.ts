import { readFileSync } from "node:fs";
import { z } from "zod";
import { writeFileAtomic } from "../daemon/store/write-file-atomic.js";
import { defineTool, type Tool } from "../daemon/toolkit/tool.js";
import type { MagicDocHeader } from "./magic-doc-header.js";

/**
 * The tools of a magic-doc refresh: the reading and quiet tools it is given (composed above memory,
 * which never imports an action tool), and one write that can only write this document. The header is put back verbatim whatever the model
 * sends, so the document stays magic.
 */
export function createMagicDocTools({ file, header, onWrite, readTools }: { file: string; header: MagicDocHeader; onWrite: (content: string) => void; readTools: readonly Tool[] }): Tool[] {
  return [
    ...readTools,
    defineTool({
      name: "update_magic_doc",
      description: "Replace this document's body (everything below its header, which is kept for you). Only for a substantial change.",
      risk: "write",
      input: z.strictObject({ content: z.string().min(1).max(200_000) }),
      run({ content }) {
        const next = `${[...header.lines, _withoutHeader(content, header).trim()].join("\n")}\n`;
        if (next === readFileSync(file, "utf8")) return { content: "no change: the document already says exactly that" };
        writeFileAtomic(file, next);
        onWrite(next);
        return { content: "document updated" };
      },
    }),
  ];
}

function _withoutHeader(content: string, header: MagicDocHeader): string {
  const lines = content.replace(/^\s*\n/, "").split("\n");
  let skip = 0;
  while (skip < header.lines.length && lines[skip]?.trim() === header.lines[skip]!.trim()) skip++;
  return lines.slice(skip).join("\n");
}
