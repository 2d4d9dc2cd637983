import { readFileSync, rmSync, writeFileSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { rolldown, type Plugin } from "rolldown";

/**
 * The second half of `npm run build`: bundles the CLI that tsc compiled (dist/daemon/cli/main.js)
 * into dist/daemon/cli/main.cjs (the package's bin) and CommonJS chunks in dist/daemon/cli/bundle/,
 * loaded on demand; main.js becomes a stub that requires main.cjs (service files written before
 * name it). Node 20 has no compile cache, and its ES module loader pays for every file it
 * resolves, reads, links and evaluates (and for each built-in's ES facade, and for starting
 * itself): the daemon loaded about 360 files (zod alone 94) before it was ready, `vigil status`
 * 70. Bundled, a verb requires about a dozen chunks through the CommonJS loader alone.
 *
 * Everything tsc wrote stays where it was: forked workers run from it, and each bundled module
 * keeps the `import.meta.url` of its own file in dist/ or node_modules/ (see _moduleUrlPlugin),
 * so what a module finds next to itself (the config schema, workers, the review page's assets,
 * package.json) is the same file as before.
 */
const DIST = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
const ROOT = path.dirname(DIST);
const CLI_DIR = path.join(DIST, "daemon/cli");
const ENTRY = path.join(CLI_DIR, "main.js");
const BIN = path.join(CLI_DIR, "main.cjs");
const MARKER = "// Bundled by scripts/bundle-cli.ts";
const MODULE_URL = "__vigilModuleUrl";

/**
 * `import.meta.url` of a bundled module would be its chunk's (and CommonJS has none): each module
 * asks for its own file's URL instead, built from its chunk's location.
 */
function _moduleUrlPlugin(): Plugin {
  return {
    name: "vigil-module-url",
    transform(code, id) {
      if (!code.includes("import.meta.url") || !path.isAbsolute(id)) return null;
      const file = path.relative(ROOT, id).split(path.sep).join("/");
      return { code: code.replaceAll("import.meta.url", `${MODULE_URL}(${JSON.stringify(file)})`), map: null };
    },
    renderChunk(code, chunk) {
      if (!code.includes(`${MODULE_URL}(`)) return null;
      const toRoot = path.relative(path.dirname(path.join(CLI_DIR, chunk.fileName)), ROOT).split(path.sep).join("/");
      const helper = `const ${MODULE_URL} = (file) => new URL(${JSON.stringify(`${toRoot}/`)} + file, require("node:url").pathToFileURL(__filename)).href;\n`;
      // After the shebang and "use strict", which only count as the file's first lines.
      const prologue = /^(#!.*\n)?("use strict";\n)?/.exec(code)![0];
      return { code: prologue + helper + code.slice(prologue.length), map: null };
    },
  };
}

/** `vendor-NAME` for a module of package NAME (`@scope/name` becomes `scope-name`). */
function _vendorChunkName(id: string): string | null {
  const match = /[\\/]node_modules[\\/]((?:@[^\\/]+[\\/])?[^\\/]+)/.exec(id);
  return match ? `vendor-${match[1]!.replace(/^@/, "").replace(/[\\/]/, "-")}` : null;
}

async function _bundle(): Promise<void> {
  const compiled = readFileSync(ENTRY, "utf8");
  if (compiled.includes(MARKER)) throw new Error(`${ENTRY} is the bundle's stub already: compile first (npm run build runs tsc, then this)`);
  rmSync(path.join(CLI_DIR, "bundle"), { recursive: true, force: true });
  const bundle = await rolldown({
    input: ENTRY,
    platform: "node",
    // A native addon: it finds its compiled binding through its own package.
    external: ["better-sqlite3"],
    plugins: [_moduleUrlPlugin()],
    preserveEntrySignatures: false,
    // Circular imports among the dependencies' own files are theirs, and harmless.
    checks: { circularDependency: false },
  });
  await bundle.write({
    dir: CLI_DIR,
    format: "cjs",
    // The sources are ES modules, strict by definition; so is every chunk (as in any ESM bundle).
    strict: true,
    // V8 keeps each chunk's source text for as long as the daemon runs, and one non-ASCII character
    // (a "…" in a message) makes it a two-byte string: escaped, the loaded chunks take ~1 MiB less.
    charset: "ascii",
    // The same for comments: JSDoc is for the sources (and tsc's output beside the bundle), not a running process.
    comments: { legal: true, annotation: true, jsdoc: false },
    entryFileNames: path.basename(BIN),
    chunkFileNames: "bundle/[name]-[hash].cjs",
    codeSplitting: {
      includeDependenciesRecursively: false,
      groups: [
        // One chunk per npm package, named for it (vendor-zod-….cjs): what a verb loads can be read
        // off its chunk names (test/integration/cli.test.ts does).
        { name: _vendorChunkName, debugName: "vendor", test: /[\\/]node_modules[\\/]/ },
        // What every verb opens (config cache, database, journal, queue) in one chunk, not twenty.
        { name: "cli-context", test: /[\\/]dist[\\/]daemon[\\/]cli[\\/]open-cli-context\.js$/, includeDependenciesRecursively: true },
      ],
    },
  });
  await bundle.close();
  rmSync(`${ENTRY}.map`, { force: true });
  writeFileSync(ENTRY, `#!/usr/bin/env node\n${MARKER}: the CLI is main.cjs.\nimport { createRequire } from "node:module";\n\ncreateRequire(import.meta.url)("./main.cjs");\n`);
}

await _bundle();
