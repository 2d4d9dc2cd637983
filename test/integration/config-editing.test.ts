import { mkdirSync, readFileSync, statSync, writeFileSync } from "node:fs";
import path from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { cleanEnv, runVigil, runVigilAsync, spawnVigil, waitFor, type RunningVigil } from "../support/run-vigil.js";
import { makeTempHome } from "../support/temp-home.js";

const BASE = `heartbeat: { tickSeconds: 0.2, idleWakeMinutes: 0, settleMs: 100, quietHours: null }\nserver: { port: 0 }\nnotify: { desktop: false }\n`;

const daemons: RunningVigil[] = [];
afterEach(() => {
  for (const daemon of daemons.splice(0)) daemon.child.kill("SIGKILL");
});

/** An $EDITOR that replaces the file it is given with `text` (as a person saving in vi would). */
function editorWriting(dir: string, text: string): string {
  const content = path.join(dir, `content-${Math.random().toString(36).slice(2)}.yaml`);
  writeFileSync(content, text);
  return `cp ${content}`;
}

describe("config as a person edits it", () => {
  it("reload applies rules live and names what needs a restart; config edit validates, saves and reloads", async () => {
    const home = makeTempHome();
    const file = path.join(home, "config.yaml");
    writeFileSync(file, `${BASE}rules: []\n`);
    const env = cleanEnv(home); // no key: the rules provider, which only rules make act
    const daemon = spawnVigil(["start"], env);
    daemons.push(daemon);
    await waitFor(() => daemon.output().stderr.includes("provider: rules"), 15_000, "daemon start");
    expect((await runVigilAsync(["tell", "--wait", "first"], env)).stdout).toContain("stayed quiet: no model configured");

    // A broken edit is refused with every problem, and the file stays as it was.
    const broken = await runVigilAsync(["config", "edit"], { ...env, EDITOR: editorWriting(home, "watch: { path: x }\nserver: { port: 70000 }\n") });
    expect(broken.code).toBe(2);
    expect(broken.stderr).toContain("2 problems in");
    expect(broken.stderr).toContain("`watch` must be a list (it is a mapping)");
    expect(broken.stderr).toContain("`server.port` must be at most 65535 (it is 70000)");
    expect(broken.stderr).toContain(`${file} is unchanged`);
    expect(readFileSync(file, "utf8")).toBe(`${BASE}rules: []\n`);

    const next = `${BASE.replace("server: { port: 0 }", "server: { port: 0, host: localhost }")}rules: [ { when: { source: user }, do: notify } ]\n`;
    const saved = await runVigilAsync(["config", "edit"], { ...env, EDITOR: editorWriting(home, next) });
    expect(saved.code).toBe(0);
    expect(saved.stdout).toContain(`saved ${file}`);
    expect(saved.stdout).toContain("config reloaded: watching 0 root(s); applied rules; needs a restart (vigil restart): server.host");
    expect(readFileSync(file, "utf8")).toBe(next);
    expect(statSync(file).mode & 0o777).toBe(0o600);
    // The new rule holds without a restart.
    expect((await runVigilAsync(["tell", "--wait", "second"], env)).stdout).toContain("acted (notify): rules: 1 notification(s)");
  });

  it("vigil watch add | list | remove edit watch: and keep the file's comments", () => {
    const home = makeTempHome();
    const file = path.join(home, "config.yaml");
    const original = `# my own notes about this setup\nserver: { port: 0 }  # tests run in parallel\n\n# folders\nwatch: []\n`;
    writeFileSync(file, original);
    const env = cleanEnv(home);
    const project = path.join(home, "code", "app");
    mkdirSync(project, { recursive: true });
    expect(runVigil(["watch", "add", project], env)).toMatchObject({ code: 0, stdout: expect.stringContaining(`watching ${project}`) });
    const written = readFileSync(file, "utf8");
    expect(written).toContain("# my own notes about this setup");
    expect(written).toContain("server: { port: 0 } # tests run in parallel");
    expect(written).toContain("# folders\nwatch:\n  - path: ~/code/app\n");
    expect(runVigil(["watch", "add", "~/code/app"], env).stdout).toContain("already watching");
    expect(runVigil(["watch", "list"], env).stdout).toBe(`${project}\n`);
    expect(runVigil(["watch", "add", path.join(home, "nope")], env).code).toBe(2);
    expect(runVigil(["watch", "remove", project], env)).toMatchObject({ code: 0 });
    expect(readFileSync(file, "utf8")).toContain("# my own notes about this setup");
    expect(runVigil(["watch", "list", "--json"], env).stdout).toBe("");
    expect(runVigil(["watch", "remove", project], env).code).toBe(1);
  });
});
