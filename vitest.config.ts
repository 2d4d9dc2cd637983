import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    include: ["test/**/*.test.ts"],
    // The fault suite is long and loud: `npm run test:faults` runs it (and .ci/run does).
    exclude: ["test/faults/**", "node_modules/**"],
    // Integration tests spawn the built CLI and child processes; give them room on a 2-core machine.
    testTimeout: 60_000,
    hookTimeout: 60_000,
    pool: "forks",
    setupFiles: ["test/support/private-umask.ts"],
  },
});
