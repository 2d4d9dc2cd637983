import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { createMagicDocJob } from "../../daemon/schedule/magic-doc-job.js";
import { parseMagicDocHeader } from "../../memory/magic-doc-header.js";
import { createMagicDocTracker } from "../../memory/track-magic-docs.js";
import { startHarness, type Harness } from "../support/daemon-harness.js";
import { startMessagesApiServer, text, toolUse, type MessagesApiServer, type RecordedRequest } from "../support/messages-api-server.js";
import { cleanEnv, runVigil, spawnVigil, waitFor, type RunningVigil } from "../support/run-vigil.js";
import { makeTempHome } from "../support/temp-home.js";

const HEADER = "<!-- MAGIC DOC: how the app is put together -->\n_Keep it under a page; list modules, not functions._";
const HOUR = 3600_000;

function makeProject(): { root: string; doc: string } {
  const root = makeTempHome("vigil-project-");
  mkdirSync(path.join(root, "src"));
  writeFileSync(path.join(root, "src", "app.ts"), "export const app = 1;\n");
  const doc = path.join(root, "ARCHITECTURE.md");
  writeFileSync(doc, `${HEADER}\n\n# Architecture\n\nOne module: app.\n`);
  return { root, doc };
}

async function setup(config?: string) {
  const h = await startHarness(config ? { config } : {});
  const project = makeProject();
  const job = createMagicDocJob(h.ctx, h.runtime, "anthropic");
  const tracker = createMagicDocTracker({ registry: job.registry, now: h.clock.now });
  expect(await tracker.discover([{ root: project.root, ignore: [] }], h.home)).toBe(1);
  const change = (file: string) => tracker.observe({ source: "files", payload: { path: path.join(project.root, file), root: project.root, kind: "change" } });
  return { h, job, tracker, change, ...project };
}

async function refresh(h: Harness, job: ReturnType<typeof createMagicDocJob>, rows: number): Promise<void> {
  await job.tick(h.clock.now());
  await waitFor(() => h.journal().filter((entry) => entry.data.event === "magic-doc").length === rows, 15_000, "the magic doc row");
}

describe("magic doc header", () => {
  it("reads the subject and the optional italic instructions; anything else is not a magic doc", () => {
    expect(parseMagicDocHeader(`${HEADER}\n\nbody`)).toEqual({
      subject: "how the app is put together",
      instructions: "Keep it under a page; list modules, not functions.",
      lines: HEADER.split("\n"),
    });
    expect(parseMagicDocHeader("<!-- MAGIC DOC: API -->\n# API")).toEqual({ subject: "API", lines: ["<!-- MAGIC DOC: API -->"] });
    expect(parseMagicDocHeader("# Title\n<!-- MAGIC DOC: late -->")).toBeUndefined();
    expect(parseMagicDocHeader("<!-- magic: no -->")).toBeUndefined();
  });
});

