import { writeFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { toolUse } from "../support/messages-api-server.js";
import { startHarness } from "../support/daemon-harness.js";
import { makeTempHome } from "../support/temp-home.js";
import { cleanEnv, runVigil } from "../support/run-vigil.js";

describe("subscriptions", () => {
  it("vigil subscribe / unsubscribe / subscriptions persist and journal", () => {
    const env = cleanEnv(makeTempHome());
    expect(runVigil(["subscribe", "Octo/App#42"], env)).toMatchObject({ code: 0, stdout: "following octo/app#42\n" });
    expect(runVigil(["subscribe", "octo/app#42"], env).stdout).toContain("already following");
    expect(runVigil(["subscribe", "octo/lib"], env).code).toBe(0);
    const listed = runVigil(["subscriptions", "--json"], env).stdout.trim().split("\n").map((line) => JSON.parse(line));
    expect(listed.map((item) => item.ref)).toEqual(["octo/app#42", "octo/lib"]);
    expect(listed[0]).toMatchObject({ origin: "cli" });
    expect(runVigil(["unsubscribe", "octo/app#42"], env).code).toBe(0);
    expect(runVigil(["unsubscribe", "octo/app#42"], env).code).toBe(1);
    expect(runVigil(["subscriptions"], env).stdout).toBe(`octo/lib  (cli, since ${listed[1].createdAt})\n`);
    expect(runVigil(["subscribe", "not a repo"], env).code).toBe(2);
    expect(runVigil(["log", "--kind", "system"], env).stdout).toMatch(/subscribed to octo\/app#42[\s\S]*unsubscribed from octo\/app#42/);
  });

  it("subscribe says how the events will arrive, and doctor fails a subscription nothing can deliver", () => {
    const home = makeTempHome();
    const env = cleanEnv(home);
    const nothing = runVigil(["subscribe", "octo/app#42"], env);
    expect(nothing).toMatchObject({ code: 0, stdout: "following octo/app#42\n" });
    expect(nothing.stderr).toContain("vigil: warning: nothing delivers them yet: github.poll and github.webhooks are both off; to receive octo/app#42's events: enable github.poll (with a token: GITHUB_TOKEN or gh auth login) or github.webhooks");
    const github = (extra: NodeJS.ProcessEnv = {}) => (JSON.parse(runVigil(["doctor", "--json"], { ...env, ...extra }).stdout) as Array<{ name: string; ok: boolean; detail: string; fix?: string }>).find((check) => check.name === "github delivery")!;
    expect(github()).toMatchObject({ ok: false, detail: "1 subscription(s), but nothing delivers them yet: github.poll and github.webhooks are both off", fix: expect.stringContaining("GitHub on a laptop") });
    expect(runVigil(["doctor"], env).code).toBe(1);

    writeFileSync(path.join(home, "config.yaml"), "server: { port: 0 }\ngithub: { poll: { enabled: true, intervalSeconds: 120 } }\n");
    const polled = runVigil(["subscribe", "octo/lib"], { ...env, GITHUB_TOKEN: "ghp_test" });
    expect(polled).toMatchObject({ code: 0, stdout: "following octo/lib\n  its events arrive by polling the GitHub API every 120 s\n", stderr: "" });
    writeFileSync(path.join(home, "config.yaml"), "server: { port: 0 }\ngithub: { webhooks: { enabled: true, secret: env:HOOK } }\n");
    expect(runVigil(["subscribe", "octo/app#42"], { ...env, HOOK: "s3cret" }).stdout).toContain("its events arrive by webhooks at http://127.0.0.1:0/webhooks/github (GitHub must reach it: a relay such as smee forwards to a laptop)");
    expect(github({ HOOK: "s3cret" })).toMatchObject({ ok: true, detail: expect.stringMatching(/^2 subscription\(s\); events arrive by webhooks/) });
  });

  it("config subscriptions are added once; one that ended stays ended", async () => {
    const h = await startHarness();
    const subs = h.runtime.subscriptions;
    subs.addFromConfig([{ repo: "octo/app", number: 7 }], h.clock.now());
    subs.end({ repo: "octo/app", number: 7 }, "merged", h.clock.now());
    subs.addFromConfig([{ repo: "octo/app", number: 7 }], h.clock.now());
    expect(subs.covers("octo/app", 7)).toBe(false);
  });

  it("the model's subscribe_pr and unsubscribe_pr tools", async () => {
    const h = await startHarness();
    h.server.script(toolUse("subscribe_pr", { repo: "octo/app", number: 5 }), toolUse("unsubscribe_pr", { repo: "octo/app" }), toolUse("stay_quiet", { reason: "ok" }));
    h.notice({ summary: "follow octo/app#5 for me" });
    await h.ticks(2);
    expect(h.runtime.subscriptions.list()).toMatchObject([{ repo: "octo/app", number: 5, origin: "agent" }]);
    expect(h.journal("acted").map((entry) => entry.summary)).toEqual(["subscribe_pr: now following octo/app#5", "unsubscribe_pr: was not following octo/app"]);
  });
});
