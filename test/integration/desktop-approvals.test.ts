import { spawn, spawnSync, type ChildProcess } from "node:child_process";
import { chmodSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { startMessagesApiServer, toolUse, type MessagesApiServer } from "../support/messages-api-server.js";
import { startNtfyServer, type NtfyMessage, type NtfyServer } from "../support/ntfy-server.js";
import { createNotifySendActions } from "../../daemon/notify/notify-send-actions.js";
import { checkSystemTools } from "../support/system-tools.js";
import { makeTempHome } from "../support/temp-home.js";
import { cleanEnv, runVigil, spawnVigil, waitFor, type RunningVigil } from "../support/run-vigil.js";

const NTFY_TOKEN = "tk_desktop_test_456";
const tools = checkSystemTools({ Xvfb: "xvfb", dunst: "dunst", dunstctl: "dunst", "dbus-run-session": "dbus", "dbus-send": "dbus-bin", "notify-send": "libnotify-bin" });

/**
 * A desktop as a login has it: an X server, one session bus, and dunst as the notification
 * server. dunst's context menu is how a person picks a notification's action; its `dmenu` program
 * here is a script that records the menu it was shown and picks the line the test asked for.
 */
interface Desktop {
  env: { DISPLAY: string; DBUS_SESSION_BUS_ADDRESS: string };
  /** Opens dunst's menu of the open notifications' actions and picks `label` ("" picks none); the menu's lines. */
  pick(label: string): Promise<string[]>;
  displayed(): number;
  /** Closes every notification and returns dunst's history (JSON text): summaries and bodies. */
  history(): string;
  close(): Promise<void>;
}

async function startDesktop(): Promise<Desktop> {
  // Lives across the tests (makeTempHome's folders go after each).
  const dir = mkdtempSync(path.join(tmpdir(), "vigil-desktop-"));
  const display = `:${100 + (process.pid % 50)}`;
  const xvfb = spawn("Xvfb", [display, "-nolisten", "tcp"], { stdio: "ignore" });
  await new Promise((resolve) => setTimeout(resolve, 500));
  const menu = path.join(dir, "menu.txt");
  const choice = path.join(dir, "choice.txt");
  const dmenu = path.join(dir, "dmenu.sh");
  writeFileSync(dmenu, `#!/bin/sh\ncat > "${menu}.part"\nmv "${menu}.part" "${menu}"\nlabel=$(cat "${choice}")\n[ -n "$label" ] && grep -m1 "^#$label " "${menu}"\nexit 0\n`);
  chmodSync(dmenu, 0o700);
  writeFileSync(path.join(dir, "dunstrc"), `[global]\n    dmenu = ${dmenu}\n`);
  const session: ChildProcess = spawn("dbus-run-session", ["--", "sh", "-c", 'echo "$DBUS_SESSION_BUS_ADDRESS"; exec dunst -config "$0" 2>/dev/null', path.join(dir, "dunstrc")], {
    env: { PATH: process.env.PATH, HOME: dir, DISPLAY: display },
    stdio: ["ignore", "pipe", "ignore"],
  });
  let out = "";
  session.stdout!.on("data", (chunk) => (out += chunk));
  const address = await waitFor(() => out.includes("\n") && out.split("\n")[0]!, 10_000, "the session bus");
  const env = { DISPLAY: display, DBUS_SESSION_BUS_ADDRESS: address };
  const dunstctl = (...args: string[]) => spawnSync("dunstctl", args, { env: { PATH: process.env.PATH, ...env }, encoding: "utf8" });
  await waitFor(() => dunstctl("debug").status === 0, 10_000, "dunst");
  return {
    env,
    async pick(label) {
      writeFileSync(choice, label);
      rmSync(menu, { force: true });
      expect(dunstctl("context").status).toBe(0);
      await waitFor(() => existsSync(menu), 10_000, "dunst's context menu");
      return readFileSync(menu, "utf8").split("\n").filter(Boolean);
    },
    displayed: () => Number(dunstctl("count", "displayed").stdout.trim()),
    history() {
      dunstctl("close-all");
      return dunstctl("history").stdout;
    },
    async close() {
      session.kill();
      xvfb.kill();
      rmSync(dir, { recursive: true, force: true });
      await new Promise((resolve) => setTimeout(resolve, 200));
    },
  };
}

let desktop: Desktop;
let api: MessagesApiServer | undefined;
let ntfy: NtfyServer | undefined;
const daemons: RunningVigil[] = [];
beforeAll(async () => {
  if (tools.skip) return;
  tools.assertPresent();
  desktop = await startDesktop();
});
afterAll(async () => desktop?.close());
afterEach(async () => {
  for (const daemon of daemons.splice(0)) {
    daemon.child.kill("SIGTERM");
    await daemon.exited;
  }
  desktop?.history(); // closes what a test left open
  await api?.close();
  await ntfy?.close();
  api = ntfy = undefined;
});

async function setup({ phone, rules = "", quietHours = "null" }: { phone: boolean; rules?: string; quietHours?: string }) {
  api = await startMessagesApiServer();
  if (phone) ntfy = await startNtfyServer(NTFY_TOKEN);
  const home = makeTempHome();
  const workspace = path.join(home, "ws");
  mkdirSync(workspace);
  const ntfyConfig = ntfy ? `server: "${ntfy.url}", topic: vigil-me, token: env:NTFY_TOKEN, approvals: { enabled: true${rules} }` : `approvals: { enabled: false${rules} }`;
  writeFileSync(
    path.join(home, "config.yaml"),
    [
      "server: { port: 0 }",
      `heartbeat: { tickSeconds: 0.1, idleWakeMinutes: 0, settleMs: 100, quietHours: ${quietHours} }`,
      `tools: { workspace: ["${workspace}"], policy: { run_command: ask, write_file: ask } }`,
      `notify: { desktop: true, maxPerHour: 1000, ntfy: { ${ntfyConfig} } }`,
    ].join("\n") + "\n",
  );
  const env = cleanEnv(home, { ANTHROPIC_API_KEY: "sk-ant-loopback-0000", ANTHROPIC_BASE_URL: api.url, NTFY_TOKEN, ...desktop.env });
  const daemon = spawnVigil(["start"], env);
  daemons.push(daemon);
  return { env, workspace, daemon };
}

function journal(env: NodeJS.ProcessEnv) {
  return runVigil(["log", "--json"], env).stdout.trim().split("\n").filter(Boolean).map((line) => JSON.parse(line) as { kind: string; summary: string; data: Record<string, unknown> });
}

/** The model asks for a call that waits for approval; resolves once the desktop shows `count` notifications. */
async function requestApproval(env: NodeJS.ProcessEnv, call: ReturnType<typeof toolUse>, count: number): Promise<void> {
  api!.script(call, toolUse("stay_quiet", { reason: "asked" }));
  expect(runVigil(["tell", "please do it"], env).code).toBe(0);
  await waitFor(() => desktop.displayed() >= count, 20_000, `${count} desktop notification(s)`);
}

describe.skipIf(tools.skip)(tools.title("approve from the desktop (Xvfb, a session bus, dunst)"), () => {
  it("the approval shows Approve and Deny on the desktop; Approve runs the command once; the phone's Approve and vigil approve after it run nothing", async () => {
    const { env, workspace } = await setup({ phone: true });
    await requestApproval(env, toolUse("run_command", { command: "echo ran >> approved.txt" }), 1);
    const phoneNotice = await waitFor(() => ntfy!.on("vigil-me").find((message) => message.title?.startsWith("Vigil asks")), 10_000, "the phone's copy");
    expect(phoneNotice.actions!.map((action) => action.label)).toEqual(["Approve", "Deny"]);
    expect(desktop.displayed()).toBe(1); // the phone and the desktop both have it, the desktop once

    const menu = await desktop.pick("Approve");
    expect(menu).toEqual([expect.stringMatching(/^#Approve \(Vigil asks to approve run_command \(#1\)\) \[\d+,approve\]$/), expect.stringMatching(/^#Deny \(Vigil asks to approve run_command \(#1\)\) \[\d+,deny\]$/)]);
    await waitFor(() => existsSync(path.join(workspace, "approved.txt")), 20_000, "the approved command");
    await waitFor(() => journal(env).some((row) => row.summary === "approval #1 approved by the user (on the desktop): run_command"), 10_000, "the decision row");
    expect(journal(env).find((row) => row.data.decision === "approved")!.data.by).toBe("desktop");

    // The phone's Approve for the same approval, then the shell: both find it decided.
    expect(await press(phoneNotice.actions![0]!)).toBe(200);
    await waitFor(() => journal(env).some((row) => row.summary === "phone decision refused for approval #1: already done"), 15_000, "the phone's press refused");
    const again = runVigil(["approve", "1"], env);
    expect(again.code).toBe(1);
    expect(again.stderr).toContain("approval #1 is done: nothing to run");
    expect(readFileSync(path.join(workspace, "approved.txt"), "utf8")).toBe("ran\n");

    expect(runVigil(["approvals"], env).stdout).toMatch(/#1 {2}run_command approved on the desktop at /);
    expect(runVigil(["review", "--day", "today"], env).stdout).toMatch(/Approvals decided[\s\S]*#1 run_command approved on the desktop/);
    // The desktop showed the whole command (escaped, so a notification server reads no markup in it) and got the confirmation.
    const history = desktop.history();
    expect(history).toContain("$ echo ran &gt;&gt; approved.txt");
    await waitFor(() => desktop.history().includes("approved: run_command echo ran >> approved.txt"), 10_000, "the desktop's confirmation");
    expect(runVigil(["log", "verify"], env).code).toBe(0);
  });

  it("decided in the shell, the approval's desktop notification leaves the screen", async () => {
    const { env, workspace } = await setup({ phone: false });
    await requestApproval(env, toolUse("run_command", { command: "echo shell >> decided.txt" }), 1);
    expect(runVigil(["approve", "1"], env)).toMatchObject({ code: 0 });
    // The daemon sees the decision on its next tick and closes the popup: no button is left that could only say "already done".
    await waitFor(() => desktop.displayed() === 0, 10_000, "the popup closed");
    expect(readFileSync(path.join(workspace, "decided.txt"), "utf8")).toBe("shell\n");
    expect(journal(env).filter((row) => row.data.decision === "approved").map((row) => row.data.by)).toEqual(["cli"]);
  });

  it("a command too long for a popup gets only Deny, a tool kept off notifications gets no buttons, and a stop takes the buttons away", async () => {
    const { env, daemon } = await setup({ phone: false, rules: ", phone: { write_file: never }" });
    await requestApproval(env, toolUse("write_file", { path: "notes.txt", content: "hello" }), 1);
    // Fits a phone (4,096 bytes) but not a desktop popup.
    const long = `echo ${"a".repeat(700)}`;
    await requestApproval(env, toolUse("run_command", { command: long }), 2);

    const menu = await desktop.pick("Deny");
    expect(menu).toEqual([expect.stringMatching(/^#Deny \(Vigil asks to approve run_command \(#2\)\) \[\d+,deny\]$/)]);
    await waitFor(() => journal(env).some((row) => row.summary === "run_command denied by the user (approval #2, on the desktop)"), 15_000, "the denial");
    const shown = desktop.history();
    expect(shown).toContain("run_command: the whole action does not fit a notification, so it cannot be approved from here.");
    expect(shown).toContain("write_file is approved only in the shell or on the review page");

    await requestApproval(env, toolUse("run_command", { command: "echo later" }), 1);
    expect(desktop.displayed()).toBe(1); // the one with buttons only, no plain copy beside it
    daemon.child.kill("SIGTERM");
    expect(await daemon.exited).toBe(0);
    daemons.splice(0);
    // The stop closed it: no button is left on screen that nobody listens to.
    expect(desktop.displayed()).toBe(0);
    expect(desktop.history()).toContain("Vigil asks to approve run_command (#3)");
    const waiting = runVigil(["approvals", "--json"], env).stdout.trim().split("\n").map((line) => JSON.parse(line) as { id: number });
    expect(waiting.map((approval) => approval.id)).toEqual([1, 3]);
  });
});

describe.skipIf(tools.skip)(tools.title("desktop approvals in quiet hours (Xvfb, a session bus, dunst)"), () => {
  it("an approval during quiet hours pops up nothing, with buttons or without: it waits for the digest like every notification, and comes again with its buttons when they end", async () => {
    // A window around now (the daemon runs in UTC), whatever time the test runs at.
    const hhmm = (offsetMs: number) => new Date(Date.now() + offsetMs).toISOString().slice(11, 16);
    const { env } = await setup({ phone: false, quietHours: `{ start: "${hhmm(-3_600_000)}", end: "${hhmm(3_600_000)}" }` });
    api!.script(toolUse("run_command", { command: "echo at night" }), toolUse("stay_quiet", { reason: "asked" }));
    expect(runVigil(["tell", "please do it"], env).code).toBe(0);
    await waitFor(() => journal(env).some((row) => row.data.event === "notification-held-quiet" && String(row.data.title).startsWith("Vigil asks")), 20_000, "the approval held for quiet hours");
    expect(desktop.displayed()).toBe(0);

    // Morning (the quiet hours taken out by a reload): the digest lists it, and the approval comes again with its buttons.
    const config = path.join(env.VIGIL_HOME!, "config.yaml");
    writeFileSync(config, readFileSync(config, "utf8").replace(/quietHours: \{[^}]*\}/, "quietHours: null"));
    expect(runVigil(["reload"], env).code).toBe(0);
    await waitFor(() => journal(env).some((row) => row.summary === "approval #1 announced again after quiet hours: run_command"), 20_000, "the approval raised again");
    expect(await desktop.pick("Approve")).toEqual([expect.stringMatching(/^#Approve \(Vigil asks to approve run_command \(#1\)\) \[\d+,approve\]$/), expect.stringMatching(/^#Deny /)]);
    await waitFor(() => journal(env).some((row) => row.summary === "approval #1 approved by the user (on the desktop): run_command"), 15_000, "the morning's decision");
    // The confirmation is one more popup: let it arrive here, not during the next test.
    await waitFor(() => desktop.history().includes("approved: run_command echo at night"), 10_000, "the desktop's confirmation");
    await waitFor(() => journal(env).some((row) => row.data.event === "quiet-digest"), 10_000, "the digest");
    expect(journal(env).filter((row) => row.data.event === "approval-raised")).toHaveLength(1);
  });
});

describe.skipIf(tools.skip)(tools.title("notify-send's children (Xvfb, a session bus, dunst)"), () => {
  it("at most maxOpen at once; each closes at its expiry, and stop closes the rest", async () => {
    // A popup an earlier test's daemon sent on its way out must not be counted here.
    await waitFor(() => (desktop.history(), desktop.displayed() === 0), 10_000, "an empty screen");
    const warnings: unknown[] = [];
    const actions = createNotifySendActions({ env: { PATH: process.env.PATH, ...desktop.env }, now: () => new Date(), logger: { warn: (entry: unknown) => void warnings.push(entry) } as never, maxOpen: 2 });
    const notice = (title: string, ms: number) => ({ title, body: "b", choices: [{ name: "approve", label: "Approve" }], expiresAt: Date.now() + ms });
    expect(await actions.show(notice("soon", 1_000), () => undefined)).toBe(true);
    expect(await actions.show(notice("later", 60_000), () => undefined)).toBe(true);
    expect(await actions.show(notice("one too many", 60_000), () => undefined)).toBe(false);
    expect(await actions.show(notice("already expired", -1), () => undefined)).toBe(false);
    expect(desktop.displayed()).toBe(2);
    await waitFor(() => desktop.displayed() === 1, 10_000, "the first to close at its expiry");
    // Its child is gone with it, so there is room again.
    await waitFor(async () => await actions.show(notice("room again", 60_000), () => undefined), 10_000, "room for one more");
    await actions.stop();
    // dunst takes the close from the stopped child a moment later, under load more than a moment.
    await waitFor(() => desktop.displayed() === 0, 10_000, "stop to close the rest");
    expect(desktop.displayed()).toBe(0);
    expect(await actions.show(notice("after stop", 60_000), () => undefined)).toBe(false);
    expect(warnings).toEqual([]);
  });

  it("without a notification server it says so and shows nothing, quickly", async () => {
    const warnings: unknown[] = [];
    const actions = createNotifySendActions({ env: { PATH: process.env.PATH, DBUS_SESSION_BUS_ADDRESS: "unix:path=/nonexistent/bus" }, now: () => new Date(), logger: { warn: (entry: unknown) => void warnings.push(entry) } as never, maxOpen: 2 });
    const started = Date.now();
    expect(await actions.show({ title: "t", body: "b", choices: [{ name: "deny", label: "Deny" }], expiresAt: Date.now() + 60_000 }, () => undefined)).toBe(false);
    expect(Date.now() - started).toBeLessThan(5_000);
    expect(warnings).toHaveLength(1);
  });
});

async function press(action: NonNullable<NtfyMessage["actions"]>[number]): Promise<number> {
  const response = await fetch(action.url, { method: action.method, headers: action.headers, body: action.body });
  return response.status;
}
