import { sandboxArgv, type CommandSandbox } from "../tools/sandbox/sandbox-command.js";
import { readdirSync, readFileSync, lstatSync, statSync } from "node:fs";
import path from "node:path";
import { z } from "zod";
import { writeFileAtomic } from "../store/write-file-atomic.js";
import { scrubEnv } from "../tools/run-command-tool.js";
import { defineTool, ToolError, type Tool } from "../toolkit/tool.js";
import { createWorkspaceTools } from "../tools/workspace/workspace-tools.js";
import { confineToWorktree } from "./confine-to-worktree.js";
import { runGit } from "./run-git.js";
import { runWorkerCommand } from "./run-worker-command.js";

const MAX_MATCHES = 100;
const MAX_FILE = 1024 * 1024;
const MAX_DIFF = 64 * 1024;
const TAIL = 4000;

export interface WorkerToolOptions {
  worktree: string;
  env: NodeJS.ProcessEnv;
  commandTimeoutMs: number;
  /** Commands under bubblewrap with only the worktree writable; absent, they run bare. */
  sandbox?: CommandSandbox;
  /** After each command, the tail of its output (the task's test-output tail). */
  onCommand: (tail: string) => void;
  /** `finish_task` was called with this summary. */
  onFinish: (summary: string) => void;
}

/**
 * The task worker's coding tools, every path confined to its worktree: no notify, no GitHub, no
 * memory, no network tool exists here. Commands get a scrubbed environment (no keys or tokens).
 */
export function createWorkerTools(options: WorkerToolOptions): Tool[] {
  const { worktree } = options;
  const inside = (requested: string) => confineToWorktree(worktree, requested);
  const [readFile, listDir] = createWorkspaceTools({ roots: [worktree] }).filter((tool) => tool.name === "read_file" || tool.name === "list_dir");
  const guard = (tool: Tool): Tool => ({ ...tool, run: (input, context) => (inside((input as { path: string }).path), tool.run(input, context)) });
  return [
    guard(readFile!),
    guard(listDir!),
    _searchFiles(inside),
    _editFile(inside),
    _writeFile(inside),
    _runCommand(options),
    _gitDiff(worktree),
    defineTool({
      name: "finish_task",
      description: "End the task with a summary of what you changed and how you checked it (it becomes the commit message).",
      risk: "read",
      input: z.strictObject({ summary: z.string().min(1).max(4000) }),
      run: ({ summary }) => (options.onFinish(summary), { content: "finished" }),
    }),
  ];
}

function _searchFiles(inside: (requested: string) => string): Tool {
  return defineTool({
    name: "search_files",
    description: "Search the worktree's text files with a regular expression (JavaScript syntax), optionally under a path; .git is skipped.",
    risk: "read",
    input: z.strictObject({ query: z.string().min(1).max(500), path: z.string().min(1).optional() }),
    run({ query, path: requested }) {
      let pattern: RegExp;
      try {
        pattern = new RegExp(query);
      } catch (error) {
        throw new ToolError(`"${query}" is not a valid regular expression: ${(error as Error).message}`);
      }
      const root = inside(".");
      const found: string[] = [];
      _walk(inside(requested ?? "."), (file) => {
        const text = readFileSync(file, "utf8");
        if (text.includes("\0")) return;
        text.split("\n").forEach((line, index) => {
          if (found.length < MAX_MATCHES && pattern.test(line)) found.push(`${path.relative(root, file)}:${index + 1}: ${line.trim().slice(0, 200)}`);
        });
        return found.length < MAX_MATCHES;
      });
      return { content: found.length ? found.join("\n") : `no line matches /${query}/` };
    },
  });
}

