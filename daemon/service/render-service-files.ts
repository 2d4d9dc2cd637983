import { readFileSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";

export const LAUNCHD_LABEL = "dev.vigil.daemon";

/** The shipped templates: `systemd/` at the package root, next to `dist/`. */
function _template(name: string): string {
  for (let dir = path.dirname(fileURLToPath(import.meta.url)); ; dir = path.dirname(dir)) {
    try {
      return readFileSync(path.join(dir, "systemd", name), "utf8");
    } catch {
      if (path.dirname(dir) === dir) throw new Error(`template systemd/${name} not found`);
    }
  }
}

function _fill(template: string, values: Record<string, string>): string {
  // The template's own notes about its placeholders are for whoever edits the template, not the unit.
  const body = template
    .split("\n")
    .filter((line) => !(/^\s*(#|<!--)/.test(line) && line.includes("{{")))
    .join("\n");
  return body.replace(/\{\{(\w+)\}\}/g, (_, key: string) => {
    if (!(key in values)) throw new Error(`no value for {{${key}}}`);
    return values[key]!;
  });
}

/** A systemd word: quoted when needed, with `\`, `"` escaped and `%` doubled (specifiers). */
export function quoteSystemd(value: string): string {
  const escaped = value.replace(/%/g, "%%");
  return /[\s"'\\;$]/.test(escaped) ? `"${escaped.replace(/\\/g, "\\\\").replace(/"/g, '\\"')}"` : escaped;
}

export function escapeXml(value: string): string {
  return value.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;").replace(/"/g, "&quot;").replace(/'/g, "&apos;");
}

export interface ServicePaths {
  node: string;
  script: string;
  vigilHome: string;
  envFile: string;
  logDir: string;
  /** VIGIL_CONFIG of the shell that ran `vigil install`, carried into the service. */
  vigilConfig?: string;
}

export function renderSystemdUnit(paths: ServicePaths): string {
  return _fill(_template("vigil.service"), {
    EXEC_START: [paths.node, paths.script, "start"].map(quoteSystemd).join(" "),
    ENVIRONMENT: [`VIGIL_HOME=${paths.vigilHome}`, ...(paths.vigilConfig ? [`VIGIL_CONFIG=${paths.vigilConfig}`] : [])].map(quoteSystemd).join(" "),
    ENV_FILE: paths.envFile.replace(/%/g, "%%"),
  });
}

export function renderLaunchdPlist(paths: ServicePaths): string {
  return _fill(_template("vigil.plist"), {
    LABEL: LAUNCHD_LABEL,
    NODE: escapeXml(paths.node),
    SCRIPT: escapeXml(paths.script),
    VIGIL_HOME: escapeXml(paths.vigilHome),
    EXTRA_ENV: paths.vigilConfig ? `\n    <key>VIGIL_CONFIG</key>\n    <string>${escapeXml(paths.vigilConfig)}</string>` : "",
    LOG_DIR: escapeXml(paths.logDir),
  });
}
