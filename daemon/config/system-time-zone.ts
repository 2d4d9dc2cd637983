/**
 * Stands for the process's own time zone (config `timezone` unset) where a zone is handed to
 * logs/local-day.ts. Date's local getters read that zone at no cost, while a process's first Intl
 * call sets up ICU's formatting data (15–30 ms, more than the rest of `vigil tell`'s own work). Not
 * a zone name, and none can be configured as it: the config accepts only names Intl knows.
 */
export const SYSTEM_TIME_ZONE = "system";

let _systemName: string | undefined;

/** A zone's IANA name: SYSTEM_TIME_ZONE becomes the system zone's (one Intl call, made once). */
export function timeZoneName(zone: string): string {
  if (zone !== SYSTEM_TIME_ZONE) return zone;
  return (_systemName ??= Intl.DateTimeFormat().resolvedOptions().timeZone);
}
