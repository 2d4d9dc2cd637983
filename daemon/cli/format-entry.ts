import type { JournalEntry } from "../../logs/journal-entry.js";
import type { JournalKind } from "../../logs/journal-kinds.js";
import { localDateParts } from "../../logs/local-day.js";
import type { Paint } from "./paint.js";

const KIND_STYLE: Record<JournalKind, Parameters<Paint>[0]> = {
  noticed: "cyan",
  decided: "blue",
  acted: "green",
  quiet: "gray",
  error: "red",
  system: "magenta",
  dream: "yellow",
  task: "yellow",
};

const KIND_WIDTH = 7;

/**
 * The journal as a person reads it: a heading per local day, then `HH:MM:SS kind summary #seq`,
 * continuation lines indented under the summary. `state` carries the day across calls (`--follow`).
 */
export function formatEntries(entries: readonly JournalEntry[], timeZone: string, paint: Paint, state: { day?: string } = {}): string {
  let out = "";
  for (const entry of entries) {
    const { day, time } = localDateParts(new Date(entry.ts), timeZone);
    if (day !== state.day) {
      out += `${state.day ? "\n" : ""}${paint("bold", `── ${_weekday(day)} ${day} ──`)}\n`;
      state.day = day;
    }
    const [first, ...rest] = entry.summary.split(/\r?\n/);
    const indent = " ".repeat(time.length + KIND_WIDTH + 2);
    const kind = paint(KIND_STYLE[entry.kind], entry.kind.padEnd(KIND_WIDTH));
    out += `${paint("dim", time)} ${kind} ${first} ${paint("dim", `#${entry.seq}`)}\n`;
    for (const line of rest) if (line.trim()) out += `${indent}${line}\n`;
  }
  return out;
}

function _weekday(day: string): string {
  return new Date(`${day}T12:00:00Z`).toLocaleDateString("en-GB", { weekday: "short", timeZone: "UTC" });
}
