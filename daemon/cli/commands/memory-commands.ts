import type { Command } from "commander";
import type { VigilContext } from "../../context/open-context.js";
import { withContext } from "../with-context.js";
import { createMemoryVersions } from "../../../memory/memory-versions.js";
import { renderMemoryIndex } from "../../../memory/render-memory-index.js";
import { NothingToRevertError, revertMemoryAndRecord } from "../../../memory/revert-memory.js";
import { searchRecall } from "../../../memory/search-recall.js";
import { listUntrustedTopics, trustTopic } from "../../../memory/topic-trust.js";
import { writeLine, type CliIo } from "../cli-io.js";
import { EXIT, UsageError } from "../exit-codes.js";

export function registerMemoryCommands(program: Command, io: CliIo, setExit: (code: number) => void): void {
  const memory = program.command("memory").description("the memory layers: show the index and versions, search the journal and transcripts, revert a change");
  memory
    .command("show", { isDefault: true })
    .description("the memory index as the model sees it, and the latest versions")
    .action(async () => setExit(await withContext(io, (ctx) => runMemoryShow(ctx, io))));
  memory
    .command("search")
    .description("search the journal and past turns (words are matched as plain text)")
    .argument("<query...>", "words to look for")
    .option("--json", "one JSON object per line")
    .action(async (query: string[], options: { json?: boolean }) => setExit(await withContext(io, (ctx) => runMemorySearch(ctx, io, query.join(" "), options))));
  memory
    .command("trust")
    .description("vouch for a topic learned from outside text: later prompts carry it as memory, not fenced as data")
    .argument("<topic>", "a topic name from `vigil memory show`")
    .action(async (topic: string) => setExit(await withContext(io, (ctx) => runMemoryTrust(ctx, io, topic))));
  memory
    .command("revert")
    .description("put the memory back to VERSION, or to the version before the latest")
    .argument("[version]", "a version number from `vigil memory show`")
    .action(async (version: string | undefined) => setExit(await withContext(io, (ctx) => runMemoryRevert(ctx, io, version))));
}

export function runMemoryShow(ctx: VigilContext, io: CliIo): number {
  const index = renderMemoryIndex(ctx.paths.memoryDir, ctx.now());
  writeLine(io.stdout, `# ${ctx.paths.memoryDir}/MEMORY.md\n${index || "(empty)"}`);
  const untrusted = listUntrustedTopics(ctx.paths.memoryDir);
  if (untrusted.length) writeLine(io.stdout, `\nLearned from outside text (fenced as data; \`vigil memory trust TOPIC\` to vouch for one):\n${untrusted.map((t) => `  ${t.topic}  ${t.title}  (from ${t.source})`).join("\n")}`);
  const versions = createMemoryVersions(ctx.db, ctx.paths.memoryDir).list(10);
  writeLine(io.stdout, `\nVersions (newest first; \`vigil memory revert VERSION\`):`);
  writeLine(io.stdout, versions.length ? versions.map((v) => `  ${v.version}  ${v.ts}  ${v.reason}  (${Object.keys(v.files).length} files)`).join("\n") : "  (none yet)");
  return EXIT.ok;
}

export function runMemoryTrust(ctx: VigilContext, io: CliIo, topic: string): number {
  const versions = createMemoryVersions(ctx.db, ctx.paths.memoryDir);
  versions.capture(`before trusting ${topic}`, ctx.now());
  const outcome = trustTopic(ctx.paths.memoryDir, topic, ctx.now());
  if (outcome === "no such topic") throw new UsageError(`there is no memory topic "${topic}"; \`vigil memory show\` lists them`);
  if (outcome === "already trusted") {
    writeLine(io.stdout, `${topic} is already trusted`);
    return EXIT.ok;
  }
  const version = versions.capture(`trusted ${topic}`, ctx.now());
  ctx.journal.append({ kind: "system", summary: `memory topic ${topic} trusted by the user`, data: { event: "memory-trusted", topic, version } });
  writeLine(io.stdout, `${topic} is trusted now: prompts carry it as memory (version ${version}; vigil memory revert undoes it)`);
  return EXIT.ok;
}

export function runMemorySearch(ctx: VigilContext, io: CliIo, query: string, options: { json?: boolean }): number {
  const hits = searchRecall(ctx.db, query, 20);
  for (const hit of hits) writeLine(io.stdout, options.json ? JSON.stringify(hit) : `${hit.day}  ${hit.source} ${hit.ref}  ${hit.snippet}`);
  if (hits.length === 0 && !options.json) writeLine(io.stderr, `nothing found for ${JSON.stringify(query)}`);
  return hits.length ? EXIT.ok : EXIT.failed;
}

export function runMemoryRevert(ctx: VigilContext, io: CliIo, text: string | undefined): number {
  const version = text === undefined ? undefined : Number(text);
  if (version !== undefined && !(Number.isInteger(version) && version > 0)) throw new UsageError(`"${text}" is not a version number; \`vigil memory show\` lists them`);
  try {
    const versions = createMemoryVersions(ctx.db, ctx.paths.memoryDir);
    const { from, to } = revertMemoryAndRecord({ versions, memoryDir: ctx.paths.memoryDir, journal: ctx.journal, now: ctx.now() }, version, "cli");
    writeLine(io.stdout, `memory reverted to version ${to} (it was at version ${from})`);
    return EXIT.ok;
  } catch (error) {
    if (!(error instanceof NothingToRevertError)) throw error;
    writeLine(io.stderr, `vigil: ${error.message}`);
    return EXIT.failed;
  }
}
