import { readFileSync, writeFileSync } from "node:fs";
import { Agent, request } from "node:http";
import path from "node:path";
import Database from "better-sqlite3";
import { Webhooks } from "@octokit/webhooks";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { normalizeGithubEvent } from "../../daemon/github/normalize-github-event.js";
import { githubExamples } from "../support/github-examples.js";
import { cleanEnv, runVigilAsync, spawnVigil, waitFor, type RunningVigil } from "../support/run-vigil.js";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";

const SECRET = "webhook-secret-for-tests-0123";
const FOLLOWED = ["pull_request", "pull_request_review", "pull_request_review_comment", "issue_comment", "check_run", "check_suite", "workflow_run", "status"];
const examples = githubExamples(FOLLOWED);
const repos = [...new Set(examples.map((example) => String(example.payload.repository?.full_name)))];
const signer = new Webhooks({ secret: SECRET });

let home: string;
let daemon: RunningVigil;
let url: string;
let db: Database.Database;
let deliveries = 0;

async function post(body: string, headers: Record<string, string> = {}) {
  const response = await fetch(`${url}/webhooks/github`, {
    method: "POST",
    headers: { "content-type": "application/json", "x-github-event": "ping", "x-github-delivery": `d-${++deliveries}`, ...headers },
    body,
  });
  return { status: response.status, json: (await response.json()) as Record<string, unknown> };
}

async function postSigned(name: string, payload: unknown, delivery = `d-${++deliveries}`) {
  const body = JSON.stringify(payload);
  return post(body, { "x-github-event": name, "x-github-delivery": delivery, "x-hub-signature-256": await signer.sign(body) });
}

const eventCount = () => (db.prepare("SELECT count(*) FROM events").pluck().get() as number);

beforeAll(async () => {
  home = mkdtempSync(path.join(tmpdir(), "vigil-webhooks-"));
  writeFileSync(
    path.join(home, "config.yaml"),
    `heartbeat: { tickSeconds: 3600 }\nserver: { port: 0 }\ngithub:\n  webhooks: { enabled: true, secret: env:HOOK_SECRET }\n  subscriptions: ${JSON.stringify(repos.filter((repo) => repo !== "octo-org/octo-repo"))}\n`,
  );
  daemon = spawnVigil(["start"], cleanEnv(home, { HOOK_SECRET: SECRET }));
  url = (await waitFor(() => /http: listening on (\S+)/.exec(daemon.output().stderr)?.[1], 15_000, "the HTTP server"))!;
  db = new Database(path.join(home, "vigil.db"), { readonly: true });
  // Followed PRs whose heads are the commits of the check and status examples, as a synchronize would record.
  const writer = new Database(path.join(home, "vigil.db"));
  const heads = examples.flatMap((e) => [e.payload.check_run?.head_sha, e.payload.check_suite?.head_sha, e.payload.workflow_run?.head_sha, e.name === "status" ? e.payload.sha : undefined]).filter(Boolean);
  [...new Set(heads)].forEach((sha, i) => writer.prepare("INSERT INTO pr_heads (repo, number, head_sha) VALUES ('codertocat/hello-world', ?, ?)").run(100 + i, sha));
  writer.close();
});

afterAll(async () => {
  db?.close();
  daemon.child.kill("SIGTERM");
  await daemon.exited;
  rmSync(home, { recursive: true, force: true });
});

