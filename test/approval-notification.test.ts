import { describe, expect, it } from "vitest";
import type { Approval } from "../daemon/policy/approvals.js";
import { buildApprovalNotification } from "../daemon/phone/approval-notification.js";
import { verifyApprovalToken } from "../daemon/phone/approval-token.js";

const approval = (tool: string, input: Record<string, unknown>, reason = "this turn read untrusted outside text, so it needs your approval"): Approval => ({
  id: 7,
  turnId: "t",
  toolUseId: "u",
  tool,
  input: JSON.stringify(input),
  reason,
  state: "pending",
  createdAt: "2026-12-01T10:00:00.000Z",
  expiresAt: "2026-12-02T10:00:00.000Z",
  outcome: null,
});
const key = Buffer.alloc(32, 7);
const buttons = { server: "https://ntfy.example", replyTopic: "reply-abc", token: undefined, key, expiresMinutes: 60, phone: {} };

describe("an approval as the phone shows it", () => {
  it("names the comment's pull request and text, and where the taint came from", () => {
    const notice = buildApprovalNotification({
      approval: approval("github_comment", { repo: "octo/app", number: 7, body: "LGTM, merging" }),
      workspace: [],
      timeZone: "Europe/Berlin",
      taintedBy: "github/issue_comment.created: octo/app#7 comment by stranger",
      buttons,
    });
    expect(notice.title).toBe("Vigil asks: comment on octo/app#7");
    expect(notice.body).toContain("LGTM, merging");
    expect(notice.body).toContain("Why: this turn read untrusted outside text, so it needs your approval — it came from github/issue_comment.created: octo/app#7 comment by stranger");
    expect(notice.body).toContain("Expires 2026-12-01 12:00 (Europe/Berlin)."); // 60 minutes after the request, local time
  });

  it("each button's token is bound to the approval, the decision, the exact input and the expiry", () => {
    const notice = buildApprovalNotification({ approval: approval("run_command", { command: "make test" }), workspace: [], timeZone: "UTC", buttons });
    const [approve, deny] = notice.actions!;
    const claims = verifyApprovalToken(key, approve!.body);
    expect(claims).toMatchObject({ id: 7, decision: "approve", expiresAt: Date.parse("2026-12-01T11:00:00.000Z") });
    expect(verifyApprovalToken(key, deny!.body)).toMatchObject({ decision: "deny" });
    expect(verifyApprovalToken(Buffer.alloc(32, 8), approve!.body)).toEqual({ refused: "bad signature (forged or altered)" });
  });

  it("without phone approvals the notice still shows the whole action, with no buttons", () => {
    const notice = buildApprovalNotification({ approval: approval("run_command", { command: "rm -rf build", cwd: "app" }, "tools.policy for run_command is ask"), workspace: [], timeZone: "UTC" });
    expect(notice.actions).toBeUndefined();
    expect(notice.body).toContain("$ rm -rf build");
    expect(notice.body).toContain("vigil approve 7");
  });
});

describe("an approval as the desktop shows it", () => {
  const desktop = { phone: { write_file: "never" } };

  it("offers Approve and Deny for a short action, bound to its input and the expiry it shows", () => {
    const notice = buildApprovalNotification({ approval: approval("run_command", { command: "make test" }), workspace: [], timeZone: "UTC", buttons, desktop });
    expect(notice.desktop).toMatchObject({ approvalId: 7, title: "Vigil asks to approve run_command (#7)", decisions: ["approve", "deny"], expiresAt: Date.parse("2026-12-01T11:00:00.000Z") });
    expect(notice.desktop!.body).toContain("$ make test");
    expect(notice.desktop!.body).toContain("Expires 2026-12-01 11:00 (UTC).");
    expect(notice.actions!.map((action) => action.label)).toEqual(["Approve", "Deny"]);
  });

  it("an action that fits a phone but not a popup gets only Deny there, and says why", () => {
    const notice = buildApprovalNotification({ approval: approval("run_command", { command: `echo ${"a".repeat(600)}` }), workspace: [], timeZone: "UTC", buttons, desktop });
    expect(notice.actions!.map((action) => action.label)).toEqual(["Approve", "Deny"]);
    expect(notice.desktop!.decisions).toEqual(["deny"]);
    expect(notice.desktop!.body).toMatch(/does not fit a notification, so it cannot be approved from here/);
    expect(notice.desktop!.body).not.toContain("aaaa");
    const manyLines = buildApprovalNotification({ approval: approval("github_comment", { repo: "o/r", number: 1, body: "x\n".repeat(12) }), workspace: [], timeZone: "UTC", desktop });
    expect(manyLines.desktop!.decisions).toEqual(["deny"]);
  });

  it("a tool kept to the shell gets no buttons on the desktop either, even with phone approvals off", () => {
    const notice = buildApprovalNotification({ approval: approval("write_file", { path: "a.txt", content: "hi" }), workspace: [], timeZone: "UTC", desktop });
    expect(notice.desktop!.decisions).toEqual([]);
    expect(notice.body).toContain("write_file is approved only in the shell or on the review page");
    expect(notice.desktop!.expiresAt).toBe(Date.parse("2026-12-02T10:00:00.000Z")); // without phone buttons: the approval's own expiry
  });
});
