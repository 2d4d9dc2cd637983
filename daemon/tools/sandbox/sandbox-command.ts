import { statSync } from "node:fs";
import path from "node:path";

/** How commands are confined: which bwrap, what they must not see, whether they get a network. */
export interface CommandSandbox {
  bwrap: string;
  /** VIGIL_HOME and the user's secrets: not visible inside. */
  hidden: readonly string[];
  network: boolean;
}

export interface SandboxPlan {
  bwrap: string;
  /** The one directory the command may write (its workspace root or worktree). */
  writable: string;
  /** Directories and files the command must not see: VIGIL_HOME, ~/.ssh, ~/.aws… */
  hidden: readonly string[];
  /** Network off by default: the command gets its own empty network namespace. */
  network: boolean;
  cwd: string;
}

/** Where secrets usually live under a home directory; each is hidden when it exists. */
export function secretPathsOf(home: string | undefined): string[] {
  if (!home) return [];
  return [".ssh", ".aws", ".gnupg", ".kube", ".docker", ".netrc", ".config/gh", ".config/gcloud", ".local/share/keyrings", ".password-store"].map((name) => path.join(home, name));
}

/**
 * The bubblewrap argv that runs `/bin/sh -c command`: the whole filesystem read-only, a private
 * /tmp, /dev and /proc of its own, the writable root bound read-write, every hidden path covered
 * by an empty tmpfs, all namespaces unshared (network too unless allowed), and the sandbox dies
 * with its parent, so killing bwrap on a timeout kills everything inside. Mounts go shallowest
 * first: a path inside another is mounted on top of it, whichever of the two is hidden.
 */
export function sandboxArgv(plan: SandboxPlan, command: string): string[] {
  const mounts: Array<{ at: string; args: string[] }> = [
    { at: "/tmp", args: ["--tmpfs", "/tmp"] },
    { at: plan.writable, args: ["--bind", plan.writable, plan.writable] },
    ...plan.hidden.flatMap(_hide),
  ];
  mounts.sort((a, b) => _depth(a.at) - _depth(b.at));
  return [
    "--die-with-parent",
    "--new-session",
    "--unshare-all",
    ...(plan.network ? ["--share-net"] : []),
    "--ro-bind", "/", "/",
    "--dev", "/dev",
    "--proc", "/proc",
    ...mounts.flatMap((mount) => mount.args),
    "--chdir", plan.cwd,
    "/bin/sh", "-c", command,
  ];
}

/** A directory under an empty tmpfs, a file under /dev/null; a missing path needs no hiding (and could not be a mount point on a read-only root). */
function _hide(at: string): Array<{ at: string; args: string[] }> {
  const stat = statSync(at, { throwIfNoEntry: false });
  if (!stat) return [];
  return [{ at, args: stat.isDirectory() ? ["--tmpfs", at] : ["--ro-bind", "/dev/null", at] }];
}

function _depth(dir: string): number {
  return path.resolve(dir).split(path.sep).filter(Boolean).length;
}
