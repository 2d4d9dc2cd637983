import { createHash } from "node:crypto";
import { existsSync, readFileSync } from "node:fs";
import { createRequire } from "node:module";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { gzipSync } from "node:zlib";
import { pageContentSecurityPolicy } from "./send-page-response.js";

export interface PageAsset {
  type: string;
  body: Buffer;
  gzip: Buffer;
}

/** The page's own script and style, inlined into the HTML (one round trip less) and allowed by hash. */
export interface InlinePageCode {
  script: string;
  style: string;
  /** The page's Content-Security-Policy: 'self' plus exactly these two inline blocks. */
  csp: string;
}

const STATIC_DIR = "daemon/review/page/static";

/**
 * The chart library, served from node_modules (only the section below the fold needs it, so the
 * page loads it after the timeline is painted): nothing comes from outside the machine. Kept
 * gzipped in memory.
 */
export function loadPageAssets(): Map<string, PageAsset> {
  const require = createRequire(import.meta.url);
  const files: Array<[string, string, string]> = [
    ["/assets/uPlot.js", require.resolve("uplot/dist/uPlot.iife.min.js"), "text/javascript; charset=utf-8"],
    ["/assets/uPlot.css", require.resolve("uplot/dist/uPlot.min.css"), "text/css; charset=utf-8"],
  ];
  return new Map(files.map(([route, file, type]) => {
    const body = readFileSync(file);
    return [route, { type, body, gzip: gzipSync(body, { level: 9 }) }];
  }));
}

/** The page's script parts, joined in this order into one inline script. */
const SCRIPT_PARTS = ["review-kit.js", "review-timeline.js", "review-panels.js"];

/**
 * The page's script (its parts joined inside one strict-mode function, so they share their
 * helpers without globals) and review.css, from the package as written (no build step), with
 * their CSP hashes.
 */
export function loadInlinePageCode(): InlinePageCode {
  const dir = _staticDir();
  const parts = SCRIPT_PARTS.map((file) => readFileSync(path.join(dir, file), "utf8"));
  const script = `(() => {\n"use strict";\n${parts.join("\n")}})();\n`;
  const style = readFileSync(path.join(dir, "review.css"), "utf8");
  if (/<\/(script|style)/i.test(script + style)) throw new Error(`${dir}: the page's script and style must not contain </script or </style (they are inlined)`);
  const hash = (text: string) => `'sha256-${createHash("sha256").update(text).digest("base64")}'`;
  return { script, style, csp: pageContentSecurityPolicy(hash(script), hash(style)) };
}

/** `static/` beside this file in the sources, or at the package root's copy when running from dist/. */
function _staticDir(): string {
  for (let dir = path.dirname(fileURLToPath(import.meta.url)); ; dir = path.dirname(dir)) {
    if (existsSync(path.join(dir, "static", "review.css"))) return path.join(dir, "static");
    if (existsSync(path.join(dir, STATIC_DIR, "review.css"))) return path.join(dir, STATIC_DIR);
    if (path.dirname(dir) === dir) throw new Error(`the review page's files (${STATIC_DIR}) are missing from the package: reinstall vigil`);
  }
}
