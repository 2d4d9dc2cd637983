import { readFileSync } from "node:fs";
import { z } from "zod";
import { writeFileAtomic } from "../daemon/store/write-file-atomic.js";
import { createStayQuietTool } from "../daemon/tools/stay-quiet-tool.js";
import { defineTool, type Tool } from "../daemon/tools/tool.js";
import { createWorkspaceTools } from "../daemon/tools/workspace/workspace-tools.js";
import type { MagicDocHeader } from "./magic-doc-header.js";

const READ_TOOLS = new Set(["read_file", "list_dir", "search_files"]);

/**
 * The tools of a magic-doc refresh: reading inside the document's watch root, staying quiet, and
 * one write that can only write this document. The header is put back verbatim whatever the model
 * sends, so the document stays magic.
 */
export function createMagicDocTools({ file, root, header, onWrite }: { file: string; root: string; header: MagicDocHeader; onWrite: (content: string) => void }): Tool[] {
  return [
    ...createWorkspaceTools({ roots: [root] }).filter((tool) => READ_TOOLS.has(tool.name)),
    defineTool({
      name: "update_magic_doc",
      description: "Replace this document's body (everything below its header, which is kept for you). Only for a substantial change.",
      risk: "write",
      input: z.strictObject({ content: z.string().min(1).max(200_000) }),
      run({ content }) {
        const next = `${[...header.lines, _withoutHeader(content, header).trim()].join("\n")}\n`;
        if (next === readFileSync(file, "utf8")) return { content: "no change: the document already says exactly that" };
        writeFileAtomic(file, next, { mode: "keep" });
        onWrite(next);
        return { content: "document updated" };
      },
    }),
    createStayQuietTool(),
  ];
}

function _withoutHeader(content: string, header: MagicDocHeader): string {
  const lines = content.replace(/^\s*\n/, "").split("\n");
  let skip = 0;
  while (skip < header.lines.length && lines[skip]?.trim() === header.lines[skip]!.trim()) skip++;
  return lines.slice(skip).join("\n");
}
