import { spawnSync } from "node:child_process";
import type { VigilContext } from "../context/open-context.js";

interface CheckResult {
  name: string;
  ok: boolean;
  warn?: boolean;
  detail: string;
  fix?: string;
}

/** What a program printed for `--version`, or undefined when it is not there or did not answer in time. */
export type RunVersion = (program: string, env: NodeJS.ProcessEnv) => string | undefined;

/** libnotify 0.8 is the first notify-send with `--action` and `--wait`, which the buttons need. */
const MIN_NOTIFY_SEND = [0, 8] as const;

const INSTEAD = "approval notifications come without Approve/Deny buttons; approve with vigil approve or on the review page (vigil open)";

/**
 * Approve/Deny on Linux desktop notifications need notify-send 0.8 or later and stdbuf (see
 * notify-send-actions.ts). Without them the notifications still come, without buttons: a warning.
 */
export function checkDesktopApprovals(ctx: VigilContext, platform: NodeJS.Platform = process.platform, runVersion: RunVersion = _runVersion): CheckResult[] {
  const { desktop, desktopApprovals } = ctx.loaded.config.notify;
  if (platform !== "linux" || !desktop || !desktopApprovals) return [];
  const name = "desktop approvals";
  const printed = runVersion("notify-send", ctx.env);
  if (printed === undefined) return [{ name, ok: true, warn: true, detail: `notify-send is not installed: ${INSTEAD}`, fix: "install libnotify-bin 0.8 or later (apt install libnotify-bin), or set notify.desktopApprovals: false" }];
  const version = /(\d+)\.(\d+)(?:\.(\d+))?/.exec(printed);
  const [major, minor] = version ? [Number(version[1]), Number(version[2])] : [0, 0];
  if (major < MIN_NOTIFY_SEND[0] || (major === MIN_NOTIFY_SEND[0] && minor < MIN_NOTIFY_SEND[1])) {
    return [{ name, ok: true, warn: true, detail: `notify-send ${version?.[0] ?? `("${printed.trim().slice(0, 40)}")`} has no --action: ${INSTEAD}`, fix: "install libnotify-bin 0.8 or later (Debian 12, Ubuntu 22.10 and later have it)" }];
  }
  if (runVersion("stdbuf", ctx.env) === undefined) return [{ name, ok: true, warn: true, detail: `stdbuf (coreutils) is not on PATH: ${INSTEAD}`, fix: "install coreutils, which has stdbuf" }];
  return [{ name, ok: true, detail: `notify-send ${version![0]}: approval notifications have Approve and Deny buttons` }];
}

function _runVersion(program: string, env: NodeJS.ProcessEnv): string | undefined {
  const result = spawnSync(program, ["--version"], { encoding: "utf8", timeout: 2000, env: { PATH: env.PATH ?? "" }, stdio: ["ignore", "pipe", "ignore"] });
  return result.status === 0 ? result.stdout : undefined;
}
