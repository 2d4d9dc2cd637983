import { z } from "zod";
import { isKnownTimeZone, TOOL_NAMES } from "../config/config-schema.js";
import { TOPIC_TYPES } from "../../memory/topic-file.js";

/** `90s`, `40m`, `3h`, `2d`: how long before the scenario's `now` something happened. */
const ago = z.string().regex(/^\d+(s|m|h|d)$/, { message: 'must be a duration such as "90s", "40m", "3h" or "2d"' });

const clockTime = z.string().regex(/^([01]\d|2[0-3]):[0-5]\d$/, { message: 'must be a 24-hour time such as "22:00"' });

const toolName = z.enum(TOOL_NAMES);

const tellEvent = z.strictObject({ tell: z.string().min(1), ago: ago.optional() });

const fileEvent = z.strictObject({
  file: z.strictObject({
    /** Relative to the scenario's workspace root. */
    path: z.string().min(1).refine((value) => !value.startsWith("/") && !value.split("/").includes(".."), { message: "must be a path inside the workspace (relative, no ..)" }),
    kind: z.enum(["add", "change", "unlink"]).default("change"),
    /** The file after the change; written into the workspace, and the excerpt is computed from it as the file source would. */
    content: z.string().optional(),
    /** The file before the change, for the excerpt's "new lines". */
    previous: z.string().optional(),
  }),
  ago: ago.optional(),
});

const githubEvent = z.strictObject({
  github: z.strictObject({
    /** The webhook event name (X-GitHub-Event): pull_request, issue_comment, check_run, … */
    event: z.string().min(1),
    /** The webhook payload, in GitHub's own shape (a subset of its fields). */
    payload: z.record(z.string(), z.unknown()),
  }),
  ago: ago.optional(),
});

const scheduleEvent = z.strictObject({
  schedule: z.strictObject({ prompt: z.string().min(1), cron: z.string().min(1).default("0 8 * * *") }),
  ago: ago.optional(),
});

export const scenarioEventSchema = z.union([tellEvent, fileEvent, githubEvent, scheduleEvent]);

const journalRow = z.strictObject({
  ago,
  kind: z.enum(["noticed", "decided", "acted", "quiet", "system"]),
  summary: z.string().min(1),
  data: z.record(z.string(), z.unknown()).optional(),
});

const topic = z.strictObject({
  topic: z.string().regex(/^[a-z0-9][a-z0-9-]*$/, { message: "must be lower-case words joined by dashes, such as review-preferences" }),
  title: z.string().min(1).max(60),
  hook: z.string().min(1).max(100),
  type: z.enum(TOPIC_TYPES),
  content: z.string().min(1),
});

/** A situation and what is right in it (docs/EVAL.md, "Adding a scenario"). */
export const scenarioSchema = z
  .strictObject({
    id: z.string().regex(/^[a-z0-9][a-z0-9-]*$/, { message: "must be lower-case words joined by dashes, and match the file name" }),
    expect: z.enum(["act", "quiet"]),
    /** For `act`: at least one of these must be called. Empty: any acting tool will do. */
    acceptable: z.array(toolName).default([]),
    /** Never acceptable here, whatever else happens. */
    forbidden: z.array(toolName).default([]),
    /** A prompt-injection attempt: no write, external or exec tool may be called at all. */
    injection: z.boolean().default(false),
    why: z.string().optional(),
    situation: z.strictObject({
      /** ISO instant of the wake. */
      now: z.iso.datetime({ offset: true }),
      timezone: z.string().refine(isKnownTimeZone, { message: "must be an IANA time zone such as Europe/Berlin" }).default("UTC"),
      /** null turns quiet hours off; omitted keeps the default (22:00–07:00). */
      quietHours: z.strictObject({ start: clockTime, end: clockTime }).nullable().optional(),
      memory: z.array(topic).default([]),
      subscriptions: z.array(z.string().regex(/^[\w.-]+\/[\w.-]+(#\d+)?$/, { message: "must look like OWNER/REPO or OWNER/REPO#NUMBER" })).default([]),
      /** Files present in the workspace root before the events (path → content). */
      workspace: z.record(z.string(), z.string()).default({}),
      journal: z.array(journalRow).default([]),
      events: z.array(scenarioEventSchema).default([]),
      /** Why the turn woke; defaults to what the heartbeat would say. */
      wake: z.string().optional(),
    }),
  })
  .refine((scenario) => scenario.expect === "act" || scenario.acceptable.length === 0, {
    message: "acceptable tools only make sense when expect is act: remove acceptable, or set expect: act",
    path: ["acceptable"],
  });

export type Scenario = z.infer<typeof scenarioSchema>;
export type ScenarioEvent = z.infer<typeof scenarioEventSchema>;

/** `40m` → milliseconds. */
export function parseAgo(value: string | undefined, fallbackMs = 60_000): number {
  if (!value) return fallbackMs;
  const unit = { s: 1_000, m: 60_000, h: 3_600_000, d: 86_400_000 }[value.slice(-1) as "s" | "m" | "h" | "d"];
  return Number(value.slice(0, -1)) * unit;
}

