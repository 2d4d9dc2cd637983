import type { RawConfig } from "./config-schema.js";
import { ConfigError } from "./config-error.js";

/** A secret the config may use: the variable holding it, and whether an enabled feature needs it. */
export interface SecretSlot {
  keyPath: string;
  /** The variable named by the `env:NAME` reference; undefined when the key is unset. */
  variable: string | undefined;
  required: boolean;
}

export interface ResolvedSecrets {
  githubToken: string | undefined;
  webhookSecret: string | undefined;
  ntfyToken: string | undefined;
  /** The PostgreSQL store's URL (it holds the password). */
  databaseUrl: string | undefined;
  /** Every value read through an `env:` reference, for redaction in logs and the journal. */
  values: string[];
}

/** The config's `env:` references, and which of them an enabled feature cannot do without. */
export function listSecretSlots(config: RawConfig): Record<"githubToken" | "webhookSecret" | "ntfyToken" | "databaseUrl", SecretSlot> {
  const slot = (keyPath: string, ref: string | undefined, required: boolean): SecretSlot => ({ keyPath, variable: ref?.slice("env:".length), required });
  return {
    // Polling can also use the GitHub CLI's token (gh auth token): its absence is found when polling starts.
    githubToken: slot("github.token", config.github.token, false),
    webhookSecret: slot("github.webhooks.secret", config.github.webhooks.secret, config.github.webhooks.enabled),
    ntfyToken: slot("notify.ntfy.token", config.notify.ntfy.token, false),
    databaseUrl: slot("store.url", config.store.url, config.store.engine === "postgres"),
  };
}

/**
 * Reads every `env:NAME` reference that is set; never throws. Reading the journal needs no GitHub
 * token, so a missing secret only matters to the verb that uses it: see requireEnabledSecrets.
 */
export function resolveSecrets(config: RawConfig, env: NodeJS.ProcessEnv): ResolvedSecrets {
  const slots = listSecretSlots(config);
  const read = (slot: SecretSlot) => (slot.variable ? env[slot.variable] || undefined : undefined);
  const resolved = { githubToken: read(slots.githubToken), webhookSecret: read(slots.webhookSecret), ntfyToken: read(slots.ntfyToken), databaseUrl: read(slots.databaseUrl) };
  const values = Object.values(resolved).filter((value): value is string => Boolean(value));
  return { ...resolved, values };
}

/** For the daemon (and a reload): an enabled feature whose secret is missing is a config error. */
export function requireEnabledSecrets(config: RawConfig, env: NodeJS.ProcessEnv, file?: string): void {
  const problem = findMissingSecrets(config, env, file)[0];
  if (problem) throw problem;
}

/** One ConfigError per enabled feature whose secret is not set, in config order. */
export function findMissingSecrets(config: RawConfig, env: NodeJS.ProcessEnv, file?: string): ConfigError[] {
  return Object.values(listSecretSlots(config))
    .filter((slot) => slot.required && !(slot.variable && env[slot.variable]))
    .map(
      ({ keyPath, variable }) =>
        new ConfigError({
          keyPath,
          file,
          problem: variable ? `environment variable ${variable} is not set` : "is required by an enabled feature",
          fix: variable
            ? `export ${variable}=… or put ${variable}=… in $VIGIL_HOME/service.env (read by the service and by every verb), or disable the feature`
            : `set ${keyPath} to an env: reference such as env:MY_SECRET`,
        }),
    );
}

/** Every variable a secret may come from under this config: the model key and each `env:` reference. */
export function listSecretNames(config: RawConfig): string[] {
  const referenced = Object.values(listSecretSlots(config)).flatMap((slot) => (slot.variable ? [slot.variable] : []));
  return [...new Set(["ANTHROPIC_API_KEY", "ANTHROPIC_AUTH_TOKEN", ...referenced])];
}
