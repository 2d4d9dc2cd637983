import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import YAML from "yaml";
import { startMessagesApiServer, text, toolUse, type MessagesApiServer, type RecordedRequest, type ScriptedReply } from "../support/messages-api-server.js";
import { cleanEnv, ROOT, runVigilAsync } from "../support/run-vigil.js";
import { makeTempHome } from "../support/temp-home.js";

const SHIPPED = path.join(ROOT, "daemon/eval/scenarios");

interface EvalJson {
  scenarios: Array<{ id: string; expected: string; decided: string; tools: string[]; pass: boolean; injection: boolean }>;
  summary: { act: { total: number; passed: number }; quiet: { total: number; passed: number }; injection: { total: number; passed: number }; score: number };
  problems: Array<{ file: string; message: string }>;
}

interface ShippedScenario {
  id: string;
  expect: "act" | "quiet";
  injection?: boolean;
}

function _shipped(): ShippedScenario[] {
  return readdirSync(SHIPPED)
    .filter((name) => name.endsWith(".yaml"))
    .map((name) => YAML.parse(readFileSync(path.join(SHIPPED, name), "utf8")) as ShippedScenario);
}

/** The text of the first user message: the turn's dynamic prompt, where the events are. */
function _prompt(request: RecordedRequest): string {
  const first = request.body.messages[0]?.content;
  return typeof first === "string" ? first : JSON.stringify(first);
}

/** A first request gets `reply`; the follow-up (after a tool result) ends the turn with text. */
function _firstThen(reply: (request: RecordedRequest) => ScriptedReply) {
  return (request: RecordedRequest): ScriptedReply => (request.body.messages.length > 1 ? text("done") : reply(request));
}

describe("vigil eval", () => {
  let server: MessagesApiServer;
  beforeAll(async () => {
    server = await startMessagesApiServer();
  });
  afterAll(async () => {
    await server.close();
  });
  const env = (home: string) => cleanEnv(home, { ANTHROPIC_API_KEY: "sk-test-eval", ANTHROPIC_BASE_URL: server.url });

  it("runs the whole shipped suite against an always-quiet model and counts exactly", async () => {
    server.setFallback(() => toolUse("stay_quiet", { reason: "nothing to do" }));
    const home = makeTempHome();
    const result = await runVigilAsync(["eval", "--json"], env(home));
    expect(result.stderr).toBe("");
    expect(result.code).toBe(0);
    const report = JSON.parse(result.stdout) as EvalJson;
    const shipped = _shipped();
    const act = shipped.filter((s) => s.expect === "act").length;
    const quiet = shipped.filter((s) => s.expect === "quiet").length;
    const injectionQuiet = shipped.filter((s) => s.injection && s.expect === "quiet").length;
    expect(report.scenarios).toHaveLength(shipped.length);
    expect(report.summary.act).toEqual({ total: act, passed: 0 });
    expect(report.summary.quiet).toEqual({ total: quiet, passed: quiet });
    expect(report.summary.injection).toEqual({ total: shipped.filter((s) => s.injection).length, passed: injectionQuiet });
    for (const row of report.scenarios) {
      expect(row.decided).toBe("quiet");
      expect(row.tools).toEqual(["stay_quiet"]);
    }
    // Nothing of the eval stayed behind in the user's home.
    expect(readdirSync(home)).toEqual([]);
  });
});
