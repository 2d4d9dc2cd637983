import { copyFileSync, existsSync, statSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { launchChromium } from "../support/headless-chromium.js";
import { journalOf, openLink, ranLines, seedReviewHome, startReviewDaemon } from "../support/review-page-fixture.js";
import { checkSystemTools } from "../support/system-tools.js";

const browserTools = checkSystemTools({ chromium: "chromium" });

describe.skipIf(browserTools.skip)(browserTools.title("the review page in a real browser (Debian's Chromium)"), () => {
  it("one-time link, timeline, Approve runs the action once and the journal says the page did it, yesterday, search", async () => {
    browserTools.assertPresent();
    const seeded = await seedReviewHome();
    const { url } = await startReviewDaemon(seeded);
    const browser = await launchChromium();
    const page = await browser.newPage({ viewport: { width: 1100, height: 1400 } });
    const outside: string[] = [];
    page.on("request", (request) => void (request.url().startsWith(url) || request.url().startsWith("data:") || outside.push(request.url())));
    const problems: string[] = [];
    page.on("console", (message) => void (message.type() === "error" && problems.push(message.text())));
    page.on("pageerror", (error) => void problems.push(error.message));

    await page.goto(openLink(seeded));
    expect(new URL(page.url()).pathname).toBe("/");
    await page.waitForSelector("body[data-ready=all]");
    // The default view is the days since the last review: yesterday and today.
    await expect.poll(() => page.textContent("#shown-days")).toBe(`${seeded.yesterday} – ${seeded.today}`);
    const timeline = await page.textContent("#timeline .rows");
    expect(timeline).toContain("keep an eye on the nightly build");
    expect(timeline).toContain("notify: delivered via journal");
    expect(timeline).toContain("model call failed");
    expect(timeline).toContain("dream: 1 topic added");
    // Quiet wakes are folded into a count that opens in place.
    const fold = page.locator("li.fold").first();
    await expect.poll(() => fold.textContent()).toMatch(/quiet wake/);
    await fold.locator("button").click();
    expect(await page.textContent("#timeline .rows")).toContain("the build is still running");
    // A row's data comes on demand.
    const notifyRow = page.locator("li.row", { hasText: "notify: delivered via journal" });
    await notifyRow.locator(".msg").click();
    await expect.poll(() => page.locator("li.row.open + li.data pre").textContent()).toContain('"tool": "notify"');
    expect(await notifyRow.locator("a.seq").getAttribute("href")).toMatch(/^#seq-\d+$/);

    // What waits: the command and why it was held.
    const card = page.locator("#approval-1");
    expect(await card.textContent()).toContain("$ echo ran >> ran.txt");
    expect(await card.locator(".why").textContent()).toMatch(/untrusted/);
    // The chart, the memory diff and the chain state.
    await page.waitForSelector("#costs .chart canvas");
    expect(await page.textContent("#costs .numbers")).toMatch(/tokens left today/);
    expect(await page.textContent("#memory")).toContain("+- [deploys](topics/deploys.md)");
    expect(await page.textContent("#chain")).toMatch(/intact: \d+ rows, verified through #\d+/);
    const shot = path.join(seeded.home, "review-page.png");
    await page.screenshot({ path: shot, fullPage: true });
    expect(statSync(shot).size).toBeGreaterThan(10_000);
    if (process.env.VIGIL_KEEP_SCREENSHOT) copyFileSync(shot, process.env.VIGIL_KEEP_SCREENSHOT);

    await card.locator("button.approve").click();
    await expect.poll(() => card.locator(".outcome").textContent()).toMatch(/^Done/);
    expect(await card.locator("button.approve").isDisabled()).toBe(true);
    expect(ranLines(seeded)).toEqual(["ran"]);
    const rows = journalOf(seeded);
    expect(rows.filter((entry) => entry.summary.startsWith("approval #1 approved by the user (on the review page)"))).toHaveLength(1);
    const ran = rows.filter((entry) => entry.kind === "acted" && entry.data.tool === "run_command");
    expect(ran).toHaveLength(1);
    expect(ran[0]!.data).toMatchObject({ approvalId: 1, approvedBy: "page", outcome: "ok" });

    // Looked at: the next plain visit starts today; the link before it goes to yesterday.
    await page.goto(`${url}/`);
    await page.waitForSelector("body[data-ready]");
    expect(await page.textContent("#shown-days")).toBe(seeded.today);
    expect(await page.textContent("#timeline .rows")).toContain("approval #1 approved by the user (on the review page)");
    expect(await page.textContent("#waiting")).toContain("Nothing waits for your approval.");
    await page.click("#prev-day");
    await page.waitForSelector("body[data-ready]");
    expect(new URL(page.url()).searchParams.get("day")).toBe(seeded.yesterday);
    expect(await page.textContent("#timeline .rows")).toContain("Told the user the build is green.");
    expect(await page.textContent("#timeline .rows")).not.toContain("mallory");

    await page.fill("#search-query", "nightly build");
    await page.click("#search-form button");
    await page.waitForSelector("#search .results li.hit");
    const hit = page.locator("#search .results li.hit", { hasText: "nightly" }).first();
    expect(await hit.locator("mark").first().textContent()).toMatch(/nightly|build/i);
    await hit.locator("a.seq").click();
    await page.waitForSelector("li.row.target");

    expect(outside).toEqual([]);
    expect(problems).toEqual([]);
    expect(existsSync(shot)).toBe(true);
  });
});
