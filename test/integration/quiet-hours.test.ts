import { describe, expect, it } from "vitest";
import type { Notification, Notifier } from "../../daemon/notify/notifier.js";
import { toolUse } from "../support/messages-api-server.js";
import { BASE_CONFIG, startHarness } from "../support/daemon-harness.js";

const MINUTE = 60_000;
const QUIET = BASE_CONFIG.replace("quietHours: null", 'quietHours: { start: "22:00", end: "07:00" }');

function recordingNotifier(): Notifier & { sent: Notification[] } {
  const sent: Notification[] = [];
  return { sent, send: async (notification) => (sent.push(notification), { delivered: ["test"], failures: [] }) };
}

describe("quiet hours silence the person, not the agent", () => {
  it("a night event still wakes a turn; its notification is held and sent as one digest when quiet hours end", async () => {
    const notifier = recordingNotifier();
    const h = await startHarness({ start: "2026-11-23T23:00:00Z", config: QUIET, notifier });
    h.server.script(
      toolUse("notify", { title: "PR #42 needs a review", body: "octo/app#42 was opened by a teammate" }),
      toolUse("notify", { title: "CI is red on main", body: "the build broke at 23:00" }),
      toolUse("stay_quiet", { reason: "told them" }),
    );
    h.notice({ summary: "a pull request was opened", source: "github", type: "pull_request.opened", trust: "trusted" });
    await h.ticks(2);
    expect(h.server.requests).toHaveLength(3); // the turn ran at 23:00
    expect(notifier.sent).toEqual([]);
    const held = h.journal("system").filter((entry) => entry.data.event === "notification-held-quiet");
    expect(held.map((entry) => entry.summary)).toEqual(["notification held for quiet hours: PR #42 needs a review", "notification held for quiet hours: CI is red on main"]);
    expect(h.journal("acted").filter((entry) => entry.data.tool === "notify").map((entry) => entry.data.outcome)).toEqual(["ok", "ok"]);

    await h.ticks(8 * 60 + 1, MINUTE); // through 07:00
    expect(notifier.sent).toEqual([expect.objectContaining({ title: "While you were away: 2 notification(s)", body: expect.stringMatching(/PR #42 needs a review[\s\S]*CI is red on main/) })]);
    expect(h.journal("system").filter((entry) => entry.data.event === "quiet-digest")).toEqual([expect.objectContaining({ summary: "quiet hours over: 2 held notification(s) sent as one digest" })]);
  });

  it("an urgent notification passes at night, up to notify.urgentPerNight", async () => {
    const notifier = recordingNotifier();
    const h = await startHarness({ start: "2026-11-24T02:00:00Z", config: `${QUIET}notify: { urgentPerNight: 1 }\n`, notifier });
    h.server.script(
      toolUse("notify", { title: "prod is down", body: "the health check fails", priority: "urgent" }),
      toolUse("notify", { title: "prod is still down", body: "again", priority: "urgent" }),
      toolUse("stay_quiet", { reason: "told them" }),
    );
    h.notice({ summary: "wake me if prod is down", urgent: true });
    await h.ticks(2);
    expect(notifier.sent.map((notification) => notification.title)).toEqual(["prod is down"]);
    expect(h.journal("system").map((entry) => entry.summary)).toContain("notification held for quiet hours: prod is still down");
  });
});
