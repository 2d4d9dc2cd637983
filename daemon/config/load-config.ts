import { createHash } from "node:crypto";
import { existsSync, readFileSync } from "node:fs";
import { LineCounter, parseDocument } from "yaml";
import { configSchema, type RawConfig } from "./config-schema.js";
import { ConfigError } from "./config-error.js";
import { describeConfigIssue, formatKeyPath } from "./describe-config-issue.js";
import { locateYamlKey } from "./locate-yaml-key.js";
import { resolveSecrets } from "./resolve-secrets.js";
import { makeLoadedConfig, type LoadedConfig } from "./make-loaded-config.js";

export type { LoadedConfig } from "./make-loaded-config.js";

/**
 * Reads, validates and resolves `config.yaml`; a missing file means all defaults. A missing secret
 * is not an error here (see requireEnabledSecrets): only the verb that uses a secret needs it.
 */
export function loadConfig(file: string, env: NodeJS.ProcessEnv = process.env): LoadedConfig {
  const text = existsSync(file) ? readFileSync(file, "utf8") : undefined;
  return _loadText(text, file, env);
}

/** Every default, as with no file: for a verb that must answer while the file is broken (`vigil status`). */
export function loadDefaultConfig(env: NodeJS.ProcessEnv = process.env): LoadedConfig {
  return _loadText(undefined, undefined, env);
}

function _loadText(text: string | undefined, file: string | undefined, env: NodeJS.ProcessEnv): LoadedConfig {
  const config = parseConfigText(text ?? "", text === undefined ? undefined : file);
  return makeLoadedConfig({
    config,
    secrets: resolveSecrets(config, env),
    file: text === undefined ? undefined : file,
    hash: createHash("sha256").update(text ?? "").digest("hex"),
  });
}

export function parseConfigText(text: string, file?: string): RawConfig {
  const lines = new LineCounter();
  const doc = parseDocument(text, { lineCounter: lines, prettyErrors: false, uniqueKeys: true });
  const yamlError = doc.errors[0];
  if (yamlError) {
    throw new ConfigError({
      keyPath: "",
      file,
      line: lines.linePos(yamlError.pos[0]).line,
      problem: `not valid YAML: ${yamlError.message.split("\n")[0]}`,
      fix: "correct the YAML syntax at that line (indentation, quotes, colons)",
    });
  }
  const data: unknown = doc.toJS() ?? {};
  const result = configSchema.safeParse(data, { reportInput: true });
  if (result.success) return result.data;
  // Every problem at once, in file order: fixing one at a time through restarts is no way to edit.
  const problems = result.error.issues.map((zodIssue) => {
    const issue = describeConfigIssue(zodIssue);
    return { keyPath: formatKeyPath(issue.keyPath), line: file ? locateYamlKey(doc, lines, issue.keyPath) : undefined, problem: issue.problem, fix: issue.fix };
  });
  problems.sort((a, b) => (a.line ?? 0) - (b.line ?? 0));
  const [first, ...more] = problems;
  throw new ConfigError({ ...first!, file, more });
}
