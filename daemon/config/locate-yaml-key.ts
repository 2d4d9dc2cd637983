import { isMap, isPair, isScalar, type Document, type LineCounter } from "yaml";

type KeyPath = ReadonlyArray<string | number>;

/**
 * The 1-based line where `keyPath` is written in the YAML document, or where its nearest written
 * ancestor is when the key itself is absent (a missing required key is reported at its parent).
 */
export function locateYamlKey(doc: Document, lines: LineCounter, keyPath: KeyPath): number | undefined {
  for (let depth = keyPath.length; depth >= 0; depth--) {
    const offset = _offsetOf(doc, keyPath.slice(0, depth));
    if (offset !== undefined) return lines.linePos(offset).line;
  }
  return undefined;
}

function _offsetOf(doc: Document, keyPath: KeyPath): number | undefined {
  if (keyPath.length === 0) return doc.contents?.range?.[0];
  const parent = doc.getIn(keyPath.slice(0, -1), true);
  const last = keyPath[keyPath.length - 1];
  if (isMap(parent)) {
    // Point at the key, not the value: an unknown key has no meaningful value position.
    const pair = parent.items.find((item) => isPair(item) && isScalar(item.key) && item.key.value === last);
    const key = pair?.key;
    return isScalar(key) ? key.range?.[0] : undefined;
  }
  const node = doc.getIn(keyPath, true) as { range?: [number, number, number] } | undefined;
  return node?.range?.[0];
}
