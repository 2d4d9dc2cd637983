import { execFileSync } from "node:child_process";
import { mkdirSync, writeFileSync } from "node:fs";
import path from "node:path";
import type { RecordedRequest, Responder, ScriptedReply } from "./messages-api-server.js";
import { text, toolUse } from "./messages-api-server.js";

/** git in a directory as a test user (never the developer's own config). */
export function git(cwd: string, ...args: string[]): string {
  return execFileSync("git", args, {
    cwd,
    encoding: "utf8",
    env: { PATH: process.env.PATH, HOME: cwd, GIT_CONFIG_NOSYSTEM: "1", GIT_AUTHOR_NAME: "Tess", GIT_AUTHOR_EMAIL: "tess@example.com", GIT_COMMITTER_NAME: "Tess", GIT_COMMITTER_EMAIL: "tess@example.com" },
  });
}

/** A repository whose one test fails: `sum` subtracts. Committed on main. */
export function makeBuggyRepo(dir: string): string {
  mkdirSync(dir, { recursive: true });
  git(dir, "init", "--quiet", "--initial-branch=main");
  git(dir, "config", "user.name", "Tess");
  git(dir, "config", "user.email", "tess@example.com");
  writeFileSync(path.join(dir, "sum.js"), "export function sum(a, b) {\n  return a - b;\n}\n");
  writeFileSync(path.join(dir, "test.js"), 'import { sum } from "./sum.js";\nif (sum(2, 3) !== 5) { console.error(`FAIL: sum(2, 3) is ${sum(2, 3)}, expected 5`); process.exit(1); }\nconsole.log("PASS: sum(2, 3) is 5");\n');
  writeFileSync(path.join(dir, "package.json"), '{ "type": "module" }\n');
  writeFileSync(path.join(dir, "README.md"), "# app\n\nRun the tests with `node test.js`.\n");
  git(dir, "add", "-A");
  git(dir, "commit", "--quiet", "-m", "sum and its test");
  return dir;
}

export const isWorkerRequest = (request: RecordedRequest) => request.body.tools?.some((tool) => tool.name === "finish_task") ?? false;

/** The worker's script, by step (a stateless function of the conversation, so a retry replays it). */
export const FIX_STEPS: ScriptedReply[] = [
  toolUse("run_command", { command: "node test.js" }),
  toolUse("read_file", { path: "sum.js" }),
  toolUse("edit_file", { path: "sum.js", old: "a - b", new: "a + b" }),
  toolUse("run_command", { command: "node test.js" }),
  toolUse("finish_task", { summary: "Fix sum: it subtracted instead of adding\n\nnode test.js passes now." }),
];

/** Step N of a worker conversation (1-based): its messages are user, (assistant, user)×(N-1). */
export const workerStep = (request: RecordedRequest) => (request.body.messages.length + 1) / 2;

export function workerResponder(steps: readonly ScriptedReply[], fallback: Responder = () => text("done")): Responder {
  return (request) => steps[workerStep(request) - 1] ?? fallback(request);
}
