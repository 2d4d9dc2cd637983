import { readFileSync, writeFileSync, mkdirSync, existsSync, statSync } from "node:fs";
import path from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { signApprovalToken, hashApprovalInput } from "../../daemon/phone/approval-token.js";
import { startMessagesApiServer, toolUse, type MessagesApiServer } from "../support/messages-api-server.js";
import { startNtfyServer, type NtfyMessage, type NtfyServer } from "../support/ntfy-server.js";
import { makeTempHome } from "../support/temp-home.js";
import { cleanEnv, runVigil, spawnVigil, waitFor, type RunningVigil } from "../support/run-vigil.js";

const NTFY_TOKEN = "tk_phone_token_123";
let api: MessagesApiServer;
let ntfy: NtfyServer;
const daemons: RunningVigil[] = [];
afterEach(async () => {
  for (const daemon of daemons.splice(0)) daemon.child.kill("SIGKILL");
  await api?.close();
  await ntfy?.close();
});

async function setup(extra = "") {
  api = await startMessagesApiServer();
  ntfy = await startNtfyServer(NTFY_TOKEN);
  const home = makeTempHome();
  const workspace = path.join(home, "ws");
  mkdirSync(workspace);
  writeFileSync(
    path.join(home, "config.yaml"),
    [
      "server: { port: 0 }",
      "heartbeat: { tickSeconds: 0.1, idleWakeMinutes: 0, settleMs: 100, quietHours: null }",
      `tools: { workspace: ["${workspace}"], policy: { run_command: ask } }`,
      `notify: { desktop: false, maxPerHour: 1000, ntfy: { server: "${ntfy.url}", topic: vigil-me, token: env:NTFY_TOKEN, approvals: { enabled: true${extra} } } }`,
    ].join("\n") + "\n",
  );
  const env = cleanEnv(home, { ANTHROPIC_API_KEY: "sk-ant-loopback-0000", ANTHROPIC_BASE_URL: api.url, NTFY_TOKEN });
  return { home, env, workspace };
}

function start(env: NodeJS.ProcessEnv): RunningVigil {
  const daemon = spawnVigil(["start"], env);
  daemons.push(daemon);
  return daemon;
}

function journal(env: NodeJS.ProcessEnv) {
  return runVigil(["log", "--json"], env).stdout.trim().split("\n").filter(Boolean).map((line) => JSON.parse(line) as { kind: string; summary: string; data: Record<string, unknown> });
}

/** What the ntfy app does when the button is pressed: the action's request, exactly. */
async function press(action: NonNullable<NtfyMessage["actions"]>[number]): Promise<number> {
  const response = await fetch(action.url, { method: action.method, headers: action.headers, body: action.body });
  return response.status;
}

async function requestApproval(env: NodeJS.ProcessEnv, command: string, count: number): Promise<NtfyMessage> {
  api.script(toolUse("run_command", { command }), toolUse("stay_quiet", { reason: "asked" }));
  expect(runVigil(["tell", `please run ${command.slice(0, 40)}`], env).code).toBe(0);
  return waitFor(() => ntfy.on("vigil-me").filter((message) => message.title?.startsWith("Vigil asks"))[count - 1], 20_000, `approval notification ${count}`);
}

