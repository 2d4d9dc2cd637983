import { parentPort, workerData } from "node:worker_threads";
import { openReadonlyDatabase } from "../daemon/store/open-database.js";
import { verifyRange, type RangeRequest } from "./verify-range.js";

/** A worker thread of `verifyChainInParallel`: one range of the chain on its own read-only connection. */
const { file, request } = workerData as { file: string; request: RangeRequest };
const db = openReadonlyDatabase(file);
try {
  parentPort!.postMessage(db.transaction(() => verifyRange(db, request))());
} finally {
  db.close();
}
