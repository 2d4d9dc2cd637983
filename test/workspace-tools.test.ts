import { mkdirSync, readdirSync, readFileSync, symlinkSync, writeFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { createWorkspaceTools } from "../daemon/tools/workspace/workspace-tools.js";
import type { Tool, ToolResult } from "../daemon/toolkit/tool.js";
import { makeTempHome } from "./support/temp-home.js";

function setup() {
  const workspace = makeTempHome("vigil-ws-");
  const outside = makeTempHome("vigil-outside-");
  writeFileSync(path.join(outside, "secret.txt"), "outside secret");
  mkdirSync(path.join(workspace, "src"));
  writeFileSync(path.join(workspace, "src", "app.ts"), "export const answer = 42; // TODO tidy\n");
  symlinkSync(path.join(outside, "secret.txt"), path.join(workspace, "link-out.txt"));
  symlinkSync(outside, path.join(workspace, "dir-out"));
  symlinkSync(path.join(workspace, "src", "app.ts"), path.join(workspace, "link-in.ts"));
  const tools = Object.fromEntries(createWorkspaceTools({ roots: [workspace] }).map((tool) => [tool.name, tool])) as Record<string, Tool>;
  const call = async (name: string, input: unknown): Promise<ToolResult | Error> => {
    try {
      return await tools[name]!.run(tools[name]!.input.parse(input), { turnId: "t", now: new Date(), timeZone: "UTC" });
    } catch (error) {
      return error as Error;
    }
  };
  return { workspace, outside, call };
}

describe("workspace tools are confined to tools.workspace", () => {
  it("path matrix: only the inside ones succeed", async () => {
    const { workspace, outside, call } = setup();
    const refused = [
      "../" + path.basename(outside) + "/secret.txt",
      "src/../../" + path.basename(outside) + "/secret.txt",
      path.join(outside, "secret.txt"),
      "/etc/passwd",
      "~/secret.txt",
      "%2e%2e/%2e%2e/etc/passwd",
      "link-out.txt",
      "dir-out/secret.txt",
    ];
    for (const requested of refused) {
      const result = await call("read_file", { path: requested });
      expect(result, requested).toBeInstanceOf(Error);
      expect((result as Error).message, requested).toMatch(/outside the workspace|not expanded|does not exist/);
    }
    for (const requested of ["src/app.ts", path.join(workspace, "src/app.ts"), "./src/../src/app.ts", "link-in.ts"]) {
      expect(await call("read_file", { path: requested }), requested).toMatchObject({ content: expect.stringContaining("answer = 42") });
    }
  });

  it("write_file refuses outside paths and writes atomically inside", async () => {
    const { workspace, outside, call } = setup();
    expect(await call("write_file", { path: "../escape.txt", content: "x" })).toBeInstanceOf(Error);
    expect(await call("write_file", { path: "dir-out/new.txt", content: "x" })).toBeInstanceOf(Error);
    expect(readdirSync(outside)).toEqual(["secret.txt"]);
    expect(await call("write_file", { path: "notes/todo.md", content: "x" })).toMatchObject({ message: expect.stringContaining("does not exist") });
    expect(await call("write_file", { path: "src/app.ts", content: "export const answer = 43;\n" })).toMatchObject({ content: "wrote 26 bytes to src/app.ts" });
    expect(readFileSync(path.join(workspace, "src/app.ts"), "utf8")).toBe("export const answer = 43;\n");
    expect(readdirSync(path.join(workspace, "src"))).toEqual(["app.ts"]); // no temp file left
  });

  it("read_file is bounded and describes binary files; list_dir and search_files stay inside", async () => {
    const { workspace, call } = setup();
    writeFileSync(path.join(workspace, "blob.bin"), Buffer.from([1, 2, 0, 3]));
    writeFileSync(path.join(workspace, "big.txt"), "a".repeat(300 * 1024));
    expect(await call("read_file", { path: "blob.bin" })).toMatchObject({ content: "(binary file, 4 bytes; not shown)" });
    const big = (await call("read_file", { path: "big.txt" })) as ToolResult;
    expect(big.content.length).toBeLessThan(270 * 1024);
    expect(big.content).toContain("more bytes not shown");
    const listing = (await call("list_dir", { path: "." })) as ToolResult;
    expect(listing.content).toContain("src/");
    expect(listing.content).toContain("link-out.txt (symlink)");
    const found = (await call("search_files", { query: "SECRET" })) as ToolResult;
    expect(found.content).toBe('no matches for "SECRET"'); // the symlinks to outside are not followed
    expect(((await call("search_files", { query: "todo", path: "src" })) as ToolResult).content).toBe("src/app.ts:1: export const answer = 42; // TODO tidy");
    expect(await call("list_dir", { path: ".." })).toBeInstanceOf(Error);
  });

  it("with no workspace configured every file tool says how to configure one", async () => {
    const [read] = createWorkspaceTools({ roots: [] });
    expect(() => read!.run({ path: "x" }, { turnId: "t", now: new Date(), timeZone: "UTC" })).toThrow(/tools.workspace/);
  });
});