describe("approve from the phone through ntfy", () => {
  it("the notification shows the whole command; Approve runs it once; replays, forgeries, expired and already-denied presses change nothing", async () => {
    const { home, env, workspace } = await setup();
    start(env);
    const notice = await requestApproval(env, "echo ran >> approved.txt", 1);
    expect(notice.message).toContain("$ echo ran >> approved.txt");
    expect(notice.message).toMatch(/Why: tools\.policy for run_command is ask/);
    expect(notice.message).toMatch(/Expires \d{4}-\d{2}-\d{2} \d{2}:\d{2} \(UTC\)/);
    expect(notice.actions!.map((action) => action.label)).toEqual(["Approve", "Deny"]);
    const approve = notice.actions![0]!;
    const replyTopic = readFileSync(path.join(home, "ntfy-reply-topic"), "utf8").trim();
    expect(approve).toMatchObject({ action: "http", method: "POST", url: `${ntfy.url}/${replyTopic}`, headers: { Authorization: `Bearer ${NTFY_TOKEN}` } });
    expect(replyTopic.length).toBeGreaterThanOrEqual(32);
    expect(statSync(path.join(home, "approval.key")).mode & 0o777).toBe(0o600);
    const doctor = JSON.parse(runVigil(["doctor", "--json"], env).stdout) as Array<{ name: string; detail: string }>;
    expect(doctor.find((check) => check.name === "phone approvals")!.detail).toContain(`buttons publish to ${ntfy.url}/${replyTopic}`);

    expect(await press(approve)).toBe(200);
    await waitFor(() => existsSync(path.join(workspace, "approved.txt")), 20_000, "the approved command");
    await waitFor(() => ntfy.on("vigil-me").some((message) => message.message.startsWith("approved: run_command echo ran")), 10_000, "confirmation");
    expect(journal(env).some((row) => row.summary === "approval #1 approved by the user (from the phone): run_command")).toBe(true);

    // The same press again, and a copy with one character of its token changed.
    expect(await press(approve)).toBe(200);
    const forged = { ...approve, body: approve.body.slice(0, -2) + (approve.body.at(-2) === "A" ? "B" : "A") + approve.body.at(-1) };
    expect(await press(forged)).toBe(200);
    await waitFor(() => journal(env).filter((row) => row.data.event === "phone-decision-refused").length === 2, 15_000, "two refusals");
    const refusals = journal(env).filter((row) => row.data.event === "phone-decision-refused").map((row) => row.summary);
    expect(refusals).toEqual(["phone decision refused for approval #1: already done", "phone decision refused: bad signature (forged or altered)"]);

    // An expired token (signed with the home's own key, as only Vigil could) and one for an approval denied in the shell.
    const second = await requestApproval(env, "echo second >> approved.txt", 2);
    const pending = JSON.parse(runVigil(["approvals", "--json"], env).stdout.trim()) as { id: number; input: unknown };
    const key = Buffer.from(readFileSync(path.join(home, "approval.key"), "utf8").trim(), "hex");
    const expired = signApprovalToken(key, { id: pending.id, decision: "approve", inputHash: hashApprovalInput(JSON.stringify(pending.input)), expiresAt: Date.now() - 1000 });
    expect(await press({ ...second.actions![0]!, body: expired })).toBe(200);
    await waitFor(() => journal(env).some((row) => row.summary === `phone decision refused for approval #${pending.id}: expired`), 15_000, "expired refused");
    expect(runVigil(["deny", String(pending.id)], env).code).toBe(0);
    expect(await press(second.actions![0]!)).toBe(200);
    await waitFor(() => journal(env).some((row) => row.summary === `phone decision refused for approval #${pending.id}: already denied`), 15_000, "denied refused");
    expect(readFileSync(path.join(workspace, "approved.txt"), "utf8")).toBe("ran\n");
    await waitFor(() => ntfy.on("vigil-me").some((message) => message.message === "not applied: expired"), 20_000, "the refusal's confirmation");
    expect(runVigil(["log", "verify"], env).code).toBe(0);
    const listed = runVigil(["approvals"], env).stdout;
    expect(listed).toMatch(/#1 {2}run_command approved from the phone at /);
    expect(listed).toMatch(new RegExp(`#${pending.id}  run_command denied in the shell at `));
    const review = runVigil(["review", "--day", "today"], env).stdout;
    expect(review).toMatch(/Approvals decided[\s\S]*#1 run_command approved from the phone[\s\S]*run_command denied in the shell/);
  });

  it("a command longer than a notification can show gets no Approve button; a tool kept off the phone gets none at all", async () => {
    const { env } = await setup(", phone: { write_file: never }");
    start(env);
    const long = `echo ${"a".repeat(3990)}`;
    const notice = await requestApproval(env, long, 1);
    expect(notice.actions!.map((action) => action.label)).toEqual(["Deny"]);
    expect(notice.message).toMatch(/the whole action does not fit a notification, so it cannot be approved from here/);
    expect(Buffer.byteLength(notice.message)).toBeLessThanOrEqual(4096);
    api.script(toolUse("write_file", { path: "notes.txt", content: "hello" }), toolUse("stay_quiet", { reason: "asked" }));
    runVigil(["tell", "write the notes"], env);
    const offPhone = await waitFor(() => ntfy.on("vigil-me").filter((message) => message.title?.startsWith("Vigil asks"))[1], 20_000, "write_file notice");
    expect(offPhone.actions).toBeUndefined();
    expect(offPhone.message).toContain("write_file is approved only in the shell or on the review page");
    expect(offPhone.message).toContain("+hello");
  });

  it("a press made while ntfy restarted, or while the daemon was stopped, is applied once when they are back", async () => {
    const { env, workspace } = await setup();
    const daemon = start(env);
    const first = await requestApproval(env, "echo one >> log.txt", 1);
    await ntfy.restart();
    expect(await press(first.actions![0]!)).toBe(200);
    await waitFor(() => existsSync(path.join(workspace, "log.txt")), 20_000, "applied after the ntfy restart");

    const second = await requestApproval(env, "echo two >> log.txt", 2);
    daemon.child.kill("SIGTERM");
    expect(await daemon.exited).toBe(0);
    expect(await press(second.actions![0]!)).toBe(200);
    start(env);
    await waitFor(() => readFileSync(path.join(workspace, "log.txt"), "utf8") === "one\ntwo\n", 20_000, "applied after the daemon restart");
    await new Promise((resolve) => setTimeout(resolve, 1500));
    expect(readFileSync(path.join(workspace, "log.txt"), "utf8")).toBe("one\ntwo\n");
  });
});