describe("GitHub webhooks into the running daemon", () => {
  it("GET /healthz answers 200 with the live status", async () => {
    const response = await fetch(`${url}/healthz`);
    expect(response.status).toBe(200);
    expect(await response.json()).toMatchObject({ status: "ok", pid: daemon.child.pid, webhooks: { queued: expect.any(Number) } });
  });

  it("every example of the followed event types, signed for real: accepted, and one event for each followed action", async () => {
    let followed = 0;
    for (const example of examples.filter((e) => e.payload.repository?.full_name !== "octo-org/octo-repo")) {
      const before = eventCount();
      const change = normalizeGithubEvent(example.name, example.payload);
      const { status, json } = await postSigned(example.name, example.payload);
      expect(status, `${example.name}.${example.payload.action}`).toBe(202);
      if (!change) {
        expect(json.status).toBe("ignored");
        expect(eventCount()).toBe(before);
        continue;
      }
      followed++;
      expect(json, `${example.name}.${example.payload.action}`).toMatchObject({ status: expect.stringMatching(/queued|duplicate/) });
      const row = db.prepare("SELECT * FROM events WHERE id = ?").get(json.eventId) as { summary: string; source: string; type: string; trust: string };
      expect(row.source).toBe("github");
      expect(row.type).toBe(change.type);
      expect(row.summary).toMatch(/#\d+/);
      if (example.name.startsWith("pull_request") || example.name === "issue_comment") {
        expect(row.summary).toContain(change.actor);
      }
      if (change.details.conclusion) expect(row.summary).toContain(String(change.details.conclusion));
    }
    expect(followed).toBeGreaterThanOrEqual(20);
  });

  it("an issue comment on a pull request is followed, with trust from author_association", async () => {
    const [comment] = githubExamples(["issue_comment"]).filter((e) => e.payload.action === "created");
    const onPull = structuredClone(comment!.payload);
    onPull.issue.pull_request = { url: "https://api.github.com/repos/Codertocat/Hello-World/pulls/1" };
    onPull.comment.id = 987654;
    onPull.comment.author_association = "NONE";
    const { status, json } = await postSigned("issue_comment", onPull);
    expect(status).toBe(202);
    const row = db.prepare("SELECT * FROM events WHERE id = ?").get(json.eventId) as { type: string; trust: string; summary: string };
    expect(row).toMatchObject({ type: "issue_comment.created", trust: "untrusted" });
    expect(row.summary).toContain(`#${onPull.issue.number}`);
  });

  it("rejects what it must, and queues nothing for it", async () => {
    const [opened] = githubExamples(["pull_request"]).filter((e) => e.payload.action === "opened");
    const body = JSON.stringify(opened!.payload);
    const before = eventCount();
    expect((await post(body, { "x-github-event": "pull_request", "x-hub-signature-256": await new Webhooks({ secret: "wrong" }).sign(body) })).status).toBe(401);
    expect((await post(body, { "x-github-event": "pull_request" })).status).toBe(401);
    expect((await post("x".repeat(1024 * 1024 + 1), { "x-github-event": "pull_request", "x-hub-signature-256": "sha256=00" })).status).toBe(413);
    const broken = '{"action": "opened", ';
    expect((await post(broken, { "x-github-event": "pull_request", "x-hub-signature-256": await signer.sign(broken) })).status).toBe(400);
    const wrongType = await fetch(`${url}/webhooks/github`, { method: "POST", headers: { "content-type": "text/plain" }, body });
    expect(wrongType.status).toBe(415);
    expect(eventCount()).toBe(before);
    expect((await fetch(`${url}/healthz`)).status).toBe(200); // and the daemon is fine
  });

  it("a replayed delivery id is accepted once and ignored after", async () => {
    const [review] = githubExamples(["pull_request_review"]);
    const payload = structuredClone(review!.payload);
    payload.review.id = 55555;
    const first = await postSigned("pull_request_review", payload, "replayed-1");
    const before = eventCount();
    const again = await postSigned("pull_request_review", payload, "replayed-1");
    expect(first.status).toBe(202);
    expect(again).toMatchObject({ status: 200, json: { status: "duplicate" } });
    expect(eventCount()).toBe(before);
  });

  it("an event for a repository nobody subscribed to makes no event", async () => {
    const other = examples.find((e) => e.payload.repository?.full_name === "octo-org/octo-repo") ?? { name: "pull_request", payload: { ...githubExamples(["pull_request"])[0]!.payload, repository: { full_name: "stranger/elsewhere" } } };
    const before = eventCount();
    const { status, json } = await postSigned(other.name, other.payload);
    expect(status).toBe(202);
    expect(json).toMatchObject({ status: "ignored" });
    expect(eventCount()).toBe(before);
  });

  it("a merged PR ends its own subscription, journaled", async () => {
    const env = cleanEnv(home, { HOOK_SECRET: SECRET });
    expect((await runVigilAsync(["subscribe", "someone/lib#77"], env)).code).toBe(0);
    const [closed] = githubExamples(["pull_request"]).filter((e) => e.payload.action === "closed");
    const merged = structuredClone(closed!.payload);
    merged.repository.full_name = "someone/lib";
    merged.pull_request.number = 77;
    merged.pull_request.merged = true;
    expect((await postSigned("pull_request", merged)).status).toBe(202);
    const list = await runVigilAsync(["subscriptions"], env);
    expect(list.stdout).not.toContain("someone/lib#77");
    const log = await runVigilAsync(["log", "--grep", "someone/lib#77 ended"], env);
    expect(log.stdout).toContain("the pull request was merged");
  });

  it("a burst over many connections shares commits and loses nothing: every 202 is an event, a journal row and a Markdown line, once", async () => {
    const repo = repos.find((r) => r !== "octo-org/octo-repo")!;
    const before = eventCount();
    const burst = Array.from({ length: 60 }, (_, i) => ({
      action: "submitted",
      review: { id: 7_000_000 + i, state: "commented", body: `burst ${i}`, user: { login: "rev" }, author_association: "MEMBER" },
      pull_request: { number: 9000 + i, title: "burst", head: { sha: "abc" } },
      repository: { full_name: repo },
      sender: { login: "rev" },
    }));
    // Sixty requests at once: fetch opens several keep-alive connections, so deliveries arrive together.
    const answers = await Promise.all(burst.map((payload, i) => postSigned("pull_request_review", payload, `burst-${i}`)));
    expect(answers.map((answer) => answer.status)).toEqual(burst.map(() => 202));
    expect(eventCount()).toBe(before + 60);
    const ids = answers.map((answer) => answer.json.eventId as number);
    const noticed = db.prepare(`SELECT seq, day FROM journal WHERE kind = 'noticed' AND json_extract(data, '$.eventId') IN (${ids.join(",")}) ORDER BY seq`).all() as Array<{ seq: number; day: string }>;
    expect(noticed).toHaveLength(60);
    const markdown = readFileSync(path.join(home, "logs", ...noticed[0]!.day.split("-").slice(0, 2), `${noticed[0]!.day}.md`), "utf8");
    for (const { seq } of noticed) expect(markdown.split(`\`#${seq}\``).length - 1, `line for #${seq}`).toBe(1);
    expect((await runVigilAsync(["log", "verify"], cleanEnv(home, { HOOK_SECRET: SECRET }))).code).toBe(0);
  });

  it("a long burst (checkpoints in their thread, syncs after commits) loses nothing: every 202 is one event, one journal row and one Markdown line; a repeated id is a duplicate", async () => {
    const repo = repos.find((r) => r !== "octo-org/octo-repo")!;
    const before = eventCount();
    const count = 1500;
    const items = await Promise.all(
      Array.from({ length: count }, async (_, i) => {
        const body = JSON.stringify({
          action: "submitted",
          review: { id: 8_000_000 + i, state: "commented", body: `long burst ${i}`, user: { login: "rev" }, author_association: "MEMBER" },
          pull_request: { number: 1, title: "long burst", head: { sha: "abc" } },
          repository: { full_name: repo },
          sender: { login: "rev" },
        });
        return { body, delivery: `long-${i}`, signature: await signer.sign(body) };
      }),
    );
    // Every 50th delivery is sent a second time, late in the burst.
    const repeats = items.filter((_, i) => i % 50 === 0).map((item) => ({ ...item }));
    const agent = new Agent({ keepAlive: true, maxSockets: 32 });
    const target = new URL(`${url}/webhooks/github`);
    const send = (item: { body: string; delivery: string; signature: string }) =>
      new Promise<{ status: number; json: Record<string, unknown> }>((resolve, reject) => {
        const req = request(target, { method: "POST", agent, headers: { "content-type": "application/json", "x-github-event": "pull_request_review", "x-github-delivery": item.delivery, "x-hub-signature-256": item.signature } }, (res) => {
          let text = "";
          res.setEncoding("utf8").on("data", (chunk: string) => (text += chunk));
          res.on("end", () => resolve({ status: res.statusCode!, json: JSON.parse(text) as Record<string, unknown> }));
        });
        req.on("error", reject);
        req.end(item.body);
      });
    const queue = [...items, ...repeats];
    const answers: Array<{ status: number; json: Record<string, unknown> }> = [];
    await Promise.all(Array.from({ length: 32 }, async () => {
      for (let item = queue.shift(); item; item = queue.shift()) answers.push(await send(item));
    }));
    agent.destroy();
    const accepted = answers.filter((answer) => answer.status === 202);
    expect(accepted).toHaveLength(count);
    expect(answers.filter((answer) => answer.status === 200 && answer.json.status === "duplicate")).toHaveLength(repeats.length);
    expect(eventCount()).toBe(before + count);
    const ids = accepted.map((answer) => answer.json.eventId as number);
    const noticed = db.prepare(`SELECT seq, day FROM journal WHERE kind = 'noticed' AND json_extract(data, '$.eventId') IN (${ids.join(",")}) ORDER BY seq`).all() as Array<{ seq: number; day: string }>;
    expect(noticed).toHaveLength(count);
    const markdown = readFileSync(path.join(home, "logs", ...noticed[0]!.day.split("-").slice(0, 2), `${noticed[0]!.day}.md`), "utf8");
    const lines = new Map<string, number>();
    for (const match of markdown.matchAll(/`#(\d+)`/g)) lines.set(match[1]!, (lines.get(match[1]!) ?? 0) + 1);
    expect(noticed.filter(({ seq }) => lines.get(String(seq)) !== 1)).toEqual([]);
    expect((await runVigilAsync(["log", "verify"], cleanEnv(home, { HOOK_SECRET: SECRET }))).code).toBe(0);
  });
});
