import { closeSync, lstatSync, openSync, readdirSync, readSync, statSync } from "node:fs";
import path from "node:path";
import { z } from "zod";
import { defineTool, ToolError } from "../../toolkit/tool.js";
import { resolveInWorkspace } from "./resolve-in-workspace.js";
import { writeFileAtomic } from "../../store/write-file-atomic.js";

const MAX_READ_BYTES = 256 * 1024;
const MAX_LIST = 500;
const MAX_MATCHES = 50;
const SKIPPED_DIRS = new Set([".git", "node_modules", "dist", "build"]);

/** `read_file`, `list_dir`, `search_files`, `write_file`: all confined to `tools.workspace`. */
export function createWorkspaceTools({ roots }: { roots: readonly string[] }) {
  const inside = (requested: string) => resolveInWorkspace(roots, requested);
  return [
    defineTool({
      name: "read_file",
      description: "Read a text file in the workspace (at most 256 KiB are returned; binary files are only described).",
      risk: "read",
      input: z.strictObject({ path: z.string().min(1) }),
      run: ({ path: requested }) => ({ content: _readText(_existingFile(inside(requested), requested)) }),
    }),
    defineTool({
      name: "list_dir",
      description: "List a directory in the workspace: names, with / after directories, and sizes.",
      risk: "read",
      input: z.strictObject({ path: z.string().min(1) }),
      run({ path: requested }) {
        const dir = inside(requested);
        if (!_stat(dir)?.isDirectory()) throw new ToolError(`"${requested}" is not a directory`);
        const entries = readdirSync(dir, { withFileTypes: true }).sort((a, b) => a.name.localeCompare(b.name));
        const lines = entries.slice(0, MAX_LIST).map((entry) =>
          entry.isDirectory() ? `${entry.name}/` : entry.isSymbolicLink() ? `${entry.name} (symlink)` : `${entry.name} (${_stat(path.join(dir, entry.name))?.size ?? "?"} bytes)`,
        );
        if (entries.length > MAX_LIST) lines.push(`… ${entries.length - MAX_LIST} more`);
        return { content: lines.join("\n") || "(empty)" };
      },
    }),
    defineTool({
      name: "search_files",
      description: "Find lines containing some text (case-insensitive) in the workspace's text files, optionally under a path.",
      risk: "read",
      input: z.strictObject({ query: z.string().min(1).max(200), path: z.string().min(1).optional() }),
      run({ query, path: requested }) {
        const start = inside(requested ?? ".");
        const matches = _search(start, query.toLowerCase(), path.dirname(start));
        return { content: matches.length ? matches.join("\n") : `no matches for "${query}"` };
      },
    }),
    defineTool({
      name: "write_file",
      description: "Write a whole text file in the workspace (created or replaced atomically).",
      risk: "write",
      input: z.strictObject({ path: z.string().min(1), content: z.string().max(1024 * 1024) }),
      run({ path: requested, content }) {
        const file = inside(requested);
        if (_stat(file)?.isDirectory()) throw new ToolError(`"${requested}" is a directory`);
        if (!_stat(path.dirname(file))?.isDirectory()) throw new ToolError(`the folder of "${requested}" does not exist`);
        writeFileAtomic(file, content);
        return { content: `wrote ${Buffer.byteLength(content)} bytes to ${requested}` };
      },
    }),
  ];
}

function _stat(file: string) {
  try {
    return statSync(file);
  } catch {
    return undefined;
  }
}

function _lstat(file: string) {
  try {
    return lstatSync(file);
  } catch {
    return undefined;
  }
}

function _existingFile(file: string, requested: string): string {
  const stat = _stat(file);
  if (!stat) throw new ToolError(`"${requested}" does not exist`);
  if (!stat.isFile()) throw new ToolError(`"${requested}" is not a file`);
  return file;
}

function _readText(file: string): string {
  const size = statSync(file).size;
  const buffer = Buffer.alloc(Math.min(size, MAX_READ_BYTES));
  const fd = openSync(file, "r");
  try {
    readSync(fd, buffer, 0, buffer.length, 0);
  } finally {
    closeSync(fd);
  }
  if (buffer.includes(0)) return `(binary file, ${size} bytes; not shown)`;
  return size > MAX_READ_BYTES ? `${buffer.toString("utf8")}\n… (${size - MAX_READ_BYTES} more bytes not shown)` : buffer.toString("utf8");
}

/** Walks without following symlinks: a link inside the workspace must not lead the search outside. */
function _search(start: string, needle: string, base: string, found: string[] = []): string[] {
  const stat = _lstat(start);
  if (!stat || found.length >= MAX_MATCHES) return found;
  if (stat.isDirectory()) {
    for (const name of readdirSync(start).sort()) if (!SKIPPED_DIRS.has(name)) _search(path.join(start, name), needle, base, found);
    return found;
  }
  if (!stat.isFile() || stat.size > MAX_READ_BYTES) return found;
  const text = _readText(start);
  if (text.startsWith("(binary file")) return found;
  text.split("\n").forEach((line, index) => {
    if (found.length < MAX_MATCHES && line.toLowerCase().includes(needle)) found.push(`${path.relative(base, start)}:${index + 1}: ${line.trim().slice(0, 200)}`);
  });
  return found;
}
