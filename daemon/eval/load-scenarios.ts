import { readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import { LineCounter, parseDocument } from "yaml";
import { describeConfigIssue, formatKeyPath } from "../config/describe-config-issue.js";
import { locateYamlKey } from "../config/locate-yaml-key.js";
import { scenarioSchema, type Scenario } from "./scenario-format.js";

export interface ScenarioFile {
  file: string;
  scenario: Scenario;
}

/** A scenario file that cannot run: the message names the file (and line), the key and the fix. */
export interface ScenarioProblem {
  file: string;
  message: string;
}

export interface LoadedScenarios {
  scenarios: ScenarioFile[];
  problems: ScenarioProblem[];
}

/**
 * Every `*.yaml`/`*.yml` in `dir`, parsed and checked against the scenario schema. A bad file is
 * reported and skipped; the others still load, so one typo never hides the rest of the suite.
 */
export function loadScenarios(dir: string): LoadedScenarios {
  const names = readdirSync(dir).filter((name) => /\.ya?ml$/.test(name)).sort();
  const scenarios: ScenarioFile[] = [];
  const problems: ScenarioProblem[] = [];
  const seen = new Map<string, string>();
  for (const name of names) {
    const file = path.join(dir, name);
    const loaded = parseScenarioText(readFileSync(file, "utf8"), file);
    if ("message" in loaded) {
      problems.push(loaded);
      continue;
    }
    const expectedId = name.replace(/\.ya?ml$/, "");
    if (loaded.scenario.id !== expectedId) {
      problems.push({ file, message: `${file}: id: "${loaded.scenario.id}" does not match the file name\n  fix: set id to ${expectedId}, or rename the file to ${loaded.scenario.id}.yaml` });
      continue;
    }
    const earlier = seen.get(loaded.scenario.id);
    if (earlier) {
      problems.push({ file, message: `${file}: id: "${loaded.scenario.id}" is also the id of ${earlier}\n  fix: give each scenario its own id` });
      continue;
    }
    seen.set(loaded.scenario.id, file);
    scenarios.push(loaded);
  }
  return { scenarios, problems };
}

/** One scenario file's text, checked; the problem says where, what, and how to fix it. */
export function parseScenarioText(text: string, file: string): ScenarioFile | ScenarioProblem {
  const lines = new LineCounter();
  const doc = parseDocument(text, { lineCounter: lines, prettyErrors: false, uniqueKeys: true });
  const yamlError = doc.errors[0];
  if (yamlError) {
    const line = lines.linePos(yamlError.pos[0]).line;
    return { file, message: `${file}:${line}: not valid YAML: ${yamlError.message.split("\n")[0]}\n  fix: correct the YAML syntax at that line (indentation, quotes, colons)` };
  }
  const result = scenarioSchema.safeParse(doc.toJS() ?? {}, { reportInput: true });
  if (result.success) return { file, scenario: result.data };
  const first = result.error.issues[0]!;
  const issue =
    first.code === "invalid_union"
      ? { keyPath: first.path as Array<string | number>, problem: "is not an event Vigil knows", fix: "write each event as exactly one of tell:, file:, github: or schedule: (and optionally ago:), as in docs/EVAL.md" }
      : describeConfigIssue(first, scenarioSchema);
  const line = locateYamlKey(doc, lines, issue.keyPath);
  const key = formatKeyPath(issue.keyPath);
  return { file, message: `${file}${line ? `:${line}` : ""}: ${key ? `${key}: ` : ""}${issue.problem}\n  fix: ${issue.fix}` };
}
