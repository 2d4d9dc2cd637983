import type { LoadedConfig } from "../config/load-config.js";
import { ConfigError } from "../config/config-error.js";

export type ProviderName = "anthropic" | "rules";

/** Explicit config wins; otherwise Anthropic when a key is present, else the embedded rules. */
export function chooseProvider(loaded: LoadedConfig, env: NodeJS.ProcessEnv): ProviderName {
  const hasKey = Boolean(env.ANTHROPIC_API_KEY || env.ANTHROPIC_AUTH_TOKEN);
  const chosen = loaded.config.model.provider ?? (hasKey ? "anthropic" : "rules");
  if (chosen === "anthropic" && !hasKey) {
    throw new ConfigError({
      keyPath: "model.provider",
      file: loaded.file,
      problem: "is anthropic but ANTHROPIC_API_KEY is not set",
      fix: "export ANTHROPIC_API_KEY (for the service, in its environment file), or set model.provider to rules",
    });
  }
  return chosen;
}
