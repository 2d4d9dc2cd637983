import { readFileSync, statSync } from "node:fs";
import { makePrivateDir } from "../store/private-files.js";
import path from "node:path";
import { z } from "zod";
import { localDay } from "../../logs/local-day.js";
import type { Notifier } from "../notify/notifier.js";
import { defineTool, ToolError, type RiskClass } from "../toolkit/tool.js";
import { resolveInWorkspace } from "./workspace/resolve-in-workspace.js";
import { writeFileAtomic } from "../store/write-file-atomic.js";

const MAX_BYTES = 10 * 1024 * 1024;

/** A file name that cannot leave the outbox or surprise a shell: no separators, no leading dots. */
export function sanitizeFileName(name: string): string {
  const base = name.split(/[\\/]/).pop() ?? "";
  const clean = base.replace(/[^\w.\- ]+/g, "_").replace(/^[.\s]+/, "").trim().slice(0, 120);
  return clean || "delivery.txt";
}

/**
 * `deliver_file`: content, or a workspace file, written atomically into `outbox/YYYY-MM-DD/`,
 * then a notification naming it. An existing name gets a numbered sibling, never overwritten.
 * When the notifier pushes files off the machine (ntfy attaches them), the tool is `external`:
 * a tainted turn then cannot send a workspace file out without the user's approval.
 */
export function createDeliverFileTool({ outboxDir, roots, notifier, leavesMachine = false }: { outboxDir: string; roots: readonly string[]; notifier: Notifier; leavesMachine?: boolean }) {
  const risk: RiskClass = leavesMachine ? "external" : "notify";
  return defineTool({
    name: "deliver_file",
    description: "Hand the user a file: give a name and either its content or a workspace path. It lands in their outbox and they are notified.",
    risk,
    input: z.union([
      z.strictObject({ name: z.string().min(1).max(200), content: z.string().max(MAX_BYTES), note: z.string().max(500).optional() }),
      z.strictObject({ name: z.string().min(1).max(200), path: z.string().min(1), note: z.string().max(500).optional() }),
    ]),
    async run(input, { now, timeZone }) {
      const bytes = "content" in input ? Buffer.from(input.content) : _readWorkspaceFile(roots, input.path);
      const dir = path.join(outboxDir, localDay(now, timeZone));
      makePrivateDir(dir);
      const file = _freeName(dir, sanitizeFileName(input.name));
      writeFileAtomic(file, bytes);
      const result = await notifier.send({ title: `Vigil delivered ${path.basename(file)}`, body: `${input.note ? `${input.note}\n` : ""}${file}`, attachment: file });
      return { content: `delivered to ${file}${result.delivered.length ? `; notified via ${result.delivered.join(", ")}` : "; the notification failed"}` };
    },
  });
}

function _readWorkspaceFile(roots: readonly string[], requested: string): Buffer {
  const file = resolveInWorkspace(roots, requested);
  const stat = statSync(file, { throwIfNoEntry: false });
  if (!stat?.isFile()) throw new ToolError(`"${requested}" is not a file in the workspace`);
  if (stat.size > MAX_BYTES) throw new ToolError(`"${requested}" is over 10 MiB`);
  return readFileSync(file);
}

function _freeName(dir: string, name: string): string {
  const { name: stem, ext } = path.parse(name);
  for (let i = 0; ; i++) {
    const candidate = path.join(dir, i === 0 ? name : `${stem}-${i}${ext}`);
    if (!statSync(candidate, { throwIfNoEntry: false })) return candidate;
  }
}
