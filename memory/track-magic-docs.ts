import { readdirSync, readFileSync, type Dirent } from "node:fs";
import path from "node:path";
import type { NewEvent } from "../daemon/events/event-queue.js";
import { createIgnoreTest } from "../daemon/sources/watch-ignore.js";
import { parseMagicDocHeader } from "./magic-doc-header.js";
import type { MagicDocRegistry } from "./magic-doc-registry.js";

/** A magic doc is prose, not a data dump: larger files are not read for a header. */
const MAX_DOC_BYTES = 256 * 1024;

export interface WatchedRoot {
  root: string;
  ignore: readonly string[];
}

/**
 * Keeps the magic-doc registry in step with the file events: a Markdown file that gains or loses
 * the header is registered or forgotten, and every change marks the documents above it. A change
 * that is exactly what a refresh wrote is Vigil's own and reported as such, so it wakes nothing.
 */
export function createMagicDocTracker({ registry, now }: { registry: MagicDocRegistry; now: () => Date }) {
  return {
    /** Returns true when the event is Vigil's own write to a magic doc. */
    observe(event: Pick<NewEvent, "source" | "payload">): boolean {
      if (event.source !== "files") return false;
      const { path: file, root, kind } = (event.payload ?? {}) as { path?: string; root?: string; kind?: string };
      if (!file || !root) return false;
      if (file.endsWith(".md")) {
        const text = kind === "unlink" ? undefined : _read(file);
        if (text !== undefined && registry.isOwnWrite(file, text)) return true;
        const header = text === undefined ? undefined : parseMagicDocHeader(text);
        if (header) registry.register(file, root, header);
        else registry.forget(file);
      }
      registry.markChanged(file, now());
      return false;
    },
    /** Registers the magic docs already in the roots (the watcher reports only changes). */
    async discover(roots: readonly WatchedRoot[], vigilHome: string): Promise<number> {
      let found = 0;
      for (const { root, ignore } of roots) {
        const ignored = createIgnoreTest(root, ignore, vigilHome);
        for (const file of _markdownFiles(root, ignored)) {
          const header = parseMagicDocHeader(_read(file, 512) ?? "");
          if (header) {
            registry.register(file, root, header);
            found++;
          }
        }
      }
      return found;
    },
  };
}

export type MagicDocTracker = ReturnType<typeof createMagicDocTracker>;

/**
 * The Markdown files under `dir`, skipping what the watcher ignores. Synchronous and pruned
 * (only directories and `.md` names are tested against the ignore rules): it runs once at start
 * over trees of many thousands of files.
 */
function _markdownFiles(root: string, ignored: (file: string) => boolean): string[] {
  const found: string[] = [];
  const pending = [root];
  while (pending.length) {
    const dir = pending.pop()!;
    let entries: Dirent[];
    try {
      entries = readdirSync(dir, { withFileTypes: true });
    } catch {
      continue; // gone or unreadable: the watcher reports the root's problems
    }
    for (const entry of entries) {
      const isDir = entry.isDirectory();
      if (!isDir && !(entry.isFile() && entry.name.endsWith(".md"))) continue;
      const file = path.join(dir, entry.name);
      if (ignored(file)) continue;
      if (isDir) pending.push(file);
      else found.push(file);
    }
  }
  return found;
}

function _read(file: string, bytes = MAX_DOC_BYTES): string | undefined {
  try {
    const buffer = readFileSync(file);
    return buffer.length > MAX_DOC_BYTES ? undefined : buffer.subarray(0, bytes).toString("utf8");
  } catch {
    return undefined;
  }
}
