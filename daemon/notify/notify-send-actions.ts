import { spawn, type ChildProcess } from "node:child_process";
import { setTimeout as delay } from "node:timers/promises";
import type { Logger } from "../logger/create-logger.js";
import type { DesktopActionNotice, DesktopActions } from "./desktop-actions.js";

export interface NotifySendOptions {
  env: NodeJS.ProcessEnv;
  now: () => Date;
  logger: Pick<Logger, "warn">;
  maxOpen: number;
  /** The program and its first arguments: notify-send from libnotify-bin (0.8 has `--action`, `--print-id`, `--wait`). */
  command?: readonly string[];
  /** A desktop that has not taken the notification by then counts as absent. */
  showTimeoutMs?: number;
}

interface OpenNotification {
  child: ChildProcess;
  /** The notification server's id, once it took it. */
  id?: string;
  notice: DesktopActionNotice;
}

/**
 * notify-send writes its output through stdio, which a pipe buffers until exit: the id that says
 * "shown" would come only with the press. stdbuf (coreutils) makes it line-buffered.
 */
const NOTIFY_SEND = ["stdbuf", "-oL", "notify-send"] as const;

/** notify-send takes the timeout as an int32 of milliseconds. */
const MAX_TIMEOUT_MS = 2 ** 31 - 1;
/** What a notification's child may see: the way to the desktop session, nothing else (no secret reaches it). */
const DESKTOP_ENV = ["PATH", "HOME", "DISPLAY", "WAYLAND_DISPLAY", "DBUS_SESSION_BUS_ADDRESS", "XDG_RUNTIME_DIR", "LANG", "LC_ALL", "LC_CTYPE", "LANGUAGE"];

/**
 * libnotify's actions through `notify-send --action … --wait`: one child per open notification,
 * spawned with an argument array (no shell), which prints the server's id once the notification
 * shows (0 when it could not) and the pressed action's name when the person presses one, then
 * exits. A server without actions gets the text alone: notify-send shows it and exits. It lives until
 * then, until the notification closes, or until its expiry; at most `maxOpen` at once. An
 * interrupt (SIGINT) makes notify-send close its notification before it exits, so at the expiry
 * and at `stop` the buttons leave the screen with the listener: none is left that does nothing.
 */
export function createNotifySendActions({ env, now, logger, maxOpen, command = NOTIFY_SEND, showTimeoutMs = 10_000 }: NotifySendOptions): DesktopActions {
  const open = new Set<OpenNotification>();
  let stopping = false;
  // A machine without a desktop (a server with the default notify.desktop) would say so at every approval: once is enough.
  let warned = false;
  const warnOnce = (entry: object, message: string) => {
    if (!warned) logger.warn(entry, message);
    warned = true;
  };
  const childEnv = Object.fromEntries(DESKTOP_ENV.filter((name) => env[name] !== undefined).map((name) => [name, env[name]]));
  return {
    show(notice, onChoice) {
      const timeoutMs = Math.min(notice.expiresAt - now().getTime(), MAX_TIMEOUT_MS);
      if (stopping || open.size >= maxOpen || timeoutMs <= 0) return Promise.resolve(false);
      const args = ["--app-name=Vigil", "--print-id", "--urgency=normal", `--expire-time=${timeoutMs}`, ...notice.choices.map((choice) => `--action=${choice.name}=${choice.label}`)];
      const child = spawn(command[0]!, [...command.slice(1), ...args, "--", notice.title, escapeMarkup(notice.body)], { env: childEnv, stdio: ["ignore", "pipe", "pipe"] });
      const entry: OpenNotification = { child, notice };
      open.add(entry);
      return _followChild(entry, { showTimeoutMs, timeoutMs, warn: warnOnce, onChoice: (name) => stopping || onChoice(name), onGone: () => open.delete(entry) });
    },
    openKeys: () => [...open].flatMap((entry) => (entry.notice.key === undefined ? [] : [entry.notice.key])),
    close(key) {
      for (const entry of open) if (entry.notice.key === key) entry.child.kill("SIGINT");
    },
    async stop() {
      stopping = true;
      const closed = [...open].map((entry) => new Promise((resolve) => (entry.child.once("close", resolve), entry.child.kill("SIGINT"))));
      await Promise.race([Promise.all(closed), delay(2_000, undefined, { ref: false })]);
      for (const entry of open) entry.child.kill("SIGKILL");
    },
  };
}

/** Servers that render body markup (dunst, GNOME, KDE, mako) would read a command's `<span …>` as formatting, and could hide part of it. */
export function escapeMarkup(text: string): string {
  return text.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;");
}

interface FollowOptions {
  showTimeoutMs: number;
  timeoutMs: number;
  warn: (entry: object, message: string) => void;
  onChoice: (name: string) => void;
  onGone: () => void;
}

function _followChild(entry: OpenNotification, { showTimeoutMs, timeoutMs, warn, onChoice, onGone }: FollowOptions): Promise<boolean> {
  const { child, notice } = entry;
  return new Promise<boolean>((resolve) => {
    let settled = false;
    let answered = false;
    let pending = "";
    let stderr = "";
    const settle = (shown: boolean) => {
      if (settled) return;
      settled = true;
      clearTimeout(showTimer);
      resolve(shown);
    };
    const showTimer = setTimeout(() => (child.kill("SIGINT"), settle(false)), showTimeoutMs);
    // The server closes it at its expiry; a server that ignores timeouts must not keep the child forever.
    const expiryTimer = setTimeout(() => child.kill("SIGINT"), Math.min(timeoutMs + 1_000, MAX_TIMEOUT_MS));
    expiryTimer.unref();
    child.stdout!.setEncoding("utf8").on("data", (chunk: string) => {
      const lines = (pending + chunk).split("\n");
      pending = lines.pop() ?? "";
      for (const line of lines.map((each) => each.trim())) {
        if (entry.id === undefined && /^[1-9]\d*$/.test(line)) {
          entry.id = line;
          settle(true);
        } else if (entry.id !== undefined && !answered && notice.choices.some((choice) => choice.name === line)) {
          answered = true;
          onChoice(line);
        }
      }
    });
    child.stderr!.setEncoding("utf8").on("data", (chunk: string) => (stderr = (stderr + chunk).slice(-2_000)));
    child.on("error", (error) => {
      warn({ err: error }, "desktop notification with buttons could not start notify-send");
      settle(false);
    });
    child.on("close", (code) => {
      clearTimeout(expiryTimer);
      onGone();
      if (!settled && code !== null) warn({ code, stderr: stderr.trim().split("\n")[0] }, "the desktop did not take the notification with buttons");
      settle(false);
    });
  });
}
