import { describe, expect, it } from "vitest";
import { takeInDeliveryIn } from "../../daemon/http/take-in-delivery-in.js";
import { APPROVAL_TTL_MS } from "../../daemon/policy/approvals.js";
import { POSTGRES_APPROVAL_TTL_MS } from "../../daemon/store/postgres/create-postgres-approvals.js";
import { queryWords } from "../../memory/quote-fts-query.js";
import { renderTranscript } from "../../memory/transcripts.js";
import { githubExamples } from "../support/github-examples.js";
import { useStorePortEngines } from "../support/store-port-engines.js";

const { ENGINES } = useStorePortEngines();

describe.each(ENGINES)("the store port on $name: approvals, state, intake, recall, the poll cache", ({ name, skip, open }) => {
  it.skipIf(skip)("approvals: requested with canonical input, decided once, expired after their time; state: set, read, deleted", async () => {
    const engine = await open();
    const at = new Date("2026-12-02T12:00:00.000Z");
    const id = await engine.store.transaction((tx) => tx.approvals.request({ turnId: "turn-1", toolUseId: "toolu_1", tool: "run_command", input: { command: "npm test", cwd: "~/code/app" }, reason: "policy: ask" }, at));
    const pending = await engine.store.transaction((tx) => tx.approvals.pending(at));
    expect(pending).toEqual([{ id, turnId: "turn-1", toolUseId: "toolu_1", tool: "run_command", input: '{"command":"npm test","cwd":"~/code/app"}', reason: "policy: ask", state: "pending", createdAt: at.toISOString(), expiresAt: new Date(at.getTime() + APPROVAL_TTL_MS).toISOString(), outcome: null }]);
    expect(await engine.store.transaction((tx) => tx.approvals.decide(id, "approved", at))).toBe(true);
    expect(await engine.store.transaction((tx) => tx.approvals.decide(id, "denied", at))).toBe(false);
    await engine.store.transaction((tx) => tx.approvals.finish(id, "done", "exit 0"));
    expect(await engine.store.transaction((tx) => tx.approvals.get(id))).toMatchObject({ state: "done", outcome: "exit 0" });
    const late = await engine.store.transaction((tx) => tx.approvals.request({ turnId: "turn-2", toolUseId: "toolu_2", tool: "write_file", input: { path: "a" }, reason: "ask" }, at));
    const tomorrow = new Date(at.getTime() + APPROVAL_TTL_MS);
    expect(await engine.store.transaction((tx) => tx.approvals.decide(late, "approved", tomorrow))).toBe(false);
    expect((await engine.store.transaction((tx) => tx.approvals.expire(tomorrow))).map((row) => row.id)).toEqual([late]);
    expect(await engine.store.transaction((tx) => tx.approvals.pending(tomorrow))).toEqual([]);

    await engine.store.transaction((tx) => tx.state.set("lastTickAt", at.toISOString()));
    await engine.store.transaction((tx) => tx.state.set("backoff", { minutes: 30, quietWakes: 2 }));
    expect(await engine.store.transaction((tx) => tx.state.get("backoff"))).toEqual({ minutes: 30, quietWakes: 2 });
    await engine.store.transaction((tx) => tx.state.delete("backoff"));
    expect(await engine.store.transaction((tx) => tx.state.get("backoff"))).toBeUndefined();
    expect(await engine.store.transaction((tx) => tx.state.get("lastTickAt"))).toBe(at.toISOString());
    await engine.store.transaction((tx) => tx.state.set("token", { expiresAt: "later" }));
    expect(await engine.store.transaction((tx) => tx.state.take("token"))).toEqual({ expiresAt: "later" });
    expect(await engine.store.transaction((tx) => tx.state.take("token"))).toBeUndefined();
    expect(POSTGRES_APPROVAL_TTL_MS).toBe(APPROVAL_TTL_MS);
  });

  it.skipIf(skip)("webhook deliveries (GitHub's own examples): queued once per delivery id, the unsubscribed and the unfollowed answered and left out", async () => {
    const engine = await open();
    const now = new Date();
    await engine.store.transaction((tx) => tx.subscriptions.add({ repo: "codertocat/hello-world", number: 0 }, "cli", now));
    const reviews = githubExamples(["pull_request_review"]).filter((example) => example.payload.action === "submitted");
    expect(reviews.length).toBeGreaterThan(0);
    const takeIn = (id: string, name: string, payload: Record<string, unknown>) => engine.store.transaction((tx) => takeInDeliveryIn(tx, { id, name, payload }, now));
    const first = await takeIn("d-1", "pull_request_review", reviews[0]!.payload);
    expect(first).toMatchObject({ counter: "queued", status: 202, body: { status: "queued" } });
    expect(await takeIn("d-1", "pull_request_review", reviews[0]!.payload)).toMatchObject({ counter: "duplicates", status: 200 });
    const elsewhere = { ...reviews[0]!.payload, repository: { ...reviews[0]!.payload.repository, full_name: "someone/else" }, review: { ...reviews[0]!.payload.review, id: 999 } };
    expect(await takeIn("d-2", "pull_request_review", elsewhere)).toMatchObject({ counter: "unsubscribed" });
    const labeled = githubExamples(["pull_request"]).find((example) => example.payload.action === "labeled")!;
    expect(await takeIn("d-3", "pull_request", labeled.payload)).toMatchObject({ counter: "ignored", body: { reason: "pull_request.labeled is not followed" } });
    expect(await engine.events()).toHaveLength(1);
    expect((await engine.journal()).map((row) => row.summary)).toHaveLength(1);
  });

  it.skipIf(skip)("recall: every word first, any word when none has all, stemmed, marked in the snippet; what anyone typed is searched as text", async () => {
    const engine = await open();
    await engine.store.transaction((tx) =>
      tx.journal.appendMany([
        { kind: "noticed", summary: "files/change: notes about zebras and migrations", data: { source: "files" } },
        { kind: "quiet", summary: "nothing worth doing about the zebra enclosure", data: {} },
        { kind: "acted", summary: "notified: the database migration finished", data: { tool: "notify" } },
      ]),
    );
    const search = (query: string) => engine.store.transaction((tx) => tx.recall.search(queryWords(query)));
    const refs = async (query: string) => (await search(query)).map((hit) => hit.ref).sort();
    expect(await refs("zebra migrating")).toEqual(["1"]);
    expect(await refs("zebra")).toEqual(["1", "2"]);
    expect(await refs("enclosure database")).toEqual(["2", "3"]);
    const [hit] = await search("finished");
    expect(hit).toMatchObject({ source: "journal", ref: "3" });
    expect(hit!.snippet).toContain("«finished»");
    expect(await search('NEAR( "quokka OR * : -xylophone')).toEqual([]);
    expect(await search("")).toEqual([]);
    // A past turn's transcript is found too, as the turn it came from, never whole.
    const transcript = renderTranscript("turn-7", [{ role: "user", content: "what about the quokka colony?" }, { role: "assistant", content: "The quokka colony is thriving." }], { now: new Date("2026-12-01T09:00:00.000Z"), timeZone: "UTC", redact: (text) => text });
    await engine.store.transaction((tx) => tx.transcripts.insert(transcript!));
    await engine.store.transaction((tx) => tx.transcripts.insert({ ...transcript!, body: "a second save of the same turn" }));
    expect(await search("quokka")).toEqual([expect.objectContaining({ source: "transcript", ref: "turn-7", day: "2026-12-01" })]);
    expect((await search("quokka"))[0]!.snippet).toContain("«quokka»");
    // Rows appended after a search are found by the next one.
    await engine.store.transaction((tx) => tx.journal.append({ kind: "system", summary: "zebras again", data: {} }));
    expect(await refs("zebra")).toEqual(["1", "2", "4"]);
  });

  it.skipIf(skip)("the poll cache keeps a URL's validators and a PR's snapshot apart: each put leaves the other as it was", async () => {
    const engine = await open();
    const key = "/repos/octo/app/pulls/1";
    expect(await engine.store.transaction((tx) => tx.pollCache.get(key))).toBeUndefined();
    await engine.store.transaction((tx) => tx.pollCache.putEtag(key, 'W/"abc"\nlm:Tue, 01 Dec 2026 10:00:00 GMT'));
    await engine.store.transaction((tx) => tx.pollCache.putSnapshot(key, '{"head":"abc"}'));
    await engine.store.transaction((tx) => tx.pollCache.putEtag(key, 'W/"def"'));
    expect(await engine.store.transaction((tx) => tx.pollCache.get(key))).toEqual({ etag: 'W/"def"', snapshot: '{"head":"abc"}' });
    await engine.store.transaction((tx) => tx.pollCache.putSnapshot("pull:octo/app#2", '{"head":"x"}'));
    expect(await engine.store.transaction((tx) => tx.pollCache.get("pull:octo/app#2"))).toEqual({ etag: null, snapshot: '{"head":"x"}' });
  });
  it.skipIf(skip)("wake-ups: one-time ones due once, a cron one's latest slot since it was last checked, nothing again once fired", async () => {
    const engine = await open();
    const at = (hhmm: string) => new Date(`2026-12-02T${hhmm}:00.000Z`);
    const soon = await engine.store.transaction((tx) => tx.wakeups.addOnce(at("11:59"), "check the deploy", "agent", at("11:00")));
    const later = await engine.store.transaction((tx) => tx.wakeups.addOnce(at("13:00"), "standup notes", "agent", at("11:00")));
    const cron = await engine.store.transaction((tx) => tx.wakeups.addCron("*/15 * * * *", "look at CI", "config", at("11:50")));
    const due = (now: Date) => engine.store.transaction((tx) => tx.wakeups.collectDue(now, "UTC"));
    const _slots = (list: Awaited<ReturnType<typeof due>>) => list.map((item) => [item.wakeup.id, item.wakeup.note, item.slot]);
    const first = await due(at("12:00"));
    expect(_slots(first)).toEqual([[soon, "check the deploy", "2026-12-02T11:59:00.000Z"], [cron, "look at CI", "2026-12-02T12:00:00.000Z"]]);
    await engine.store.transaction(async (tx) => {
      for (const item of first) await tx.wakeups.markFired(item, at("12:00"));
    });
    expect(await due(at("12:00"))).toEqual([]);
    // Nothing due at 12:07: the cron one is checked through 12:07, so 13:00 finds one slot, the latest.
    expect(await due(at("12:07"))).toEqual([]);
    expect(_slots(await due(at("13:00")))).toEqual([[later, "standup notes", "2026-12-02T13:00:00.000Z"], [cron, "look at CI", "2026-12-02T13:00:00.000Z"]]);
  });
});
