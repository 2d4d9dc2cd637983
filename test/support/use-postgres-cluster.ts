import { afterAll, afterEach, beforeAll } from "vitest";
import { checkPostgresTools, startPostgresCluster, type PostgresCluster } from "./postgres-cluster.js";

/**
 * One throwaway cluster for a test file (started before its tests, stopped after), and what each
 * test opened on it closed after that test. `cluster()` is for a test that the gate let run.
 */
export function usePostgresCluster() {
  const gate = checkPostgresTools();
  let cluster: PostgresCluster | undefined;
  const closers: Array<() => Promise<void>> = [];
  beforeAll(async () => {
    if (gate.skip) return;
    gate.assertPresent();
    cluster = await startPostgresCluster();
  });
  afterEach(async () => {
    for (const close of closers.splice(0)) await close();
  });
  afterAll(async () => {
    await cluster?.stop();
  });
  return { gate, cluster: () => cluster!, closeAfterTest: (close: () => Promise<void>) => void closers.push(close) };
}
