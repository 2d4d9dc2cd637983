import { loadCron } from "./load-cron.js";
import { z } from "zod";

/**
 * The whole of `config.yaml`, every key with its default (DESIGN.md, "Config").
 * Objects are strict so a misspelt key is an error rather than a silently ignored setting.
 * `prefault` (not `default`) so an omitted section is parsed and gets its inner defaults.
 */

const ENV_REF = /^env:[A-Za-z_][A-Za-z0-9_]*$/;

/** Secrets are never inline: only an `env:NAME` reference (or nothing) is accepted. */
const secretRef = z
  .string()
  .regex(ENV_REF, { message: "must be an env: reference such as env:MY_SECRET, never the secret itself" })
  .optional();

const clockTime = z.string().regex(/^([01]\d|2[0-3]):[0-5]\d$/, { message: 'must be a 24-hour time such as "22:00"' });

const cronExpression = z.string().refine((text) => loadCron().validate(text), { message: 'must be a cron expression such as "0 8 * * *" (minute hour day month weekday)' });

const riskPolicy = z.enum(["auto", "critic", "ask", "deny"]);

export const TOOL_NAMES = [
  "notify",
  "deliver_file",
  "github_comment",
  "github_review",
  "subscribe_pr",
  "unsubscribe_pr",
  "read_file",
  "list_dir",
  "search_files",
  "write_file",
  "run_command",
  "list_changes",
  "memory_search",
  "memory_read",
  "memory_write",
  "memory_delete",
  "schedule",
  "sleep",
  "stay_quiet",
  "start_task",
  "push_task_branch",
  "open_pull_request",
] as const;

const modelSchema = z.strictObject({
  provider: z.enum(["anthropic", "rules"]).optional(),
  name: z.string().min(1).default("claude-sonnet-5-5"),
  triageModel: z.string().min(1).optional(),
  criticModel: z.string().min(1).default("claude-haiku-5-5"),
  maxTokens: z.number().int().positive().default(1024),
  dailyTokenBudget: z.number().int().nonnegative().default(2_000_000),
});

const heartbeatSchema = z.strictObject({
  tickSeconds: z.number().positive().default(5),
  idleWakeMinutes: z.number().nonnegative().default(30),
  settleMs: z.number().int().nonnegative().default(1500),
  maxSteps: z.number().int().positive().default(8),
  quietHours: z
    .strictObject({ start: clockTime, end: clockTime })
    .nullable()
    .default({ start: "22:00", end: "07:00" }),
});

const watchRootSchema = z.strictObject({
  path: z.string().min(1),
  ignore: z.array(z.string()).default([]),
  /** Files arrive from `git pull` and downloads: their contents are outside text unless the user says otherwise. */
  trust: z.enum(["trusted", "untrusted"]).default("untrusted"),
});

/**
 * Token budgets of each part of a prompt (about 4 characters a token). The defaults keep a wake
 * well under 20k tokens: front (tools, rules, memory index) up to ~10k, events 4k, journal 1k.
 */
const contextSchema = z.strictObject({
  /** The events part of one turn's prompt. */
  eventTokens: z.number().int().min(200).default(4000),
  /** At most this many lines of events in one turn (a folded burst is one line); the rest wait. */
  maxEvents: z.number().int().min(1).default(40),
  /** One event as the prompt shows it. */
  eventTokensEach: z.number().int().min(50).default(400),
  /** More events than this from one source (and watch root or repository) in a turn fold into one line. */
  foldAfter: z.number().int().min(1).default(8),
  /** At most this many folded events in one turn. */
  maxFolded: z.number().int().min(1).default(5000),
  /** The recent-journal part: this many rows, within this many tokens. */
  journalRows: z.number().int().min(0).default(12),
  journalTokens: z.number().int().min(0).default(1000),
  /** One tool result as the model sees it in the turn; the full output goes to the transcript. */
  toolResultTokens: z.number().int().min(100).default(2000),
  /** All of a turn's messages after the prompt; later tool results are clipped harder to fit. */
  turnTokens: z.number().int().min(1000).default(12000),
  /** The dream's journal input. */
  dreamRows: z.number().int().min(1).default(300),
  dreamTokens: z.number().int().min(500).default(12000),
  /** An event in this many failed turns in a row is set aside (quarantined) so it cannot stall the queue. */
  quarantineAfter: z.number().int().min(1).default(3),
});

