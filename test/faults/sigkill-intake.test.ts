import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import Database from "better-sqlite3";
import { Webhooks } from "@octokit/webhooks";
import { describe, expect, it } from "vitest";
import { cleanEnv, runVigil, runVigilAsync, spawnVigil, waitFor } from "../support/run-vigil.js";

const SECRET = "sigkill-fault-secret";
const ROUNDS = 50;
const EVENTS_PER_ROUND = 20;

describe("fault: SIGKILL at random moments while events arrive and turns run", () => {
  it(`${ROUNDS} kills over ${ROUNDS * EVENTS_PER_ROUND} events: every acknowledged event is processed, no action twice, the chain verifies`, async () => {
    const home = mkdtempSync(path.join(tmpdir(), "vigil-sigkill-"));
    const watched = path.join(home, "watched");
    mkdirSync(watched);
    writeFileSync(
      path.join(home, "config.yaml"),
      `server: { port: 0 }\nnotify: { desktop: false, maxPerHour: 100000 }\nheartbeat: { tickSeconds: 0.05, settleMs: 20, idleWakeMinutes: 0, quietHours: null }\n` +
        `watch: [ { path: ${watched} } ]\ngithub: { webhooks: { enabled: true, secret: env:HOOK }, subscriptions: ["octo/app"] }\n` +
        `rules: [ { when: { source: github }, do: notify }, { when: { source: user }, do: notify } ]\n`,
    );
    const env = cleanEnv(home, { HOOK: SECRET, VIGIL_LOG_LEVEL: "error" });
    const signer = new Webhooks({ secret: SECRET });
    const acknowledged: string[] = [];
    let verifyFailures = 0;
    let seed = 42;
    const random = () => ((seed = (seed * 1_103_515_245 + 12_345) % 2 ** 31) / 2 ** 31);

    for (let round = 0; round < ROUNDS; round++) {
      const daemon = spawnVigil(["start"], env);
      const base = await waitFor(() => /http: listening on (\S+)/.exec(daemon.output().stderr)?.[1], 15_000, "the daemon");
      const killAt = Date.now() + random() * 400;
      const killer = (async () => {
        while (Date.now() < killAt) await new Promise((resolve) => setTimeout(resolve, 5));
        daemon.child.kill("SIGKILL");
      })();
      for (let i = 0; i < EVENTS_PER_ROUND; i++) {
        const tag = `r${round}e${i}`;
        if (i % 10 === 9) {
          writeFileSync(path.join(watched, `${tag}.txt`), tag); // files: not acknowledged to anyone
          continue;
        }
        const body = JSON.stringify({
          action: "submitted",
          review: { id: round * 1000 + i, state: "commented", body: tag, user: { login: "rev" }, author_association: "MEMBER" },
          // One PR per event, so each notification's text is its own (the guard collapses repeats).
          pull_request: { number: round * 1000 + i + 1, title: "t", head: { sha: "abc" } },
          repository: { full_name: "octo/app" },
          sender: { login: "rev" },
        });
        try {
          const response = await fetch(`${base}/webhooks/github`, {
            method: "POST",
            headers: { "content-type": "application/json", "x-github-event": "pull_request_review", "x-github-delivery": tag, "x-hub-signature-256": await signer.sign(body) },
            body,
          });
          if (response.status === 202) acknowledged.push(`github:review:${round * 1000 + i}:submitted`);
        } catch {
          // killed mid-request: not acknowledged, so GitHub would redeliver; nothing is owed
        }
      }
      await killer;
      await daemon.exited;
      if (runVigil(["log", "verify"], env).code !== 0) verifyFailures++;
    }

    // One last start drains whatever the kills left pending.
    const last = spawnVigil(["start"], env);
    await waitFor(() => /running \(pid/.test(last.output().stderr), 15_000, "the last daemon");
    const db = new Database(path.join(home, "vigil.db"), { readonly: true });
    await waitFor(() => (db.prepare("SELECT count(*) FROM events WHERE state != 'done'").pluck().get() as number) === 0, 60_000, "the queue to drain");
    last.child.kill("SIGTERM");
    await last.exited;

    const keys = new Set(db.prepare("SELECT dedupe_key FROM events WHERE state = 'done'").pluck().all() as string[]);
    const missing = acknowledged.filter((key) => !keys.has(key));
    // A rule's call id names its event, and stays the same when a killed turn's event is retried:
    // one event delivered twice would be a side effect run twice. The spam guard's cap is lifted
    // so that every event's notification counts.
    const runs = db
      .prepare(
        `SELECT json_extract(data, '$.toolUseId') AS call, count(*) AS n FROM journal WHERE kind = 'acted'
         AND json_extract(data, '$.tool') = 'notify' AND json_extract(data, '$.outcome') = 'ok' GROUP BY call`,
      )
      .all() as Array<{ call: string; n: number }>;
    const delivered = runs;
    const twice = runs.filter((row) => row.n > 1);
    // Every acknowledged event's notification went out, or was cut off by a kill mid-call and is
    // journaled as "outcome unknown" (and so, rightly, never sent again).
    const unknown = new Set(
      db.prepare(`SELECT json_extract(data, '$.actionId') FROM journal WHERE kind = 'error' AND json_extract(data, '$.outcome') = 'unknown'`).pluck().all() as string[],
    );
    const sent = new Set(runs.map((row) => row.call));
    const callOf = (key: string) => `rule0-event${db.prepare("SELECT id FROM events WHERE dedupe_key = ?").pluck().get(key) as number}`;
    const unaccounted = acknowledged.map(callOf).filter((call) => !sent.has(call) && ![...unknown].some((id) => id.endsWith(`:${call}`)));
    db.close();
    console.log(`sigkill intake: ${ROUNDS} kills, ${acknowledged.length} acknowledged webhooks, ${keys.size} events done, ${missing.length} missing, ${delivered.length} notifications delivered, ${unknown.size} cut off by a kill (outcome unknown), ${twice.length} delivered twice, ${verifyFailures} verify failures`);
    expect(acknowledged.length).toBeGreaterThan(ROUNDS * 5);
    expect(missing).toEqual([]);
    expect(twice).toEqual([]);
    expect(unaccounted).toEqual([]);
    expect(verifyFailures).toBe(0);
    expect((await runVigilAsync(["log", "verify"], env)).code).toBe(0);
    rmSync(home, { recursive: true, force: true });
  });
});
