import { existsSync, readFileSync } from "node:fs";
import { createTwoFilesPatch } from "diff";
import type { Approval } from "../../policy/approvals.js";
import { resolveInWorkspace } from "../../tools/workspace/resolve-in-workspace.js";

/** A waiting call as the page shows it: what it would do, in the words of its tool. */
export interface ApprovalPreview {
  id: number;
  tool: string;
  reason: string;
  createdAt: string;
  expiresAt: string;
  /** A one-line title: the command, the file, the pull request. */
  title: string;
  /** The body: a unified diff for a file write, the comment's text, the input as JSON otherwise. */
  detail: string;
  format: "diff" | "text" | "json";
}

const MAX_DETAIL = 20_000;

/** What approving would do: the command, the file diff against what is on disk, the comment text. */
export function previewApproval(approval: Approval, workspace: readonly string[]): ApprovalPreview {
  const input = JSON.parse(approval.input) as Record<string, unknown>;
  const base = { id: approval.id, tool: approval.tool, reason: approval.reason, createdAt: approval.createdAt, expiresAt: approval.expiresAt };
  const shown = _describe(approval.tool, input, workspace);
  return { ...base, ...shown, detail: shown.detail.length > MAX_DETAIL ? `${shown.detail.slice(0, MAX_DETAIL)}\n… (${shown.detail.length - MAX_DETAIL} more characters)` : shown.detail };
}

function _describe(tool: string, input: Record<string, unknown>, workspace: readonly string[]): Pick<ApprovalPreview, "title" | "detail" | "format"> {
  const text = (key: string) => String(input[key] ?? "");
  switch (tool) {
    case "run_command":
      return { title: `$ ${text("command")}`, detail: input.cwd ? `in ${text("cwd")}` : "in the first workspace root", format: "text" };
    case "write_file":
      return { title: `write ${text("path")}`, detail: _fileDiff(text("path"), text("content"), workspace), format: "diff" };
    case "github_comment":
      return { title: `comment on ${text("repo")}#${text("number")}`, detail: text("body"), format: "text" };
    case "github_review":
      return { title: `${text("event")} review on ${text("repo")}#${text("number")}`, detail: text("body"), format: "text" };
    default:
      return { title: tool, detail: JSON.stringify(input, null, 2), format: "json" };
  }
}

/** The change against the file as it is now; a path outside the workspace is shown, not read. */
function _fileDiff(requested: string, content: string, workspace: readonly string[]): string {
  let before = "";
  try {
    const file = resolveInWorkspace(workspace, requested);
    if (existsSync(file)) before = readFileSync(file, "utf8");
  } catch (error) {
    return `(${(error as Error).message})\n${content}`;
  }
  return createTwoFilesPatch(`a/${requested}`, `b/${requested}`, before, content, undefined, undefined, { context: 3 });
}
