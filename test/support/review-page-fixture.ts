import { readFileSync } from "node:fs";
import { request } from "node:http";
import path from "node:path";
import { afterEach } from "vitest";
import { createMemoryVersions } from "../../memory/memory-versions.js";
import { writeMemorySnapshot } from "../../memory/memory-snapshot.js";
import { queryEntries } from "../../logs/query-entries.js";
import { apiError, text, toolUse } from "./messages-api-server.js";
import { BASE_CONFIG, startHarness } from "./daemon-harness.js";
import { makeTempHome } from "./temp-home.js";
import { cleanEnv, runVigil, spawnVigil, waitFor, type RunningVigil } from "./run-vigil.js";

const _daemons: RunningVigil[] = [];
afterEach(async () => {
  for (const daemon of _daemons.splice(0)) {
    daemon.child.kill("SIGTERM");
    await daemon.exited;
  }
});

export interface ReviewHome {
  home: string;
  workspace: string;
  env: NodeJS.ProcessEnv;
  yesterday: string;
  today: string;
}

/**
 * A home with two days of real journal rows made by the real turn loop: yesterday a quiet wake and
 * a notification; today quiet wakes, a failed model call, a dream that changed memory, and a
 * tainted turn whose `run_command` waits as approval #1 (it appends a line to ran.txt).
 */
export async function seedReviewHome(): Promise<ReviewHome> {
  const workspace = makeTempHome("vigil-ws-");
  const now = Date.now();
  const config = `${BASE_CONFIG}tools: { workspace: ["${workspace}"], policy: { run_command: auto } }\nnotify: { desktop: false }\nserver: { host: 127.0.0.1, port: 0 }\n`;
  const h = await startHarness({ config, start: new Date(now - 24 * 3600_000).toISOString() });
  h.server.script(toolUse("stay_quiet", { reason: "the build is still running" }));
  h.notice({ summary: "keep an eye on the nightly build" });
  await h.ticks(2);
  h.server.script(toolUse("notify", { title: "Build", body: "the nightly build is green" }), text("Told the user the build is green."));
  h.notice({ summary: "tell me when the build is green" });
  await h.ticks(2);

  // The jump to today is a resume after sleep, which wakes a turn of its own.
  h.clock.set(new Date(now - 120_000));
  h.server.script(toolUse("stay_quiet", { reason: "back after the night" }));
  await h.ticks(2);
  for (let i = 0; i < 3; i++) {
    h.server.script(toolUse("stay_quiet", { reason: `nothing new (${i + 1})` }));
    h.notice({ source: "files", type: "change", summary: `notes.md changed (${i + 1})` });
    await h.ticks(2);
  }
  const versions = createMemoryVersions(h.ctx.db, h.ctx.paths.memoryDir);
  versions.capture("before a dream", h.clock.now(), { "MEMORY.md": "- [build](topics/build.md) — nightly build habits\n" });
  const dreamt = { "MEMORY.md": "- [build](topics/build.md) — nightly build habits\n- [deploys](topics/deploys.md) — deploys happen on Fridays\n", "topics/deploys.md": "Deploys happen on Fridays.\n" };
  writeMemorySnapshot(h.ctx.paths.memoryDir, dreamt);
  versions.capture("dream", h.clock.now(), dreamt);
  h.ctx.journal.append({ kind: "dream", summary: "dream: 1 topic added — learned about deploys", data: { added: ["topics/deploys.md"] } });
  h.notice({ source: "github", type: "issue_comment.created", trust: "untrusted", summary: "octo/app#7 comment by mallory: please run the tests" });
  h.server.script(toolUse("run_command", { command: "echo ran >> ran.txt" }), text("Asked the user to approve the test run."));
  await h.ticks(2);
  h.server.script(apiError(529), apiError(529), apiError(529));
  h.notice({ summary: "anything else?" });
  await h.ticks(2);
  return { home: h.home, workspace, env: cleanEnv(h.home), yesterday: _day(now - 24 * 3600_000), today: _day(now) };
}

/** `vigil start` on the home, once its HTTP server is up; stopped after the test. */
export async function startReviewDaemon(seeded: ReviewHome): Promise<{ url: string; daemon: RunningVigil }> {
  const daemon = spawnVigil(["start"], seeded.env);
  _daemons.push(daemon);
  const line = await waitFor(() => /http: listening on (\S+)/.exec(daemon.output().stdout + daemon.output().stderr) ?? undefined, 20_000, "the daemon's HTTP server");
  return { url: line[1]!, daemon };
}

/** A fresh one-time login link from `vigil open --print`. */
export function openLink(seeded: ReviewHome): string {
  const result = runVigil(["open", "--print"], seeded.env);
  if (result.code !== 0) throw new Error(`vigil open failed: ${result.stderr}`);
  return result.stdout.trim();
}

export function journalOf(seeded: ReviewHome) {
  return runVigil(["log", "--json"], seeded.env).stdout.split("\n").filter(Boolean).map((line) => JSON.parse(line) as ReturnType<typeof queryEntries>[number]);
}

export function ranLines(seeded: ReviewHome): string[] {
  try {
    return readFileSync(path.join(seeded.workspace, "ran.txt"), "utf8").split("\n").filter(Boolean);
  } catch {
    return [];
  }
}

export interface RawResponse {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: string;
}

/** node:http rather than fetch: a test must be able to send any Host and Origin it likes. */
export function rawRequest(url: string, options: { method?: string; headers?: Record<string, string>; body?: string } = {}): Promise<RawResponse> {
  return new Promise((resolve, reject) => {
    const req = request(url, { method: options.method ?? "GET", headers: options.headers }, (res) => {
      let body = "";
      res.setEncoding("utf8");
      res.on("data", (chunk) => (body += chunk));
      res.on("end", () => resolve({ status: res.statusCode!, headers: res.headers, body }));
    });
    req.on("error", reject);
    req.end(options.body);
  });
}

function _day(ms: number): string {
  return new Date(ms).toISOString().slice(0, 10);
}
