import { existsSync, readFileSync, statSync, writeFileSync } from "node:fs";
import { createHash } from "node:crypto";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { journalOf, openLink, rawRequest, ranLines, seedReviewHome, startReviewDaemon } from "../support/review-page-fixture.js";
import { cleanEnv, runVigil, waitFor } from "../support/run-vigil.js";
import { makeTempHome } from "../support/temp-home.js";

/** Logs in with a fresh link; returns the session cookie and the page's CSRF token. */
async function logIn(url: string, link: string): Promise<{ cookie: string; csrf: string }> {
  const login = await rawRequest(link);
  expect(login.status).toBe(303);
  const setCookie = String(login.headers["set-cookie"]);
  const cookie = setCookie.split(";")[0]!;
  const page = await rawRequest(`${url}/`, { headers: { cookie } });
  expect(page.status).toBe(200);
  return { cookie, csrf: /name="csrf-token" content="([^"]+)"/.exec(page.body)![1]! };
}

describe("the review page's HTTP security", () => {
  it("no session → 401 on every page and API route, while /healthz stays open", async () => {
    const seeded = await seedReviewHome();
    const { url } = await startReviewDaemon(seeded);
    for (const route of ["/", "/?day=2026-01-01", "/api/day", "/api/approvals", "/api/entries/1", "/api/search?q=build", "/api/chain", "/assets/uPlot.js", "/assets/uPlot.css"]) {
      const response = await rawRequest(`${url}${route}`);
      expect(response.status, route).toBe(401);
    }
    expect((await rawRequest(`${url}/`)).body).toContain("vigil open");
    const post = await rawRequest(`${url}/api/approvals/1/approve`, { method: "POST", headers: { origin: url } });
    expect(post.status).toBe(401);
    const forged = await rawRequest(`${url}/api/day`, { headers: { cookie: `vigil_session=v1.${Date.now() + 1e9}.AAAAAAAAAAAAAAAAAAAAAAAA.${"A".repeat(43)}` } });
    expect(forged.status).toBe(401);
    expect((await rawRequest(`${url}/healthz`)).status).toBe(200);
    expect(ranLines(seeded)).toEqual([]);
  });

  it("the one-time link works once, sets an HttpOnly SameSite=Strict cookie, and the secret file is 0600", async () => {
    const seeded = await seedReviewHome();
    const { url } = await startReviewDaemon(seeded);
    const link = openLink(seeded);
    expect(link).toMatch(new RegExp(`^${url}/login\\?token=[A-Za-z0-9_-]{32}$`));
    const first = await rawRequest(link);
    expect(first.status).toBe(303);
    expect(first.headers.location).toBe("/");
    const cookie = String(first.headers["set-cookie"]);
    expect(cookie).toMatch(/^vigil_session=/);
    expect(cookie).toContain("HttpOnly");
    expect(cookie).toContain("SameSite=Strict");
    const again = await rawRequest(link);
    expect(again.status).toBe(401);
    expect(again.headers["set-cookie"]).toBeUndefined();
    expect((await rawRequest(`${url}/login?token=made-up-token-aaaaaaaaaaaa`)).status).toBe(401);

    const page = await rawRequest(`${url}/`, { headers: { cookie: cookie.split(";")[0]! } });
    expect(page.status).toBe(200);
    // Strict CSP: only this server, and inline exactly the page's own script and style, by hash.
    const csp = String(page.headers["content-security-policy"]);
    expect(csp).toMatch(/^default-src 'none'; script-src 'self' 'sha256-[A-Za-z0-9+/=]+'; style-src 'self' 'sha256-[A-Za-z0-9+/=]+';/);
    expect(csp).not.toMatch(/unsafe|\*|https?:/);
    const inline = /<script>([\s\S]*?)<\/script>/.exec(page.body)![1]!;
    expect(csp).toContain(`'sha256-${createHash("sha256").update(inline).digest("base64")}'`);
    expect(page.body).not.toMatch(/(src|href)="(https?:)?\/\//);
    expect(statSync(path.join(seeded.home, "page.secret")).mode & 0o777).toBe(0o600);
  });

  it("a Host that is not this server is refused (421), with or without a session; loopback names are fine", async () => {
    const seeded = await seedReviewHome();
    const { url } = await startReviewDaemon(seeded);
    const { cookie } = await logIn(url, openLink(seeded));
    const port = new URL(url).port;
    for (const route of ["/", "/api/day", "/healthz", `/login?token=x`]) {
      const response = await rawRequest(`${url}${route}`, { headers: { host: `rebind.example:${port}`, cookie } });
      expect(response.status, route).toBe(421);
    }
    expect((await rawRequest(`${url}/api/approvals`, { headers: { host: `localhost:${port}`, cookie } })).status).toBe(200);
    expect((await rawRequest(`${url}/api/approvals`, { headers: { host: `[::1]:${port}`, cookie } })).status).toBe(200);
  });

  it("a POST without the CSRF token, or from another Origin, is refused (403) and runs nothing; with both it runs once", async () => {
    const seeded = await seedReviewHome();
    const { url } = await startReviewDaemon(seeded);
    const { cookie, csrf } = await logIn(url, openLink(seeded));
    const approve = (headers: Record<string, string>) => rawRequest(`${url}/api/approvals/1/approve`, { method: "POST", headers: { cookie, ...headers } });
    expect((await approve({ origin: url })).status).toBe(403);
    expect((await approve({ origin: url, "x-csrf-token": "nope" })).status).toBe(403);
    expect((await approve({ origin: "http://evil.example", "x-csrf-token": csrf })).status).toBe(403);
    expect((await approve({ "x-csrf-token": csrf })).status).toBe(403);
    expect(ranLines(seeded)).toEqual([]);

    const ok = await approve({ origin: url, "x-csrf-token": csrf });
    expect(ok.status).toBe(200);
    expect(JSON.parse(ok.body)).toMatchObject({ id: 1, tool: "run_command", state: "done" });
    const twice = await approve({ origin: url, "x-csrf-token": csrf });
    expect(twice.status).toBe(409);
    expect(ranLines(seeded)).toEqual(["ran"]);
    const approvedRow = journalOf(seeded).find((entry) => entry.summary.startsWith("approval #1 approved"));
    expect(approvedRow?.data).toMatchObject({ by: "page", decision: "approved" });
  });
});

describe("the page's actions are the verbs'", () => {
  it("Deny is `vigil deny` and Revert is `vigil memory revert`, recorded as done on the page", async () => {
    const seeded = await seedReviewHome();
    const { url } = await startReviewDaemon(seeded);
    const { cookie, csrf } = await logIn(url, openLink(seeded));
    const post = (route: string, body?: string) => rawRequest(`${url}${route}`, { method: "POST", headers: { cookie, origin: url, "x-csrf-token": csrf, "content-type": "application/json" }, ...(body ? { body } : {}) });
    const denied = await post("/api/approvals/1/deny");
    expect(denied.status).toBe(200);
    expect(JSON.parse(denied.body)).toMatchObject({ id: 1, state: "denied" });
    expect((await post("/api/approvals/1/approve")).status).toBe(409);
    expect(ranLines(seeded)).toEqual([]);
    expect(runVigil(["approvals", "--json"], seeded.env).stdout).toBe("");

    const memory = JSON.parse((await rawRequest(`${url}/api/memory`, { headers: { cookie } })).body);
    expect(memory.dream).toMatchObject({ version: 2, before: 1 });
    expect(memory.dream.patch).toContain("+Deploys happen on Fridays.");
    expect((await post("/api/memory/revert", '{"version":"1; rm -rf"}')).status).toBe(400);
    const reverted = await post("/api/memory/revert", JSON.stringify({ version: memory.dream.before }));
    // From whatever is on disk now (the daemon's start repairs the index, which is a version too).
    expect(JSON.parse(reverted.body)).toMatchObject({ to: 1 });
    expect(existsSync(path.join(seeded.home, "memory", "topics", "deploys.md"))).toBe(false);
    const rows = journalOf(seeded);
    expect(rows.find((entry) => entry.data.event === "memory-reverted")?.data).toMatchObject({ to: 1, by: "page" });
    expect(rows.find((entry) => entry.data.outcome === "denied")).toMatchObject({ summary: "run_command denied by the user (approval #1, on the review page)", data: { by: "page" } });
  });
});

describe("vigil open", () => {
  it("opens the link with the desktop's opener when there is a display, and the link logs in", async () => {
    const seeded = await seedReviewHome();
    const { url } = await startReviewDaemon(seeded);
    const bin = makeTempHome("vigil-bin-");
    const opened = path.join(bin, "opened.txt");
    writeFileSync(path.join(bin, "xdg-open"), `#!/bin/sh\nprintf '%s\\n' "$1" > ${JSON.stringify(opened)}\nenv > ${JSON.stringify(`${opened}.env`)}\n`, { mode: 0o755 });
    const env = { ...seeded.env, PATH: `${bin}:${seeded.env.PATH}`, DISPLAY: ":99", ANTHROPIC_API_KEY: "sk-must-not-reach-the-browser" };
    const result = runVigil(["open"], env);
    expect(result.code).toBe(0);
    const link = await waitFor(() => existsSync(opened) && readFileSync(opened, "utf8").trim(), 10_000, "the opener to run");
    expect(link).toBe(result.stdout.trim());
    expect(readFileSync(`${opened}.env`, "utf8")).not.toContain("sk-must-not-reach-the-browser");
    expect((await rawRequest(link)).status).toBe(303);
    const printed = runVigil(["open", "--print"], env);
    expect(printed.stdout.trim()).toMatch(new RegExp(`^${url}/login\\?token=`));
    expect(printed.stdout.trim()).not.toBe(link);
  });


  it("with no daemon running says so and exits 1", () => {
    const home = makeTempHome();
    const result = runVigil(["open", "--print"], cleanEnv(home));
    expect(result.code).toBe(1);
    expect(result.stderr).toContain("the daemon is not running");
  });
});
