import type { IncomingMessage, ServerResponse } from "node:http";
import type { VigilContext } from "../../context/open-context.js";
import type { Runtime } from "../../supervisor/assemble-runtime.js";
import { approveCall, denyCall } from "../../tools/resolve-approval.js";
import { BodyTooLargeError, readBody } from "../../http/read-body.js";
import { createMemoryVersions } from "../../../memory/memory-versions.js";
import { NothingToRevertError, revertMemoryAndRecord } from "../../../memory/revert-memory.js";
import { sendPageJson } from "./send-page-response.js";

/**
 * The page's write side. Each does exactly what its verb does, through the same function:
 * Approve is `vigil approve`, Deny is `vigil deny`, Revert is `vigil memory revert`; the journal
 * records that the page did it.
 */
export function createPageActions(ctx: VigilContext, runtime: Runtime) {
  const versions = createMemoryVersions(ctx.db, ctx.paths.memoryDir);
  const deps = runtime.turn.toolDeps;

  const approval = async (req: IncomingMessage, res: ServerResponse, id: number, verb: "approve" | "deny") => {
    const outcome =
      verb === "approve"
        ? await approveCall(deps, id, { now: ctx.now(), timeZone: ctx.loaded.timezone, by: "page" })
        : denyCall(deps, id, { now: ctx.now(), by: "page" });
    if (!outcome.ok) return sendPageJson(req, res, 409, { error: `approval #${id} is ${outcome.state}: nothing to ${verb === "approve" ? "run" : "deny"}`, state: outcome.state });
    const result = outcome.result;
    sendPageJson(req, res, 200, { id, tool: outcome.approval.tool, state: verb === "deny" ? "denied" : result?.isError ? "failed" : "done", output: result?.content ?? null });
  };

  const revert = async (req: IncomingMessage, res: ServerResponse) => {
    let version: number | undefined;
    try {
      const body = JSON.parse((await readBody(req, 4096)) || "{}") as { version?: unknown };
      if (body.version !== undefined && !(Number.isInteger(body.version) && (body.version as number) > 0)) throw new SyntaxError("version");
      version = body.version as number | undefined;
    } catch (error) {
      if (error instanceof BodyTooLargeError || error instanceof SyntaxError) return sendPageJson(req, res, 400, { error: 'send {"version": N} with a version number from the memory section' });
      throw error;
    }
    try {
      sendPageJson(req, res, 200, revertMemoryAndRecord({ versions, memoryDir: ctx.paths.memoryDir, journal: ctx.journal, now: ctx.now() }, version, "page"));
    } catch (error) {
      if (!(error instanceof NothingToRevertError)) throw error;
      sendPageJson(req, res, 409, { error: error.message });
    }
  };

  /** Answers a POST under `/api/`; false when no route has the path. */
  const handle = async (req: IncomingMessage, res: ServerResponse, url: URL): Promise<boolean> => {
    const match = /^\/api\/approvals\/(\d+)\/(approve|deny)$/.exec(url.pathname);
    if (match) return (await approval(req, res, Number(match[1]), match[2] as "approve" | "deny"), true);
    if (url.pathname === "/api/memory/revert") return (await revert(req, res), true);
    return false;
  };
  return { handle };
}
