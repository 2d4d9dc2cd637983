import path from "node:path";
import { describe, expect, it } from "vitest";
import { loadScenarios, parseScenarioText } from "../daemon/eval/load-scenarios.js";
import { shippedScenariosDir } from "../daemon/eval/shipped-scenarios-dir.js";
import { normalizeGithubEvent } from "../daemon/github/normalize-github-event.js";
import { githubExamples } from "./support/github-examples.js";
import { ROOT } from "./support/run-vigil.js";

/** Every key path of a value: `pull_request.head.sha`, arrays as `[]`. */
function _keyPaths(value: unknown, prefix = ""): string[] {
  if (Array.isArray(value)) return value.flatMap((item) => _keyPaths(item, `${prefix}[]`));
  if (value === null || typeof value !== "object") return [];
  return Object.entries(value).flatMap(([key, inner]) => {
    const here = prefix ? `${prefix}.${key}` : key;
    return [here, ..._keyPaths(inner, here)];
  });
}

describe("the shipped scenarios", () => {
  const { scenarios, problems } = loadScenarios(path.join(ROOT, "daemon/eval/scenarios"));

  it("all validate against the schema, and the suite has the coverage the issue asks for", () => {
    expect(problems).toEqual([]);
    expect(scenarios.length).toBeGreaterThanOrEqual(60);
    expect(scenarios.filter(({ scenario }) => scenario.expect === "act").length).toBeGreaterThanOrEqual(30);
    expect(scenarios.filter(({ scenario }) => scenario.expect === "quiet").length).toBeGreaterThanOrEqual(30);
    expect(scenarios.filter(({ scenario }) => scenario.injection).length).toBeGreaterThanOrEqual(10);
    const kinds = new Set(scenarios.flatMap(({ scenario }) => scenario.situation.events.map((event) => Object.keys(event).find((key) => key !== "ago"))));
    expect([...kinds].sort()).toEqual(["file", "github", "schedule", "tell"]);
  });

  it("is where the CLI looks for it, from the sources as from dist/", () => {
    expect(shippedScenariosDir()).toBe(path.join(ROOT, "daemon/eval/scenarios"));
    expect(shippedScenariosDir(path.join(ROOT, "dist/daemon/eval"))).toBe(path.join(ROOT, "daemon/eval/scenarios"));
  });

  it("carry GitHub payloads in GitHub's own shape, each one an event Vigil takes in", () => {
    const shapes = new Map<string, Set<string>>();
    // GitHub marks a comment on a pull request with `issue.pull_request`; the examples only show comments on plain issues.
    const documented: Record<string, string[]> = { issue_comment: ["issue.pull_request", "issue.pull_request.url", "issue.pull_request.html_url"] };
    const shapeOf = (name: string) => {
      if (!shapes.has(name)) shapes.set(name, new Set([...githubExamples([name]).flatMap((example) => _keyPaths(example.payload)), ...(documented[name] ?? [])]));
      return shapes.get(name)!;
    };
    let checked = 0;
    for (const { file, scenario } of scenarios) {
      for (const event of scenario.situation.events) {
        if (!("github" in event)) continue;
        const known = shapeOf(event.github.event);
        const unknown = _keyPaths(event.github.payload).filter((key) => !known.has(key));
        expect({ file, unknown }).toEqual({ file, unknown: [] });
        expect(normalizeGithubEvent(event.github.event, event.github.payload), file).toBeDefined();
        checked++;
      }
    }
    expect(checked).toBeGreaterThan(40);
  });

  it("a file with an error is named with its line, the key and the fix", () => {
    const problem = parseScenarioText("id: x\nexpect: act\nacceptable: [notify, shout]\nsituation: { now: 2026-03-10T10:15:00Z }\n", "/s/x.yaml");
    expect(problem).toEqual({ file: "/s/x.yaml", message: expect.stringMatching(/^\/s\/x\.yaml:3: acceptable\[1\]: must be one of "notify", .* \(it is "shout"\)\n {2}fix: set acceptable\[1\] to one of: "notify"/) });
    const event = parseScenarioText("id: x\nexpect: quiet\nsituation:\n  now: 2026-03-10T10:15:00Z\n  events:\n    - shout: hi\n", "/s/x.yaml");
    expect(event).toEqual({ file: "/s/x.yaml", message: expect.stringContaining("situation.events[0]: is not an event Vigil knows\n  fix: write each event as exactly one of tell:, file:, github: or schedule:") });
    const yaml = parseScenarioText("id: x\nexpect: [\n", "/s/x.yaml");
    expect("message" in yaml && yaml.message).toMatch(/^\/s\/x\.yaml:\d+: not valid YAML/);
  });
});
