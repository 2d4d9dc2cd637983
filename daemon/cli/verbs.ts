import type { Command } from "commander";
import type { CliIo } from "./cli-io.js";

export type RegisterVerbs = (program: Command, io: CliIo, setExit: (code: number) => void) => void;

interface VerbGroup {
  verbs: readonly string[];
  load: () => Promise<RegisterVerbs>;
}

/**
 * Every verb and the module that declares it, loaded on demand: a one-shot verb such as `vigil
 * tell` imports only its own module's graph, not the daemon's (the SDK, octokit, chokidar), so
 * it answers in about the time Node takes to start.
 */
export const VERB_GROUPS: readonly VerbGroup[] = [
  { verbs: ["init"], load: async () => (await import("./commands/init-command.js")).registerInitCommand },
  { verbs: ["start"], load: async () => (await import("./commands/start-command.js")).registerStartCommand },
  { verbs: ["status"], load: async () => (await import("./commands/status-command.js")).registerStatusCommand },
  { verbs: ["stop", "restart", "reload"], load: async () => (await import("./commands/lifecycle-commands.js")).registerLifecycleCommands },
  { verbs: ["config", "watch"], load: async () => (await import("./commands/config-commands.js")).registerConfigCommands },
  { verbs: ["backup", "export", "notify"], load: async () => (await import("./commands/data-commands.js")).registerDataCommands },
  { verbs: ["tell"], load: async () => (await import("./commands/tell-command.js")).registerTellCommand },
  { verbs: ["log"], load: async () => (await import("./commands/log-command.js")).registerLogCommand },
  { verbs: ["subscribe", "unsubscribe", "subscriptions"], load: async () => (await import("./commands/subscription-commands.js")).registerSubscriptionCommands },
  { verbs: ["install", "uninstall"], load: async () => (await import("./commands/service-commands.js")).registerServiceCommands },
  { verbs: ["review"], load: async () => (await import("./commands/review-command.js")).registerReviewCommand },
  { verbs: ["doctor"], load: async () => (await import("./commands/doctor-command.js")).registerDoctorCommand },
  { verbs: ["approvals", "approve", "deny"], load: async () => (await import("./commands/approval-commands.js")).registerApprovalCommands },
  { verbs: ["memory"], load: async () => (await import("./commands/memory-commands.js")).registerMemoryCommands },
  { verbs: ["dream"], load: async () => (await import("./commands/dream-command.js")).registerDreamCommand },
  { verbs: ["mcp"], load: async () => (await import("./commands/mcp-commands.js")).registerMcpCommands },
  { verbs: ["tasks", "task"], load: async () => (await import("./commands/task-commands.js")).registerTaskCommands },
  { verbs: ["open"], load: async () => (await import("./commands/open-command.js")).registerOpenCommand },
  { verbs: ["eval"], load: async () => (await import("./commands/eval-command.js")).registerEvalCommand },
  { verbs: ["store"], load: async () => (await import("./commands/store-commands.js")).registerStoreCommands },
];

/** The registrations `argv` needs: its verb's group alone, or every group for help, a typo or no verb. */
export async function loadVerbs(argv: readonly string[]): Promise<RegisterVerbs[]> {
  const group = VERB_GROUPS.find((candidate) => candidate.verbs.includes(argv[0] ?? ""));
  return Promise.all((group ? [group] : VERB_GROUPS).map((candidate) => candidate.load()));
}
