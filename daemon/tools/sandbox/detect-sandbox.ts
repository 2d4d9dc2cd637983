import { spawnSync } from "node:child_process";
import { existsSync } from "node:fs";

export interface SandboxSupport {
  /** The bubblewrap binary, when it exists and can build a namespace here. */
  bwrap: string | undefined;
  /** Why there is no sandbox, for `vigil doctor`; empty when there is one. */
  problem: string;
}

const CANDIDATES = ["/usr/bin/bwrap", "/usr/local/bin/bwrap"];
let cached: SandboxSupport | undefined;

/**
 * Whether commands can run under bubblewrap on this machine. Finding the binary is not enough: a
 * container without user namespaces (or a kernel that forbids them) refuses at run time, so one
 * trivial sandbox is started and its exit code decides. Checked once per process.
 */
export function detectSandbox(options?: { platform?: string; candidates?: readonly string[] }): SandboxSupport {
  if (options) return _detect(options.platform ?? process.platform, options.candidates ?? CANDIDATES);
  cached ??= _detect(process.platform, CANDIDATES);
  return cached;
}

function _detect(platform: string, candidates: readonly string[]): SandboxSupport {
  if (platform !== "linux") return { bwrap: undefined, problem: `no command sandbox for ${platform} yet (bubblewrap is Linux only)` };
  const bwrap = candidates.find((file) => existsSync(file));
  if (!bwrap) return { bwrap: undefined, problem: "bubblewrap is not installed (Debian/Ubuntu: apt install bubblewrap)" };
  const probe = spawnSync(bwrap, ["--unshare-all", "--ro-bind", "/", "/", "true"], { encoding: "utf8", timeout: 10_000 });
  if (probe.status === 0) return { bwrap, problem: "" };
  const why = (probe.stderr || probe.error?.message || `exit ${probe.status}`).trim().split("\n")[0];
  return { bwrap: undefined, problem: `${bwrap} cannot create a sandbox here (${why}); user namespaces may be disabled (sysctl kernel.unprivileged_userns_clone=1)` };
}
