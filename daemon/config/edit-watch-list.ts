import { isMap, isScalar, isSeq, parseDocument, YAMLSeq } from "yaml";

/**
 * Edits `watch:` in the config text through the yaml Document API, so comments, order and the
 * rest of the file stay as the person wrote them. `same` decides whether an entry is that path.
 */
export function addWatchRoot(text: string, root: string, same: (written: string) => boolean): { text: string; changed: boolean } {
  const doc = parseDocument(text);
  if (_paths(doc).some(same)) return { text, changed: false };
  let list = doc.get("watch", true);
  if (!isSeq(list)) {
    list = new YAMLSeq();
    doc.set("watch", list);
  }
  const seq = list as YAMLSeq;
  // An empty flow list (`watch: []`) becomes a block list, the way a person would write it.
  if (seq.items.length === 0) seq.flow = false;
  seq.items.push(doc.createNode({ path: root }));
  return { text: doc.toString(), changed: true };
}

export function removeWatchRoot(text: string, same: (written: string) => boolean): { text: string; changed: boolean } {
  const doc = parseDocument(text);
  const list = doc.get("watch", true);
  if (!isSeq(list)) return { text, changed: false };
  const before = list.items.length;
  list.items = list.items.filter((item) => !same(_pathOf(item) ?? ""));
  return list.items.length === before ? { text, changed: false } : { text: doc.toString(), changed: true };
}

function _paths(doc: ReturnType<typeof parseDocument>): string[] {
  const list = doc.get("watch", true);
  return isSeq(list) ? list.items.map(_pathOf).filter((value): value is string => value !== undefined) : [];
}

function _pathOf(item: unknown): string | undefined {
  if (isScalar(item)) return String(item.value);
  if (!isMap(item)) return undefined;
  const value = item.get("path");
  return typeof value === "string" ? value : undefined;
}
