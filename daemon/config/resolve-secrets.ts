import type { RawConfig } from "./config-schema.js";
import { ConfigError } from "./config-error.js";

/** Where a secret reference sits, and whether the feature using it is switched on. */
interface SecretSlot {
  keyPath: string[];
  ref: string | undefined;
  required: boolean;
}

export interface ResolvedSecrets {
  githubToken: string | undefined;
  webhookSecret: string | undefined;
  ntfyToken: string | undefined;
  /** Every value read through an `env:` reference, for redaction in logs and the journal. */
  values: string[];
}

/**
 * Reads every `env:NAME` reference. A missing variable is an error only when the feature that
 * needs it is enabled, so a default config runs on a machine with none of them set.
 */
export function resolveSecrets(config: RawConfig, env: NodeJS.ProcessEnv, file?: string): ResolvedSecrets {
  const slots: Record<"githubToken" | "webhookSecret" | "ntfyToken", SecretSlot> = {
    // Polling can also use the GitHub CLI's token (gh auth token): its absence is found when polling starts.
    githubToken: { keyPath: ["github", "token"], ref: config.github.token, required: false },
    webhookSecret: {
      keyPath: ["github", "webhooks", "secret"],
      ref: config.github.webhooks.secret,
      required: config.github.webhooks.enabled,
    },
    ntfyToken: { keyPath: ["notify", "ntfy", "token"], ref: config.notify.ntfy.token, required: false },
  };
  const resolved = {} as Omit<ResolvedSecrets, "values">;
  for (const [name, slot] of Object.entries(slots) as Array<[keyof typeof slots, SecretSlot]>) {
    resolved[name] = _readSlot(slot, env, file);
  }
  const values = Object.values(resolved).filter((value): value is string => Boolean(value));
  return { ...resolved, values };
}

function _readSlot(slot: SecretSlot, env: NodeJS.ProcessEnv, file?: string): string | undefined {
  const variable = slot.ref?.slice("env:".length);
  const value = variable ? env[variable] : undefined;
  if (value) return value;
  if (!slot.required) return undefined;
  const keyPath = slot.keyPath.join(".");
  throw new ConfigError({
    keyPath,
    file,
    problem: variable ? `environment variable ${variable} is not set` : "is required by an enabled feature",
    fix: variable
      ? `export ${variable}=… (for the service, put it in its environment file), or disable the feature`
      : `set ${keyPath} to an env: reference such as env:MY_SECRET`,
  });
}
