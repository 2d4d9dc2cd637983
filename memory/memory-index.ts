/** Limits of `MEMORY.md`, which rides in every prompt's cached front. */
export const INDEX_LIMITS = { lineChars: 150, lines: 200, bytes: 25 * 1024 } as const;

const LINE = /^- \[([^\]]+)\]\(topics\/([a-z0-9][a-z0-9-]*)\.md\) — (.+)$/;

export interface IndexLine {
  title: string;
  topic: string;
  hook: string;
}

export function formatIndexLine(line: IndexLine): string {
  return `- [${line.title}](topics/${line.topic}.md) — ${line.hook}`;
}

export function parseIndex(text: string): IndexLine[] {
  return text
    .split("\n")
    .map((line) => LINE.exec(line.trim()))
    .filter((match): match is RegExpExecArray => Boolean(match))
    .map((match) => ({ title: match[1]!, topic: match[2]!, hook: match[3]! }));
}

/** What is wrong with an index, each problem saying what to shorten; empty when it is fine. */
export function checkIndexLimits(text: string): string[] {
  const problems: string[] = [];
  const lines = text.split("\n").filter((line) => line.trim() !== "");
  lines.forEach((line, i) => {
    if (line.length > INDEX_LIMITS.lineChars) problems.push(`index line ${i + 1} is ${line.length} characters; shorten its title or hook to fit ${INDEX_LIMITS.lineChars}`);
  });
  if (lines.length > INDEX_LIMITS.lines) problems.push(`the index has ${lines.length} lines; merge or drop topics to stay within ${INDEX_LIMITS.lines}`);
  const bytes = Buffer.byteLength(text);
  if (bytes > INDEX_LIMITS.bytes) problems.push(`the index is ${bytes} bytes; shorten hooks to stay within ${INDEX_LIMITS.bytes}`);
  return problems;
}