describe("magic docs", () => {
  it("a changed file gets its doc rewritten by a sub-turn whose only write is that doc; a write_file to another file is refused", async () => {
    const { h, job, change, root, doc } = await setup();
    expect(change("src/app.ts")).toBe(false);
    h.server.script(
      toolUse("read_file", { path: "src/app.ts" }),
      toolUse("write_file", { path: "src/planted.ts", content: "x" }),
      toolUse("update_magic_doc", { content: "# Architecture\n\nTwo modules: app and router." }),
      text("router added"),
    );
    await refresh(h, job, 1);

    expect(readFileSync(doc, "utf8")).toBe(`${HEADER}\n# Architecture\n\nTwo modules: app and router.\n`);
    expect(existsSync(path.join(root, "src", "planted.ts"))).toBe(false);
    const requests = h.server.requests;
    expect(new Set(requests[0]!.body.tools!.map((tool) => tool.name))).toEqual(new Set(["read_file", "list_dir", "search_files", "update_magic_doc", "stay_quiet"]));
    expect(JSON.stringify(requests[0]!.body.messages[0])).toContain("Changed since the last refresh: src/app.ts");
    expect(_lastResult(requests[1]!)).toContain("export const app = 1;");
    expect(_lastResult(requests[2]!)).toContain('there is no tool \\"write_file\\" in a magic-doc refresh of ARCHITECTURE.md');
    const [row] = h.journal("acted");
    expect(row).toMatchObject({ summary: "magic doc ARCHITECTURE.md refreshed: router added", data: { path: doc, changed: ["src/app.ts"], tool: "update_magic_doc" } });
    expect(job.registry.due(h.clock.now(), 24)).toEqual([]);
  });

  it("the refresh's own write wakes nothing; a second change waits out magicDocs.minIntervalHours; nothing new means no edit", async () => {
    const { h, job, tracker, change, root, doc } = await setup();
    change("src/app.ts");
    h.server.script(toolUse("update_magic_doc", { content: "# Architecture\n\nUpdated." }), text("updated"));
    await refresh(h, job, 1);
    expect(tracker.observe({ source: "files", payload: { path: doc, root, kind: "change" } })).toBe(true);

    change("src/app.ts");
    h.clock.advance(23 * HOUR);
    await job.tick(h.clock.now());
    expect(h.server.requests).toHaveLength(2);

    h.clock.advance(2 * HOUR);
    const before = readFileSync(doc, "utf8");
    h.server.script(toolUse("stay_quiet", { reason: "only a comment changed" }));
    await refresh(h, job, 2);
    expect(readFileSync(doc, "utf8")).toBe(before);
    expect(h.journal("quiet").at(-1)!.summary).toBe("magic doc ARCHITECTURE.md left as it was: only a comment changed");
  });

  it("waits while the daemon is busy: pending events hold the refresh back", async () => {
    const { h, job, change } = await setup();
    change("src/app.ts");
    h.notice({ summary: "something for the main turn" });
    await job.tick(h.clock.now());
    expect(h.server.requests).toHaveLength(0);
    expect(job.registry.due(h.clock.now(), 24)).toHaveLength(1);
  });

  it("a file that loses its header is forgotten; a file outside the doc's directory does not mark it", async () => {
    const { job, change, doc, tracker, root } = await setup();
    mkdirSync(path.join(root, "docs"));
    writeFileSync(path.join(root, "docs", "API.md"), "<!-- MAGIC DOC: the HTTP API -->\n");
    tracker.observe({ source: "files", payload: { path: path.join(root, "docs", "API.md"), root, kind: "add" } });
    change("src/app.ts");
    expect(job.registry.all().map((d) => [path.basename(d.path), d.changed])).toEqual([
      ["ARCHITECTURE.md", ["docs/API.md", "src/app.ts"]],
      ["API.md", []],
    ]);
    writeFileSync(doc, "# Just a file now\n");
    tracker.observe({ source: "files", payload: { path: doc, root, kind: "change" } });
    expect(job.registry.all().map((d) => path.basename(d.path))).toEqual(["API.md"]);
  });
});

describe("magic docs in the running daemon", () => {
  let server: MessagesApiServer;
  let daemon: RunningVigil | undefined;
  afterEach(async () => {
    daemon?.child.kill("SIGKILL");
    await server?.close();
  });

  it("a save under a watched root refreshes the doc once it is idle, and the doc's own rewrite is not an event", async () => {
    server = await startMessagesApiServer({
      fallback: (request) =>
        JSON.stringify(request.body.system).includes("magic doc") && !JSON.stringify(request.body.messages).includes("document updated")
          ? toolUse("update_magic_doc", { content: "# Architecture\n\nModules: app, router." })
          : JSON.stringify(request.body.system).includes("magic doc")
            ? text("router documented")
            : toolUse("stay_quiet", { reason: "nothing to do" }),
    });
    const { root, doc } = makeProject();
    const home = makeTempHome();
    writeFileSync(
      path.join(home, "config.yaml"),
      `heartbeat: { tickSeconds: 0.2, idleWakeMinutes: 0, settleMs: 100, quietHours: null }\nserver: { port: 0 }\nnotify: { desktop: false }\nwatch: [ { path: ${JSON.stringify(root)} } ]\n`,
    );
    const env = cleanEnv(home, { ANTHROPIC_API_KEY: "sk-test-loopback", ANTHROPIC_BASE_URL: server.url });
    daemon = spawnVigil(["start"], env);
    await waitFor(() => daemon!.output().stderr.includes("provider: anthropic"), 15_000, "daemon start");
    writeFileSync(path.join(root, "src", "router.ts"), "export const router = 2;\n");
    await waitFor(() => readFileSync(doc, "utf8").includes("Modules: app, router."), 20_000, "the doc refreshed");
    await waitFor(() => runVigil(["log", "--grep", "magic doc ARCHITECTURE.md refreshed"], env).stdout.includes("router documented"), 10_000, "the acted row");
    await new Promise((resolve) => setTimeout(resolve, 2500)); // room for a (wrong) event about the doc's own rewrite
    const noticed = runVigil(["log", "--kind", "noticed", "--json"], env).stdout.split("\n").filter(Boolean).map((line) => JSON.parse(line) as { summary: string });
    expect(noticed.map((row) => row.summary)).toEqual([expect.stringContaining("src/router.ts created")]);
    expect(readFileSync(doc, "utf8").startsWith(HEADER)).toBe(true);
  });
});

function _lastResult(request: RecordedRequest): string {
  return JSON.stringify(request.body.messages.at(-1)!.content);
}
