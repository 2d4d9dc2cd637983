import { createRequire } from "node:module";
import type * as NodeCron from "node-cron";

// Loaded on first use, through require so every caller shares one copy: `vigil status` with no
// cron wake-up, and a daemon whose config has no schedule, never pay node-cron's load time.
const require = createRequire(import.meta.url);

/** node-cron (its CommonJS build, the same API). */
export function loadCron(): typeof NodeCron {
  return require("node-cron") as typeof NodeCron;
}
