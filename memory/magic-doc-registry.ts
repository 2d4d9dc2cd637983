import { createHash } from "node:crypto";
import path from "node:path";
import type { VigilDatabase } from "../daemon/store/open-database.js";
import type { MagicDocHeader } from "./magic-doc-header.js";

/** At most this many changed paths are remembered per document; the refresh can list the rest itself. */
const CHANGED_LIMIT = 50;

export interface MagicDoc {
  path: string;
  root: string;
  subject: string;
  dirtySince: string | null;
  /** Paths relative to the document's directory that changed since its last refresh. */
  changed: string[];
  lastRefreshed: string | null;
}

/**
 * The magic docs Vigil knows in its watched roots, and which files changed under each since its
 * last refresh. A document describes the directory it sits in (and below).
 */
export function createMagicDocRegistry(db: VigilDatabase) {
  const all = () => db.prepare<[], _Row>("SELECT * FROM magic_docs ORDER BY path").all().map(_toDoc);
  return {
    all,
    get(file: string): MagicDoc | undefined {
      const row = db.prepare<[string], _Row>("SELECT * FROM magic_docs WHERE path = ?").get(file);
      return row && _toDoc(row);
    },
    register(file: string, root: string, header: MagicDocHeader): void {
      db.prepare("INSERT INTO magic_docs (path, root, subject) VALUES (?, ?, ?) ON CONFLICT (path) DO UPDATE SET subject = excluded.subject, root = excluded.root").run(file, root, header.subject);
    },
    forget: (file: string) => db.prepare("DELETE FROM magic_docs WHERE path = ?").run(file).changes > 0,
    /** Marks every document whose directory holds `file` as having something new to describe. */
    markChanged(file: string, now: Date): string[] {
      const marked: string[] = [];
      for (const doc of all()) {
        const dir = path.dirname(doc.path);
        if (file === doc.path || !file.startsWith(dir + path.sep)) continue;
        const changed = [...new Set([...doc.changed, path.relative(dir, file)])].slice(-CHANGED_LIMIT);
        db.prepare("UPDATE magic_docs SET dirty_since = COALESCE(dirty_since, ?), changed = ? WHERE path = ?").run(now.toISOString(), JSON.stringify(changed), doc.path);
        marked.push(doc.path);
      }
      return marked;
    },
    /** Documents with something new, not refreshed within the interval. */
    due(now: Date, minIntervalHours: number): MagicDoc[] {
      const cutoff = now.getTime() - minIntervalHours * 3600_000;
      return all().filter((doc) => doc.dirtySince !== null && (doc.lastRefreshed === null || Date.parse(doc.lastRefreshed) <= cutoff));
    },
    /** A refresh ran (whether or not it edited): clean again; `written` is the content it wrote, if any. */
    markRefreshed(file: string, now: Date, written?: string): void {
      db.prepare("UPDATE magic_docs SET dirty_since = NULL, changed = '[]', last_refreshed = ?, written_hash = COALESCE(?, written_hash) WHERE path = ?").run(now.toISOString(), written === undefined ? null : hashContent(written), file);
    },
    /** The refresh just wrote `content`: known at once, since the watcher may report the write before the refresh ends. */
    markWritten(file: string, content: string): void {
      db.prepare("UPDATE magic_docs SET written_hash = ? WHERE path = ?").run(hashContent(content), file);
    },
    /** A refresh failed: it waits out the interval again, and keeps what changed. */
    markAttempted(file: string, now: Date): void {
      db.prepare("UPDATE magic_docs SET last_refreshed = ? WHERE path = ?").run(now.toISOString(), file);
    },
    /** The file holds exactly what the last refresh wrote: the change is Vigil's own. */
    isOwnWrite(file: string, content: string): boolean {
      const row = db.prepare<[string], { written_hash: string | null }>("SELECT written_hash FROM magic_docs WHERE path = ?").get(file);
      return row?.written_hash != null && row.written_hash === hashContent(content);
    },
  };
}

export type MagicDocRegistry = ReturnType<typeof createMagicDocRegistry>;

export function hashContent(content: string): string {
  return createHash("sha256").update(content).digest("hex");
}

interface _Row {
  path: string;
  root: string;
  subject: string;
  dirty_since: string | null;
  changed: string;
  last_refreshed: string | null;
}

function _toDoc(row: _Row): MagicDoc {
  return { path: row.path, root: row.root, subject: row.subject, dirtySince: row.dirty_since, changed: JSON.parse(row.changed) as string[], lastRefreshed: row.last_refreshed };
}
