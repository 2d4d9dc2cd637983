import { spawn } from "node:child_process";
import type { Command } from "commander";
import type { VigilContext } from "../../context/open-context.js";
import { readHttpRunState } from "../../locks/http-run-file.js";
import { createLoginTokens } from "../../review/page/login-tokens.js";
import { withContext } from "../with-context.js";
import { writeLine, type CliIo } from "../cli-io.js";
import { EXIT } from "../exit-codes.js";

/** What a browser launcher needs of the user's environment; secrets (API keys, tokens) stay here. */
const BROWSER_ENV = ["PATH", "HOME", "USER", "LANG", "LC_ALL", "DISPLAY", "WAYLAND_DISPLAY", "XAUTHORITY", "XDG_RUNTIME_DIR", "XDG_CONFIG_HOME", "XDG_DATA_HOME", "XDG_DATA_DIRS", "XDG_CURRENT_DESKTOP", "XDG_SESSION_TYPE", "DBUS_SESSION_BUS_ADDRESS", "BROWSER"];

export function registerOpenCommand(program: Command, io: CliIo, setExit: (code: number) => void): void {
  program
    .command("open")
    .description("the review page: prints its URL with a one-time login link and opens a browser when there is a display")
    .option("--print", "only print the link")
    .action(async (options: { print?: boolean }) => setExit(await withContext(io, (ctx) => runOpen(ctx, io, options))));
}

export function runOpen(ctx: VigilContext, io: CliIo, options: { print?: boolean }): number {
  const url = _pageUrl(ctx);
  if (!url) {
    writeLine(io.stderr, "vigil: the daemon is not running (or its HTTP server is not listening: see vigil status), so nothing serves the page: start it with `vigil start` (or `vigil install` for a service)");
    return EXIT.failed;
  }
  const link = `${url}/login?token=${createLoginTokens(ctx.db).issue(ctx.now())}`;
  writeLine(io.stdout, link);
  writeLine(io.stderr, "The link logs one browser in and works once, within 10 minutes.");
  if (!options.print) _openBrowser(link, io);
  return EXIT.ok;
}

/** The running daemon's own address (run/http.json, when its server listens). */
function _pageUrl(ctx: VigilContext): string | undefined {
  const state = readHttpRunState(ctx.paths.runDir);
  return state?.listening ? state.url : undefined;
}

/** The desktop's opener, when there is a desktop; on failure the printed link is still there. */
function _openBrowser(link: string, io: CliIo): void {
  const env = Object.fromEntries(BROWSER_ENV.filter((key) => io.env[key] !== undefined).map((key) => [key, io.env[key]]));
  const opener = process.platform === "darwin" ? "open" : process.platform === "win32" ? undefined : env.DISPLAY || env.WAYLAND_DISPLAY ? "xdg-open" : undefined;
  if (!opener) {
    writeLine(io.stderr, "No display here: open the link in a browser on this machine.");
    return;
  }
  try {
    const child = spawn(opener, [link], { env, stdio: "ignore", detached: true });
    child.on("error", () => undefined);
    child.unref();
  } catch {
    writeLine(io.stderr, `Could not start ${opener}: open the link yourself.`);
  }
}
