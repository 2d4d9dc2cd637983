import path from "node:path";
import envPaths from "env-paths";

/** Every file Vigil keeps, derived from one home directory (see DESIGN.md, "Files under $VIGIL_HOME"). */
export interface VigilPaths {
  home: string;
  config: string;
  database: string;
  memoryDir: string;
  outboxDir: string;
  logsDir: string;
  runDir: string;
  lockFile: string;
}

export function resolvePaths(env: NodeJS.ProcessEnv = process.env): VigilPaths {
  const home = path.resolve(env.VIGIL_HOME || envPaths("vigil", { suffix: "" }).data);
  const runDir = path.join(home, "run");
  return {
    home,
    config: path.resolve(env.VIGIL_CONFIG || path.join(home, "config.yaml")),
    database: path.join(home, "vigil.db"),
    memoryDir: path.join(home, "memory"),
    outboxDir: path.join(home, "outbox"),
    logsDir: path.join(home, "logs"),
    runDir,
    lockFile: path.join(runDir, "vigil.lock"),
  };
}
