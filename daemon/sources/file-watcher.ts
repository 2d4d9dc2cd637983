import { existsSync, readFileSync, statSync } from "node:fs";
import path from "node:path";
import type { FSWatcher } from "chokidar";
import type { Journal } from "../../logs/journal.js";
import type { RawConfig } from "../config/config-schema.js";
import type { NewEvent, Trust } from "../events/event-queue.js";
import type { Logger } from "../logger/create-logger.js";
import { expandHome } from "../paths/expand-home.js";
import { excerptOfChange, isSmallText } from "./file-change-excerpt.js";
import { createIgnoreTest } from "./watch-ignore.js";

/** A watch root as configured; `trust` defaults to untrusted as in the config schema. */
type WatchRoot = Omit<RawConfig["watch"][number], "trust"> & { trust?: Trust };
type ChangeKind = "add" | "change" | "unlink";

export interface FileWatcherDeps {
  /** Queues the event; a promise it returns is waited for only to log its failure. */
  notice: (event: NewEvent) => unknown;
  journal: Journal;
  logger: Logger;
  vigilHome: string;
  /** Changes to one path within this window (after chokidar's write-finish check) are one event; 50 ms by default. */
  coalesceMs?: number;
  env?: NodeJS.ProcessEnv;
}

export interface FileWatcher {
  /** Watches exactly these roots from now on (config load and SIGHUP reload). */
  setRoots(roots: readonly WatchRoot[]): Promise<void>;
  close(): Promise<void>;
}

/**
 * The `files` source: chokidar on every watch root. Per-path coalescing turns a burst of writes
 * into one event; small text files carry an excerpt of what changed. Problems with a root (missing,
 * inotify limit) are journaled once each and never stop the daemon.
 */
export function createFileWatcher(deps: FileWatcherDeps): FileWatcher {
  // chokidar's write-finish check already holds a save until the file is stable for 200 ms; this
  // window only folds the add/change/unlink that follow each other, so it can stay short.
  const coalesceMs = deps.coalesceMs ?? 50;
  const watchers = new Map<string, FSWatcher>();
  const pending = new Map<string, { kind: ChangeKind; root: string; timer: NodeJS.Timeout }>();
  const trustOf = new Map<string, Trust>();
  const contents = new Map<string, string>();
  const reported = new Set<string>();

  const reportOnce = (key: string, summary: string, data: Record<string, unknown>) => {
    if (reported.has(key)) return;
    reported.add(key);
    deps.journal.append({ kind: "error", summary, data });
  };

  const emit = (file: string, kind: ChangeKind, root: string) => {
    pending.delete(file);
    const stat = kind === "unlink" ? undefined : _statOrUndefined(file);
    if (kind !== "unlink" && !stat) return; // gone again before we looked
    let excerpt: string | undefined;
    if (stat?.isFile()) {
      const content = readFileSync(file);
      if (isSmallText(content)) {
        const text = content.toString("utf8");
        excerpt = excerptOfChange(contents.get(file), text);
        contents.set(file, text);
      }
    } else contents.delete(file);
    const relative = path.relative(root, file);
    _noticeSafely(deps, {
      source: "files",
      type: `file.${kind}`,
      dedupeKey: `files:${file}:${stat ? stat.mtimeMs : `deleted:${Date.now()}`}`,
      // A file's content is outside text (a pull, a download) unless its watch root is marked trusted.
      trust: trustOf.get(root) ?? "untrusted",
      summary: `${relative} ${kind === "add" ? "created" : kind === "unlink" ? "deleted" : "changed"}${stat ? ` (${stat.size} bytes)` : ""}`,
      payload: { path: file, root, kind, size: stat?.size ?? null, ...(excerpt ? { excerpt } : {}) },
    });
  };

  const onChange = (root: string) => (kind: ChangeKind, file: string) => {
    const previous = pending.get(file);
    if (previous) clearTimeout(previous.timer);
    // add then change in one burst is still a creation; anything then unlink is a deletion.
    const merged: ChangeKind = previous?.kind === "add" && kind === "change" ? "add" : kind;
    pending.set(file, { kind: merged, root, timer: setTimeout(() => emit(file, merged, root), coalesceMs) });
  };

  const start = async ({ path: configured, ignore, trust = "untrusted" }: WatchRoot) => {
    const root = expandHome(configured, deps.env);
    trustOf.set(root, trust);
    if (!existsSync(root)) {
      reportOnce(`missing:${root}`, `watch root ${root} does not exist: create it, or remove it from watch: in config.yaml (then send SIGHUP)`, { root });
      return;
    }
    // Imported with the first root: a daemon with nothing to watch never loads chokidar.
    const { watch } = await import("chokidar");
    const watcher = watch(root, {
      ignoreInitial: true,
      ignored: createIgnoreTest(root, ignore, deps.vigilHome),
      awaitWriteFinish: { stabilityThreshold: 200, pollInterval: 50 },
      atomic: true,
    });
    const handle = onChange(root);
    watcher.on("add", (file) => handle("add", file)).on("change", (file) => handle("change", file)).on("unlink", (file) => handle("unlink", file));
    watcher.on("error", (error) => {
      const code = (error as NodeJS.ErrnoException).code ?? "unknown";
      deps.logger.warn({ err: error, root }, "file watcher error");
      reportOnce(
        `${code}:${root}`,
        code === "ENOSPC"
          ? `watching ${root} hit the inotify limit: raise it with sudo sysctl fs.inotify.max_user_watches=524288 (and in /etc/sysctl.d to keep it), or add ignore globs`
          : `watching ${root} failed (${code}): ${(error as Error).message}`,
        { root, code },
      );
    });
    await new Promise<void>((resolve) => watcher.once("ready", () => resolve()));
    watchers.set(root, watcher);
  };

  return {
    async setRoots(roots) {
      const wanted = new Map(roots.map((root) => [expandHome(root.path, deps.env), root]));
      for (const [root, watcher] of watchers) {
        if (!wanted.has(root)) {
          await watcher.close();
          watchers.delete(root);
        }
      }
      for (const [root, config] of wanted) {
        trustOf.set(root, config.trust ?? "untrusted"); // a reload may change only the trust
        if (!watchers.has(root)) await start(config);
      }
    },
    async close() {
      for (const { timer } of pending.values()) clearTimeout(timer);
      pending.clear();
      await Promise.all([...watchers.values()].map((watcher) => watcher.close()));
      watchers.clear();
    },
  };
}

/** A full disk must not crash the daemon from inside a timer: log it; the file change is lost, as a missed save would be. */
function _noticeSafely(deps: FileWatcherDeps, event: NewEvent): void {
  const failed = (error: unknown) => deps.logger.error({ err: error, path: event.payload?.path }, "could not queue a file event");
  try {
    void Promise.resolve(deps.notice(event)).catch(failed);
  } catch (error) {
    failed(error);
  }
}

function _statOrUndefined(file: string) {
  try {
    return statSync(file);
  } catch {
    return undefined;
  }
}
