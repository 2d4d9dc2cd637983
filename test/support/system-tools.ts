import { spawnSync } from "node:child_process";

/**
 * Some tests drive real system programs (Xvfb, dunst, systemd-analyze, chromium …) that only
 * `.ci/run` installs. On a developer's machine without them such a test reports itself skipped,
 * with the reason and the `apt-get install` line in its title; in CI (`CI=true`) it is required,
 * so a missing package fails it instead of hiding it.
 */
export interface SystemToolsGate {
  /** True when the tools are missing and this is not CI: pass to `describe.skipIf` / `it.skipIf`. */
  readonly skip: boolean;
  /** The test's title, with what is missing and how to install it when it is skipped. */
  title(name: string): string;
  /** Fails with the missing programs and the install line (a no-op when all are present). */
  assertPresent(): void;
}

/** `tools` maps each program the test runs to the Debian package that provides it. */
export function checkSystemTools(tools: Readonly<Record<string, string>>, env: NodeJS.ProcessEnv = process.env, isOnPath: (program: string) => boolean = _isOnPath): SystemToolsGate {
  const missing = Object.keys(tools).filter((program) => !isOnPath(program));
  const packages = [...new Set(missing.map((program) => tools[program]!))];
  const reason = `needs ${missing.join(", ")} (apt-get install -y ${packages.join(" ")})`;
  const required = _isCi(env);
  const skip = missing.length > 0 && !required;
  if (skip) process.stderr.write(`skipped: a test ${reason}; CI=true makes it required\n`);
  return {
    skip,
    title: (name) => (skip ? `${name} [skipped: ${reason}]` : name),
    assertPresent: () => {
      if (missing.length > 0) throw new Error(`this test ${reason}${required ? "; CI=true requires it, so .ci/run must install it" : ""}`);
    },
  };
}

function _isCi(env: NodeJS.ProcessEnv): boolean {
  const value = env.CI?.trim().toLowerCase();
  return value !== undefined && value !== "" && value !== "0" && value !== "false";
}

function _isOnPath(program: string): boolean {
  return spawnSync("sh", ["-c", 'command -v "$1" >/dev/null 2>&1', "sh", program]).status === 0;
}
