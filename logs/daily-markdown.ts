import { writeFileSync } from "node:fs";
import { makePrivateDir, PRIVATE_FILE_MODE } from "../daemon/store/private-files.js";
import path from "node:path";
import type { DayFileWriter } from "./day-file-writer.js";
import type { JournalEntry } from "./journal-entry.js";
import { localDateParts } from "./local-day.js";

/** `logs/YYYY/MM/YYYY-MM-DD.md` under the logs directory. */
export function dailyMarkdownPath(logsDir: string, day: string): string {
  const [year, month] = day.split("-");
  return path.join(logsDir, year!, month!, `${day}.md`);
}

export function renderMarkdownHeader(day: string): string {
  return `# Vigil journal — ${day}\n\n`;
}

/** One readable line per entry; `seq` at the end so a line can be traced back to its row. */
export function renderMarkdownLine(entry: JournalEntry, timeZone: string): string {
  const time = _localTime(entry.ts, timeZone);
  const summary = entry.summary.includes("\n") ? entry.summary.replace(/\s*\n\s*/g, " ") : entry.summary;
  return `- ${time} **${entry.kind}** ${summary} \`#${entry.seq}\`\n`;
}

/** The last row's local time: the rows of a batch share one `ts`, so they share one parse of it. */
let _lastTime = { ts: "", timeZone: "", time: "" };

function _localTime(ts: string, timeZone: string): string {
  if (_lastTime.ts !== ts || _lastTime.timeZone !== timeZone) _lastTime = { ts, timeZone, time: localDateParts(new Date(ts), timeZone).time };
  return _lastTime.time;
}

/**
 * Appends entries to their day's file. When the file is missing (first row of the day, or the user
 * deleted it) the whole day is rebuilt from `loadDay`, which already includes the new entries.
 */
export function appendDailyMarkdown(
  logsDir: string,
  timeZone: string,
  entries: readonly JournalEntry[],
  loadDay: (day: string) => JournalEntry[],
  rebuild: boolean,
  writer: DayFileWriter,
): void {
  for (const [day, dayEntries] of _groupByDay(entries)) {
    const file = dailyMarkdownPath(logsDir, day);
    if (!rebuild && writer.append(file, dayEntries.map((entry) => renderMarkdownLine(entry, timeZone)).join(""))) continue;
    writer.release();
    makePrivateDir(path.dirname(file));
    const body = loadDay(day).map((entry) => renderMarkdownLine(entry, timeZone)).join("");
    writeFileSync(file, renderMarkdownHeader(day) + body, { mode: PRIVATE_FILE_MODE });
  }
}

function _groupByDay(entries: readonly JournalEntry[]): Map<string, JournalEntry[]> {
  const byDay = new Map<string, JournalEntry[]>();
  for (const entry of entries) {
    const day = byDay.get(entry.day);
    if (day) day.push(entry);
    else byDay.set(entry.day, [entry]);
  }
  return byDay;
}