const githubSchema = z.strictObject({
  token: secretRef.default("env:GITHUB_TOKEN"),
  apiBaseUrl: z.url().default("https://api.github.com"),
  webhooks: z
    .strictObject({
      enabled: z.boolean().default(false),
      secret: secretRef.default("env:VIGIL_WEBHOOK_SECRET"),
      path: z.string().startsWith("/").default("/webhooks/github"),
    })
    .prefault({}),
  poll: z
    .strictObject({
      enabled: z.boolean().default(false),
      intervalSeconds: z.number().int().min(10).default(60),
    })
    .prefault({}),
  subscriptions: z
    .array(z.string().regex(/^[\w.-]+\/[\w.-]+(#\d+)?$/, { message: "must look like OWNER/REPO or OWNER/REPO#NUMBER" }))
    .default([]),
  /** Local clones that tasks may use for a followed repository: owner/name → path. */
  clones: z.record(z.string().regex(/^[\w.-]+\/[\w.-]+$/, { message: "keys must be OWNER/REPO" }), z.string().min(1)).default({}),
});

const tasksSchema = z.strictObject({
  /** Tasks running at once; the rest wait in order. */
  maxConcurrent: z.number().int().min(1).max(8).default(1),
  maxSteps: z.number().int().min(1).max(500).default(40),
  /** Every token a task's model calls count (cached ones too); over it the worker is killed. */
  maxTokens: z.number().int().min(1000).default(400_000),
  timeoutMinutes: z.number().positive().max(24 * 60).default(20),
  /** How many times a task interrupted by a crash or stop is started again. */
  retryInterrupted: z.number().int().min(0).max(5).default(1),
});

const notifySchema = z.strictObject({
  desktop: z.boolean().default(true),
  /**
   * Approve and Deny on the desktop's approval notification (libnotify's actions on Linux, macOS),
   * with `desktop: true`; the `approvals.phone: never` rule and the phone's fit rule apply.
   */
  desktopApprovals: z.boolean().default(true),
  /** More notifications than this in an hour are held back (and journaled). */
  maxPerHour: z.number().int().positive().default(20),
  /** During quiet hours notifications wait for the morning digest; this many urgent ones still go out each night. */
  urgentPerNight: z.number().int().nonnegative().default(3),
  ntfy: z
    .strictObject({
      server: z.url().default("https://ntfy.sh"),
      topic: z.string().default(""),
      token: secretRef.default("env:NTFY_TOKEN"),
      /** Approve and Deny from the phone: ntfy http actions that publish to a reply topic the daemon reads. */
      approvals: z
        .strictObject({
          enabled: z.boolean().default(false),
          /** Empty: a random topic (192 bits) is made once and kept under VIGIL_HOME. */
          replyTopic: z.string().regex(/^[A-Za-z0-9_-]*$/, { message: "must be letters, digits, - and _ (an ntfy topic)" }).default(""),
          /** A button pressed later than this after the request does nothing. */
          expiresMinutes: z.number().int().min(1).max(24 * 60).default(720),
          /** `TOOL: never` keeps that tool's approvals to the shell and the review page. */
          phone: z.record(z.string(), z.enum(["never", "allowed"])).default({}),
        })
        .prefault({}),
    })
    .prefault({}),
});

/** A built-in tool's name, or an MCP tool (`SERVER__TOOL`) or pattern of them (`SERVER__*`). */
const MCP_TOOL_PATTERN = /^[A-Za-z0-9-]+__[\w*?-]+$/;
const policyKey = z.string().refine((key) => (TOOL_NAMES as readonly string[]).includes(key) || MCP_TOOL_PATTERN.test(key), {
  message: `is not a tool: use one of ${TOOL_NAMES.join(", ")}, or an MCP tool or pattern such as linear__create_issue or linear__*`,
});

const toolsSchema = z.strictObject({
  workspace: z.array(z.string().min(1)).default([]),
  policy: z.record(policyKey, riskPolicy).default({}),
  /** run_command under bubblewrap: only its workspace root writable, VIGIL_HOME and secrets hidden. */
  sandbox: z
    .strictObject({
      enabled: z.boolean().default(true),
      /** Commands get no network unless this is true. */
      network: z.boolean().default(false),
      hide: z.array(z.string().min(1)).default([]),
    })
    .prefault({}),
});

const scheduleSchema = z.strictObject({
  cron: cronExpression,
  prompt: z.string().min(1),
  /** After downtime or sleep: run the latest missed slot once (default), or skip it. */
  missed: z.enum(["run-once", "skip"]).default("run-once"),
});

const ruleSchema = z.strictObject({
  when: z.strictObject({
    source: z.enum(["files", "github", "schedule", "user", "clock"]).optional(),
    event: z.string().optional(),
  }),
  do: z.enum(["notify"]),
});

/** The user's own command on Vigil's events (`on` is a pattern such as `github.pull_request_review.*`). */
const hookSchema = z.strictObject({
  on: z.string().regex(/^[\w.*?{},\[\]!-]+$/, { message: "must be an event pattern such as github.pull_request_review.* or before_tool.run_command" }),
  run: z.string().min(1),
  timeoutSeconds: z.number().positive().max(3600).default(10),
});

/** A value in an MCP server's env or headers: literal text, or `env:NAME` for a secret. */
const mcpValue = z.string();

const mcpServerSchema = z.union([
  z.strictObject({
    command: z.string().min(1),
    args: z.array(z.string()).default([]),
    env: z.record(z.string(), mcpValue).default({}),
    cwd: z.string().min(1).optional(),
  }),
  z.strictObject({
    url: z.url(),
    headers: z.record(z.string(), mcpValue).default({}),
  }),
]);

const mcpSchema = z.strictObject({
  /** `NAME: { command, args?, env?, cwd? }` (stdio) or `NAME: { url, headers? }` (Streamable HTTP). */
  servers: z.record(z.string().regex(/^[A-Za-z0-9-]+$/, { message: "must be letters, digits and dashes (tools are named NAME__TOOL)" }), mcpServerSchema).default({}),
  /** One tool call that takes longer than this fails (and the server is restarted). */
  callTimeoutSeconds: z.number().positive().max(3600).default(60),
});

/** US dollars per million tokens. */
const priceSchema = z.strictObject({
  input: z.number().nonnegative(),
  output: z.number().nonnegative(),
  cacheWrite: z.number().nonnegative(),
  cacheRead: z.number().nonnegative(),
});

/** List prices at the time of writing; cache writes are the 1-hour rate (2× input), which Vigil uses. */
export const DEFAULT_PRICES = {
  "claude-sonnet-5-5": { input: 3, output: 15, cacheWrite: 6, cacheRead: 0.3 },
  "claude-haiku-5-5": { input: 1, output: 5, cacheWrite: 2, cacheRead: 0.1 },
  "claude-opus-5-5": { input: 5, output: 25, cacheWrite: 10, cacheRead: 0.5 },
};

export const configSchema = z.strictObject({
  timezone: z
    .string()
    .refine(isKnownTimeZone, { message: "must be an IANA time zone such as Europe/Berlin" })
    .optional(),
  model: modelSchema.prefault({}),
  heartbeat: heartbeatSchema.prefault({}),
  context: contextSchema.prefault({}),
  watch: z.array(watchRootSchema).default([]),
  github: githubSchema.prefault({}),
  notify: notifySchema.prefault({}),
  tools: toolsSchema.prefault({}),
  schedules: z.array(scheduleSchema).default([]),
  dream: z
    .strictObject({
      cron: cronExpression.default("0 3 * * *"),
      minNewEntries: z.number().int().nonnegative().default(20),
      /** A dream that has not finished by then is killed and memory stays as it was. */
      timeoutSeconds: z.number().int().min(1).max(3600).default(600),
    })
    .prefault({}),
  magicDocs: z
    .strictObject({
      enabled: z.boolean().default(true),
      /** At most one refresh of a document per this many hours. */
      minIntervalHours: z.number().positive().default(24),
    })
    .prefault({}),
  rules: z.array(ruleSchema).default([]),
  tasks: tasksSchema.prefault({}),
  hooks: z.array(hookSchema).default([]),
  mcp: mcpSchema.prefault({}),
  journal: z
    .strictObject({
      /** The journal's head (seq and hash) is appended here daily and on `vigil log anchor`, outside VIGIL_HOME. */
      anchor: z
        .strictObject({
          /** Default: anchors.jsonl in the user's state dir (env-paths; on Linux ~/.local/state/vigil). */
          file: z.string().min(1).optional(),
          cron: cronExpression.default("0 0 * * *"),
          /** Also put the head in the morning review notification, so a copy lives on another device. */
          notify: z.boolean().default(false),
        })
        .prefault({}),
    })
    .prefault({}),
  review: z
    .strictObject({
      /** When the morning digest is sent as a notification. */
      cron: cronExpression.default("0 8 * * *"),
      prices: z.record(z.string(), priceSchema).default(DEFAULT_PRICES),
    })
    .prefault({}),
  /** What may be dropped after a while (null keeps it forever). Journal rows are never dropped. */
  retention: z
    .strictObject({
      transcriptsDays: z.number().int().positive().nullable().default(null),
      outboxDays: z.number().int().positive().nullable().default(null),
      memoryVersions: z.number().int().positive().nullable().default(null),
    })
    .prefault({}),
  /** Where the queue, the journal and the rest are kept: this home's vigil.db, or a PostgreSQL shared by a team's nodes. */
  store: z
    .strictObject({
      engine: z.enum(["sqlite", "postgres"]).default("sqlite"),
      /** The PostgreSQL URL (postgres://USER:PASSWORD@HOST:PORT/DATABASE, sslmode in it): a secret, so only as env:NAME. */
      url: secretRef.default("env:VIGIL_DATABASE_URL"),
    })
    .prefault({}),
  server: z
    .strictObject({
      host: z.string().min(1).default("127.0.0.1"),
      port: z.number().int().min(0).max(65535).default(8750),
    })
    .prefault({}),
});

/** The config as written, after defaults; secrets still as `env:NAME` references. */
export type RawConfig = z.infer<typeof configSchema>;

export function isKnownTimeZone(zone: string): boolean {
  try {
    new Intl.DateTimeFormat("en-US", { timeZone: zone });
    return true;
  } catch {
    return false;
  }
}
