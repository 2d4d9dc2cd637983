// Preloaded with `node --import` (NODE_OPTIONS) to see what a process loads: every ES module (a
// loader hook), every CommonJS module, and whether Intl's date formatting was set up; written to
// $VIGIL_LOAD_PROBE at exit, one URL or path a line, then `intl <count>`.
import { appendFileSync } from "node:fs";
import { createRequire, register } from "node:module";

const out = process.env.VIGIL_LOAD_PROBE;
register(new URL("./load-probe-hooks.mjs", import.meta.url), { data: { out } });
let intl = 0;
const DateTimeFormat = Intl.DateTimeFormat;
Intl.DateTimeFormat = new Proxy(DateTimeFormat, {
  construct: (target, args) => (intl++, new target(...args)),
  apply: (target, self, args) => (intl++, target(...args)),
});
process.on("exit", () => appendFileSync(out, `${Object.keys(createRequire(import.meta.url).cache).join("\n")}\nintl ${intl}\n`));
