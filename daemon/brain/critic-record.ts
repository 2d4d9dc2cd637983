import type { DaemonState } from "../state/daemon-state.js";

const IN_A_ROW = 3;
const PER_DAY = 20;

interface Record_ {
  streak: number;
  day: string;
  blockedToday: number;
}

/** Per tool: after 3 critic blocks in a row, or 20 in a day, the tool falls back to `ask`. */
export function createCriticRecord(state: DaemonState) {
  const key = (tool: string) => `critic:${tool}`;
  const read = (tool: string, day: string): Record_ => {
    const record = state.get<Record_>(key(tool));
    return record && record.day === day ? record : { streak: record?.streak ?? 0, day, blockedToday: 0 };
  };
  return {
    exhausted: (tool: string, day: string) => {
      const record = read(tool, day);
      return record.streak >= IN_A_ROW || record.blockedToday >= PER_DAY;
    },
    note(tool: string, day: string, allowed: boolean) {
      const record = read(tool, day);
      state.set(key(tool), allowed ? { ...record, streak: 0 } : { day, streak: record.streak + 1, blockedToday: record.blockedToday + 1 });
    },
  };
}
