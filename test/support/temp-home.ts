import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterEach } from "vitest";

const _created: string[] = [];

afterEach(() => {
  for (const dir of _created.splice(0)) rmSync(dir, { recursive: true, force: true });
});

/** A fresh VIGIL_HOME for one test, removed after it. */
export function makeTempHome(prefix = "vigil-test-"): string {
  const dir = mkdtempSync(path.join(tmpdir(), prefix));
  _created.push(dir);
  return dir;
}
