#!/usr/bin/env node
import { runCli } from "./run-cli.js";

// A reader that went away (`vigil log --json | head -1`) is not an error: stop quietly, like cat.
for (const stream of [process.stdout, process.stderr]) {
  stream.on("error", (error: NodeJS.ErrnoException) => {
    if (error.code !== "EPIPE") throw error;
    process.exit(0);
  });
}

// No top-level await: the build bundles this file as CommonJS (scripts/bundle-cli.ts).
void runCli(process.argv.slice(2), {
  env: process.env,
  stdout: process.stdout,
  stderr: process.stderr,
  now: () => new Date(),
}).then((code) => {
  process.exitCode = code;
});
