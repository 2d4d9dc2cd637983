import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { readdirSync, readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { createFallbackNotifier } from "../../daemon/notify/create-notifier.js";
import { createNtfyChannel } from "../../daemon/notify/ntfy-channel.js";
import { createDeliverFileTool, sanitizeFileName } from "../../daemon/tools/deliver-file-tool.js";
import type { ToolResult } from "../../daemon/toolkit/tool.js";
import { makeTempHome } from "../support/temp-home.js";

/** ntfy stand-in: accepts attachments (PUT) unless told not to, and JSON messages (POST). */
async function ntfyServer(allowAttachments: boolean) {
  const seen: Array<{ method: string; url: string; body: string }> = [];
  const server = createServer(async (req, res) => {
    let body = "";
    for await (const chunk of req) body += chunk;
    seen.push({ method: req.method!, url: req.url!, body });
    const refuse = req.method === "PUT" && !allowAttachments;
    res.writeHead(refuse ? 400 : 200, { "content-type": "application/json" }).end(refuse ? '{"error":"attachments not allowed"}' : '{"id":"x"}');
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, seen, close: () => new Promise<void>((resolve) => server.close(() => resolve())) };
}

function setup(serverUrl: string) {
  const home = makeTempHome();
  const workspace = makeTempHome("vigil-ws-");
  writeFileSync(path.join(workspace, "report.csv"), "a,b\n1,2\n");
  const outbox = path.join(home, "outbox");
  const tool = createDeliverFileTool({ outboxDir: outbox, roots: [workspace], notifier: createFallbackNotifier([createNtfyChannel({ server: serverUrl, topic: "me" })]) });
  const now = new Date("2026-11-23T09:00:00Z");
  const call = async (input: unknown): Promise<ToolResult | Error> => {
    try {
      return await tool.run(tool.input.parse(input), { turnId: "t", now, timeZone: "UTC" });
    } catch (error) {
      return error as Error;
    }
  };
  return { call, outbox, day: path.join(outbox, "2026-11-23") };
}

describe("deliver_file", () => {
  it("content lands atomically in outbox/YYYY-MM-DD/ under a sanitized name, never outside, never overwritten", async () => {
    const ntfy = await ntfyServer(true);
    const { call, day, outbox } = setup(ntfy.url);
    expect(await call({ name: "../../etc/cron.d/evil", content: "x" })).toMatchObject({ content: expect.stringContaining(path.join(day, "evil")) });
    expect(await call({ name: ".bashrc", content: "y" })).toMatchObject({ content: expect.stringContaining(path.join(day, "bashrc")) });
    await call({ name: "notes.md", content: "first" });
    await call({ name: "notes.md", content: "second" });
    await ntfy.close();
    expect(readdirSync(outbox)).toEqual(["2026-11-23"]);
    expect(readdirSync(day).sort()).toEqual(["bashrc", "evil", "notes-1.md", "notes.md"]);
    expect(readFileSync(path.join(day, "notes.md"), "utf8")).toBe("first");
    expect(sanitizeFileName("a/b\\c:d*e?.txt")).toBe("c_d_e_.txt");
  });

  it("a workspace file is copied, confined to the workspace, and attached on ntfy", async () => {
    const ntfy = await ntfyServer(true);
    const { call, day } = setup(ntfy.url);
    expect(await call({ name: "report.csv", path: "report.csv", note: "the weekly numbers" })).toMatchObject({ content: expect.stringContaining("notified via ntfy") });
    expect(await call({ name: "x", path: "../../etc/passwd" })).toBeInstanceOf(Error);
    await ntfy.close();
    expect(readFileSync(path.join(day, "report.csv"), "utf8")).toBe("a,b\n1,2\n");
    expect(ntfy.seen).toHaveLength(1);
    expect(ntfy.seen[0]).toMatchObject({ method: "PUT", body: "a,b\n1,2\n" });
    expect(new URL(ntfy.seen[0]!.url, "http://x").searchParams.get("filename")).toBe("report.csv");
  });

  it("a server without attachments gets the plain message naming the file", async () => {
    const ntfy = await ntfyServer(false);
    const { call } = setup(ntfy.url);
    expect(await call({ name: "hello.txt", content: "hi" })).toMatchObject({ content: expect.stringContaining("notified via ntfy") });
    await ntfy.close();
    expect(ntfy.seen.map((request) => request.method)).toEqual(["PUT", "POST"]);
    expect(JSON.parse(ntfy.seen[1]!.body).message).toContain("hello.txt");
  });
});
