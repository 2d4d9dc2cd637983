import { readFileSync } from "node:fs";
import { LineCounter, parseDocument } from "yaml";
import { locateYamlKey } from "./locate-yaml-key.js";

/** The line of `keyPath` in a config file that loaded, for errors found after loading (a port taken). */
export function locateConfigKey(file: string | undefined, keyPath: ReadonlyArray<string | number>): number | undefined {
  if (!file) return undefined;
  try {
    const lines = new LineCounter();
    return locateYamlKey(parseDocument(readFileSync(file, "utf8"), { lineCounter: lines }), lines, keyPath);
  } catch {
    return undefined;
  }
}
