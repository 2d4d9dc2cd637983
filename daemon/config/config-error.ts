/** A configuration problem a person can fix: names the key, the file (and line), and the fix. */
export class ConfigError extends Error {
  readonly keyPath: string;
  readonly file: string | undefined;
  readonly line: number | undefined;
  readonly fix: string;

  constructor(options: { keyPath: string; problem: string; fix: string; file?: string; line?: number }) {
    const where = options.file ? `${options.file}${options.line ? `:${options.line}` : ""}` : "configuration";
    const key = options.keyPath ? `${options.keyPath}: ` : "";
    super(`${where}: ${key}${options.problem}\n  fix: ${options.fix}`);
    this.name = "ConfigError";
    this.keyPath = options.keyPath;
    this.file = options.file;
    this.line = options.line;
    this.fix = options.fix;
  }
}
