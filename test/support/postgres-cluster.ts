import { spawn, spawnSync, type ChildProcess } from "node:child_process";
import { randomBytes } from "node:crypto";
import { chmodSync, chownSync, closeSync, existsSync, mkdtempSync, openSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import path from "node:path";
import pg from "pg";
import { checkSystemTools, type SystemToolsGate } from "./system-tools.js";

/**
 * A throwaway PostgreSQL for tests and benchmarks: initdb in a temp dir, the server listening on
 * 127.0.0.1 only (a free port, its socket in the temp dir), password (SCRAM) authentication, and
 * everything stopped and deleted by `stop()`. Tests and CI run as root, which initdb and postgres
 * refuse, so as root both run as `nobody` (setpriv) on a data dir chowned to it.
 */
export interface PostgresCluster {
  readonly host: "127.0.0.1";
  readonly port: number;
  /** The cluster's superuser and its password. */
  readonly user: string;
  readonly password: string;
  /** A connection URL (the superuser's unless a login is given). */
  url(database?: string, login?: { user: string; password: string }): string;
  /** Creates a database (a fresh name unless given) and returns the superuser's URL of it. */
  createDatabase(name?: string): Promise<string>;
  /** With `tls`: the certificate's file (self-signed, for 127.0.0.1), to give as sslrootcert. */
  readonly certificateFile: string | undefined;
  /** Runs SQL as the superuser in a database (`postgres` by default). */
  admin(sql: string, database?: string): Promise<pg.QueryResult>;
  stop(): Promise<void>;
}

export interface PostgresClusterOptions {
  /** false (tests): fsync and synchronous commit off, so a test does not wait on the disk. true (benchmarks): PostgreSQL's defaults. */
  durable?: boolean;
  /** Also offer TLS, with a self-signed certificate for 127.0.0.1 (made with openssl). */
  tls?: boolean;
  /** pg_hba.conf lines put before initdb's, which match first (e.g. one user only over TLS). */
  hba?: string[];
}

const SUPERUSER = "vigil_admin";
const READY_TIMEOUT_MS = 30_000;
/** Where Debian puts each major version's programs (`apt-get install postgresql`). */
const DEBIAN_BIN_ROOT = "/usr/lib/postgresql";

/** Gates a test on PostgreSQL's server programs, like checkSystemTools: skipped where missing, failing under CI=true. */
export function checkPostgresTools(env: NodeJS.ProcessEnv = process.env): SystemToolsGate {
  return checkSystemTools({ initdb: "postgresql", postgres: "postgresql" }, env, (program) => findPostgresProgram(program) !== undefined);
}

/** A server program on PATH, else in the newest /usr/lib/postgresql/N/bin. */
export function findPostgresProgram(name: string): string | undefined {
  const onPath = spawnSync("sh", ["-c", 'command -v "$1"', "sh", name], { encoding: "utf8" }).stdout.trim();
  if (onPath) return onPath;
  if (!existsSync(DEBIAN_BIN_ROOT)) return undefined;
  const versions = readdirSync(DEBIAN_BIN_ROOT).filter((entry) => /^\d+$/.test(entry)).sort((a, b) => Number(b) - Number(a));
  return versions.map((version) => path.join(DEBIAN_BIN_ROOT, version, "bin", name)).find((candidate) => existsSync(candidate));
}

export async function startPostgresCluster({ durable = false, tls = false, hba = [] }: PostgresClusterOptions = {}): Promise<PostgresCluster> {
  const initdb = _program("initdb");
  const postgres = _program("postgres");
  const dir = mkdtempSync(path.join(tmpdir(), "vigil-pg-"));
  const owner = _unprivilegedOwner();
  if (owner) chownSync(dir, owner.uid, owner.gid);
  const password = randomBytes(18).toString("hex");
  const dataDir = path.join(dir, "data");
  try {
    _initdb(initdb, dir, dataDir, password, owner);
    if (hba.length > 0) _prependHba(dataDir, hba);
    const settings = durable ? [] : ["fsync=off", "synchronous_commit=off", "full_page_writes=off"];
    const certificateFile = tls ? _makeCertificate(dir, owner) : undefined;
    if (certificateFile) settings.push("ssl=on", `ssl_cert_file=${certificateFile}`, `ssl_key_file=${path.join(dir, "server.key")}`);
    const { child, port } = await _startServer(postgres, dir, dataDir, password, owner, settings);
    return _cluster(child, port, password, dir, certificateFile);
  } catch (error) {
    rmSync(dir, { recursive: true, force: true });
    throw error;
  }
}

function _program(name: string): string {
  const found = findPostgresProgram(name);
  if (!found) throw new Error(`PostgreSQL's ${name} is not installed (apt-get install -y postgresql)`);
  return found;
}

/** As root: nobody's uid and gid, to run the server as; otherwise undefined (run as ourselves). */
function _unprivilegedOwner(): { uid: number; gid: number } | undefined {
  if (process.getuid?.() !== 0) return undefined;
  const id = (flag: string) => Number(spawnSync("id", [flag, "nobody"], { encoding: "utf8" }).stdout.trim());
  return { uid: id("-u"), gid: id("-g") };
}

function _asOwner(owner: { uid: number; gid: number } | undefined, program: string, args: string[]): [string, string[]] {
  return owner ? ["setpriv", [`--reuid=${owner.uid}`, `--regid=${owner.gid}`, "--clear-groups", program, ...args]] : [program, args];
}

function _serverEnv(dir: string): NodeJS.ProcessEnv {
  return { PATH: process.env.PATH, HOME: dir, LANG: "C", LC_ALL: "C" };
}

function _initdb(initdb: string, dir: string, dataDir: string, password: string, owner: { uid: number; gid: number } | undefined): void {
  const pwfile = path.join(dir, "pwfile");
  writeFileSync(pwfile, `${password}\n`, { mode: 0o600 });
  if (owner) chownSync(pwfile, owner.uid, owner.gid);
  const args = ["-D", dataDir, `--username=${SUPERUSER}`, `--pwfile=${pwfile}`, "--auth=scram-sha-256", "--encoding=UTF8", "--no-locale", "--no-sync", "--no-instructions"];
  const [command, argv] = _asOwner(owner, initdb, args);
  const result = spawnSync(command, argv, { encoding: "utf8", env: _serverEnv(dir) });
  rmSync(pwfile, { force: true });
  if (result.status !== 0) throw new Error(`initdb failed (exit ${result.status}): ${(result.stderr || result.stdout || String(result.error)).trim()}`);
}

function _prependHba(dataDir: string, lines: readonly string[]): void {
  const file = path.join(dataDir, "pg_hba.conf");
  writeFileSync(file, `${lines.join("\n")}\n${readFileSync(file, "utf8")}`);
}

/** A self-signed certificate whose subjectAltName is 127.0.0.1, its key readable by the server's user only. */
function _makeCertificate(dir: string, owner: { uid: number; gid: number } | undefined): string {
  const [certificate, key] = [path.join(dir, "server.crt"), path.join(dir, "server.key")];
  const args = ["req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "2", "-subj", "/CN=vigil-test", "-addext", "subjectAltName=IP:127.0.0.1", "-keyout", key, "-out", certificate];
  const result = spawnSync("openssl", args, { encoding: "utf8" });
  if (result.status !== 0) throw new Error(`openssl could not make the test certificate: ${(result.stderr || String(result.error)).trim()}`);
  // PostgreSQL refuses a key that others may read.
  chmodSync(key, 0o600);
  for (const file of [certificate, key]) if (owner) chownSync(file, owner.uid, owner.gid);
  return certificate;
}

async function _startServer(postgres: string, dir: string, dataDir: string, password: string, owner: { uid: number; gid: number } | undefined, extra: readonly string[]) {
  // A free port can be taken between asking and binding: try a few.
  for (let attempt = 1; ; attempt++) {
    const port = await _freePort();
    const settings = ["-c", "listen_addresses=127.0.0.1", "-p", String(port), "-c", `unix_socket_directories=${dir}`, ...extra.flatMap((setting) => ["-c", setting])];
    const logFile = path.join(dir, `postgres-${attempt}.log`);
    const log = openSync(logFile, "w", 0o600);
    if (owner) chownSync(logFile, owner.uid, owner.gid);
    const [command, argv] = _asOwner(owner, postgres, ["-D", dataDir, ...settings]);
    const child = spawn(command, argv, { stdio: ["ignore", log, log], env: _serverEnv(dir) });
    closeSync(log);
    try {
      await _waitReady(child, port, password, logFile);
      return { child, port };
    } catch (error) {
      await _stopServer(child);
      const bindFailed = /could not bind|Address already in use/.test(_readLog(logFile));
      if (!bindFailed || attempt >= 3) throw error;
    }
  }
}

function _freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}

/** Ready once a password login over TCP works, the way every test connects. */
async function _waitReady(child: ChildProcess, port: number, password: string, logFile: string): Promise<void> {
  let exited = false;
  child.once("exit", () => (exited = true));
  const deadline = Date.now() + READY_TIMEOUT_MS;
  for (;;) {
    if (exited) throw new Error(`postgres exited at start: ${_readLog(logFile).trim().split("\n").slice(-5).join(" | ")}`);
    const client = new pg.Client({ host: "127.0.0.1", port, user: SUPERUSER, password, database: "postgres" });
    try {
      await client.connect();
      await client.end();
      return;
    } catch (error) {
      await client.end().catch(() => undefined);
      if (Date.now() > deadline) throw new Error(`postgres did not accept connections within ${READY_TIMEOUT_MS / 1000} s: ${String(error)}; log: ${_readLog(logFile).trim().split("\n").slice(-5).join(" | ")}`);
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
  }
}

function _readLog(file: string): string {
  try {
    return readFileSync(file, "utf8");
  } catch {
    return "";
  }
}

/** Fast shutdown (SIGINT: roll back sessions, then exit); SIGKILL if it has not gone in 10 s. */
function _stopServer(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => {
    const timer = setTimeout(() => child.kill("SIGKILL"), 10_000);
    child.once("exit", () => (clearTimeout(timer), resolve()));
    child.kill("SIGINT");
  });
}

function _cluster(child: ChildProcess, port: number, password: string, dir: string, certificateFile: string | undefined): PostgresCluster {
  // A test process that dies without its afterAll must not leave the server behind.
  const killOnExit = () => child.kill("SIGQUIT");
  process.once("exit", killOnExit);
  child.unref();
  let databases = 0;
  const url = (database = "postgres", login = { user: SUPERUSER, password }) =>
    `postgres://${encodeURIComponent(login.user)}:${encodeURIComponent(login.password)}@127.0.0.1:${port}/${encodeURIComponent(database)}`;
  const admin = async (sql: string, database = "postgres") => {
    const client = new pg.Client({ connectionString: url(database) });
    await client.connect();
    try {
      return await client.query(sql);
    } finally {
      await client.end();
    }
  };
  return {
    host: "127.0.0.1",
    port,
    user: SUPERUSER,
    password,
    certificateFile,
    url,
    admin,
    createDatabase: async (name = `vigil_test_${process.pid}_${++databases}`) => {
      await admin(`CREATE DATABASE "${name}"`);
      return url(name);
    },
    stop: async () => {
      process.removeListener("exit", killOnExit);
      await _stopServer(child);
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
