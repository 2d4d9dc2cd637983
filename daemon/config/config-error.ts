/** One thing wrong in a config file, where it is, and how to fix it. */
export interface ConfigProblem {
  keyPath: string;
  problem: string;
  fix: string;
  line?: number;
}

/**
 * A configuration problem a person can fix: names the key, the file (and line), and the fix.
 * `problems` holds every problem found in the file (the first one is also in the fields).
 */
export class ConfigError extends Error {
  readonly keyPath: string;
  readonly file: string | undefined;
  readonly line: number | undefined;
  readonly fix: string;
  readonly problems: readonly ConfigProblem[];

  constructor(options: { keyPath: string; problem: string; fix: string; file?: string; line?: number; more?: readonly ConfigProblem[] }) {
    const problems: ConfigProblem[] = [options, ...(options.more ?? [])];
    const where = (line?: number) => (options.file ? `${options.file}${line ? `:${line}` : ""}` : "configuration");
    const lines = problems.map((p) => `${where(p.line)}: ${_phrase(p)}\n  fix: ${p.fix}`);
    super(problems.length === 1 ? lines[0]! : `${problems.length} problems in ${options.file ?? "the configuration"}:\n${lines.join("\n")}`);
    this.name = "ConfigError";
    this.keyPath = options.keyPath;
    this.file = options.file;
    this.line = options.line;
    this.fix = options.fix;
    this.problems = problems.map(({ keyPath, problem, fix, line }) => ({ keyPath, problem, fix, line }));
  }
}

/** "`server.port` must be at most 65535" when the problem reads as a predicate, else "key: problem". */
function _phrase({ keyPath, problem }: ConfigProblem): string {
  if (!keyPath) return problem;
  return /^(must|is|are)\b/.test(problem) ? `\`${keyPath}\` ${problem}` : `${keyPath}: ${problem}`;
}
