import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    include: ["test/faults/**/*.test.ts"],
    testTimeout: 300_000,
    hookTimeout: 60_000,
    pool: "forks",
    setupFiles: ["test/support/private-umask.ts"],
    // One scenario at a time: they measure memory and time of a real daemon.
    fileParallelism: false,
  },
});
