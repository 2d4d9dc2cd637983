import { spawnAppendWorker } from "../support/spawn-append-worker.js";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { makeTempHome } from "../support/temp-home.js";
import { openTestJournal } from "../support/open-test-journal.js";
import { ROOT, waitFor } from "../support/run-vigil.js";
import { verifyChain } from "../../logs/verify-chain.js";
import { dailyMarkdownPath } from "../../logs/daily-markdown.js";
import { readFileSync } from "node:fs";

const WORKER = path.join(ROOT, "test/support/append-worker.mjs");

function startWorker(home: string, count: number, label: string) {
  return spawnAppendWorker(WORKER, [home, String(count), label]);
}

describe("journal across processes", () => {
  it("two processes appending 1,000 rows each at once leave 2,000 rows on one linear chain", async () => {
    const home = makeTempHome();
    openTestJournal(home).db.close(); // create the schema once so both start on equal terms
    const a = startWorker(home, 1000, "alpha");
    const b = startWorker(home, 1000, "beta");
    await Promise.all([a.ready, b.ready]);
    a.go();
    b.go();
    expect(await a.exited).toBe(0);
    expect(await b.exited).toBe(0);

    const { db } = openTestJournal(home);
    expect(verifyChain(db)).toMatchObject({ ok: true, rows: 2000, headSeq: 2000 });
    const labels = db.prepare("SELECT json_extract(data, '$.label') AS label, count(*) AS n FROM journal GROUP BY label").all();
    expect(labels).toEqual([
      { label: "alpha", n: 1000 },
      { label: "beta", n: 1000 },
    ]);
    // Both processes really interleaved, or this test proves nothing about concurrency.
    const order = db.prepare("SELECT json_extract(data, '$.label') AS label FROM journal ORDER BY seq").pluck().all() as string[];
    const switches = order.filter((label, i) => i > 0 && label !== order[i - 1]).length;
    expect(switches).toBeGreaterThan(1);

    // The rendered Markdown has every row, in seq order.
    const markdown = readFileSync(dailyMarkdownPath(path.join(home, "logs"), db.prepare("SELECT day FROM journal LIMIT 1").pluck().get() as string), "utf8");
    const seqs = [...markdown.matchAll(/`#(\d+)`/g)].map((match) => Number(match[1]));
    expect(seqs).toEqual(Array.from({ length: 2000 }, (_, i) => i + 1));
  });

  it("a process killed with SIGKILL mid-burst leaves a verifiable chain holding every append that returned", async () => {
    const home = makeTempHome();
    openTestJournal(home).db.close();
    const worker = startWorker(home, 1_000_000, "burst");
    await worker.ready;
    worker.go();
    await waitFor(() => worker.seqs().length >= 200, 30_000, "200 appends");
    worker.child.kill("SIGKILL");
    expect(await worker.exited).toBeNull();
    const returned = worker.seqs();

    const { db, journal } = openTestJournal(home);
    const verdict = verifyChain(db);
    expect(verdict.ok).toBe(true);
    const stored = new Set(db.prepare("SELECT seq FROM journal").pluck().all() as number[]);
    for (const seq of returned) expect(stored.has(seq)).toBe(true);
    // The chain goes on from where the killed process left it.
    const next = journal.append({ kind: "system", summary: "after the crash" });
    expect(next.seq).toBe(stored.size + 1);
    expect(verifyChain(db).ok).toBe(true);
  });
});