/** Depth-first, sorted, without following symlinks (a link must not lead outside); stops when `visit` says false. */
function _walk(start: string, visit: (file: string) => boolean | void): boolean {
  const stat = lstatSync(start, { throwIfNoEntry: false });
  if (!stat) return true;
  if (stat.isDirectory()) {
    for (const name of readdirSync(start).sort()) if (name !== ".git" && name !== "node_modules" && !_walk(path.join(start, name), visit)) return false;
    return true;
  }
  if (!stat.isFile() || stat.size > MAX_FILE) return true;
  return visit(start) !== false;
}

function _editFile(inside: (requested: string) => string): Tool {
  return defineTool({
    name: "edit_file",
    description: "Replace one exact, unique occurrence of `old` with `new` in a file of the worktree (include enough context to make `old` unique).",
    risk: "write",
    input: z.strictObject({ path: z.string().min(1), old: z.string().min(1), new: z.string() }),
    run({ path: requested, old, new: replacement }) {
      const file = inside(requested);
      if (!statSync(file, { throwIfNoEntry: false })?.isFile()) throw new ToolError(`"${requested}" is not a file`);
      const text = readFileSync(file, "utf8");
      const at = text.indexOf(old);
      if (at === -1) throw new ToolError(`"old" was not found in ${requested}; read the file and copy the text exactly`);
      if (text.indexOf(old, at + 1) !== -1) throw new ToolError(`"old" occurs more than once in ${requested}; include more context`);
      writeFileAtomic(file, text.slice(0, at) + replacement + text.slice(at + old.length));
      return { content: `edited ${requested}` };
    },
  });
}

function _writeFile(inside: (requested: string) => string): Tool {
  return defineTool({
    name: "write_file",
    description: "Write a whole text file in the worktree (created or replaced; its folder must exist).",
    risk: "write",
    input: z.strictObject({ path: z.string().min(1), content: z.string().max(MAX_FILE) }),
    run({ path: requested, content }) {
      const file = inside(requested);
      if (statSync(file, { throwIfNoEntry: false })?.isDirectory()) throw new ToolError(`"${requested}" is a directory`);
      if (!statSync(path.dirname(file), { throwIfNoEntry: false })?.isDirectory()) throw new ToolError(`the folder of "${requested}" does not exist`);
      writeFileAtomic(file, content);
      return { content: `wrote ${Buffer.byteLength(content)} bytes to ${requested}` };
    },
  });
}

function _runCommand({ worktree, env, commandTimeoutMs, onCommand, sandbox }: WorkerToolOptions): Tool {
  const scrubbed = scrubEnv(env);
  return defineTool({
    name: "run_command",
    description: "Run a shell command in the worktree (tests, builds). No secrets are in its environment; only the end of the output is kept.",
    risk: "exec",
    input: z.strictObject({ command: z.string().min(1).max(4000) }),
    async run({ command }) {
      const argv = sandbox ? ([sandbox.bwrap, sandboxArgv({ bwrap: sandbox.bwrap, writable: worktree, hidden: sandbox.hidden, network: sandbox.network, cwd: worktree }, command)] as const) : undefined;
      const result = await runWorkerCommand(command, worktree, scrubbed, commandTimeoutMs, argv);
      const status = result.timedOut ? `killed after ${Math.round(commandTimeoutMs / 1000)} s` : `exit ${result.code}`;
      onCommand(`$ ${command}\n${status}\n${result.output.slice(-TAIL)}`);
      return { content: `${status}\n${result.output || "(no output)"}`, isError: result.code !== 0 };
    },
  });
}

function _gitDiff(worktree: string): Tool {
  return defineTool({
    name: "git_diff",
    description: "The diff of your changes so far against the task's starting commit, new files included.",
    risk: "read",
    input: z.strictObject({}),
    run() {
      runGit(worktree, ["add", "--all", "--intent-to-add"]);
      const diff = runGit(worktree, ["diff", "HEAD"]);
      return { content: diff.length > MAX_DIFF ? `${diff.slice(0, MAX_DIFF)}\n… (${diff.length - MAX_DIFF} more characters)` : diff || "(no changes)" };
    },
  });
}
