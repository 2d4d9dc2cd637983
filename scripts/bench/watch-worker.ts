// Child process for the watcher benchmark: watch one root, report time to ready and RSS as JSON.
import path from "node:path";
import { Writable } from "node:stream";
import pino from "pino";
import { createFileWatcher } from "../../daemon/sources/file-watcher.js";

const root = process.argv[2]!;
const sink = new Writable({ write: (_chunk, _encoding, done) => done() });
const journal = { append: () => { throw new Error("no journal rows expected while watching"); } } as never;
const baseline = process.memoryUsage().rss;
const start = process.hrtime.bigint();
const watcher = createFileWatcher({ notice: () => {}, journal, logger: pino({ level: "silent" }, sink), vigilHome: path.join(root, "..", "no-home") });
await watcher.setRoots([{ path: root, ignore: [] }]);
const readyMs = Number(process.hrtime.bigint() - start) / 1e6;
global.gc?.();
process.stdout.write(JSON.stringify({ readyMs, rssMiB: process.memoryUsage().rss / 2 ** 20, deltaMiB: (process.memoryUsage().rss - baseline) / 2 ** 20 }));
await watcher.close();
