import { existsSync, readFileSync } from "node:fs";
import { createRequire } from "node:module";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { gzipSync } from "node:zlib";

export interface PageAsset {
  type: string;
  body: Buffer;
  gzip: Buffer;
}

const STATIC_DIR = "daemon/review/page/static";

/**
 * The page's scripts and styles, read once from the package (plain files, no build step) and the
 * chart library from node_modules: nothing comes from outside the machine. Kept gzipped in memory.
 */
export function loadPageAssets(): Map<string, PageAsset> {
  const dir = _staticDir();
  const require = createRequire(import.meta.url);
  const files: Array<[string, string, string]> = [
    ["/assets/review.js", path.join(dir, "review.js"), "text/javascript; charset=utf-8"],
    ["/assets/review.css", path.join(dir, "review.css"), "text/css; charset=utf-8"],
    ["/assets/uPlot.js", require.resolve("uplot/dist/uPlot.iife.min.js"), "text/javascript; charset=utf-8"],
    ["/assets/uPlot.css", require.resolve("uplot/dist/uPlot.min.css"), "text/css; charset=utf-8"],
  ];
  return new Map(files.map(([route, file, type]) => {
    const body = readFileSync(file);
    return [route, { type, body, gzip: gzipSync(body, { level: 9 }) }];
  }));
}

/** `static/` beside this file in the sources, or at the package root's copy when running from dist/. */
function _staticDir(): string {
  for (let dir = path.dirname(fileURLToPath(import.meta.url)); ; dir = path.dirname(dir)) {
    if (existsSync(path.join(dir, "static", "review.js"))) return path.join(dir, "static");
    if (existsSync(path.join(dir, STATIC_DIR, "review.js"))) return path.join(dir, STATIC_DIR);
    if (path.dirname(dir) === dir) throw new Error(`the review page's files (${STATIC_DIR}) are missing from the package: reinstall vigil`);
  }
}
