import type { RawConfig } from "./config-schema.js";
import type { ResolvedSecrets } from "./resolve-secrets.js";
import { SYSTEM_TIME_ZONE, timeZoneName } from "./system-time-zone.js";

export interface LoadedConfig {
  config: RawConfig;
  secrets: ResolvedSecrets;
  /** The file read, or undefined when none existed and defaults apply. */
  file: string | undefined;
  /** SHA-256 of the file's bytes (of "" for defaults), journaled at start to tell configs apart. */
  hash: string;
  /** The configured zone's name, else the system zone's (an Intl call, made when first read). */
  readonly timezone: string;
  /** The zone for logs/local-day.ts: the configured name, else SYSTEM_TIME_ZONE (local days without Intl). */
  zone: string;
}

/**
 * A LoadedConfig whose `timezone` name is resolved only when something reads it (not spread: that
 * would read it): `zone` serves local days and times, and with no zone configured it is
 * SYSTEM_TIME_ZONE, so a one-shot verb that prints no zone name never pays for ICU's start-up.
 */
export function makeLoadedConfig(parts: Omit<LoadedConfig, "timezone" | "zone">): LoadedConfig {
  const zone = parts.config.timezone ?? SYSTEM_TIME_ZONE;
  return {
    config: parts.config,
    secrets: parts.secrets,
    file: parts.file,
    hash: parts.hash,
    zone,
    get timezone() {
      return timeZoneName(zone);
    },
  };
}
