import type { DaemonState } from "../state/daemon-state.js";
import { shiftDay } from "../../logs/local-day.js";

/** Where the morning review remembers the last day a person looked at (`vigil review`, the page). */
export const LAST_REVIEWED_KEY = "lastReviewedDay";

/** From the day of the last review to today (at most two weeks), else yesterday and today. */
export function daysSinceLastReview(state: DaemonState, today: string): string[] {
  const lastReviewed = state.get<string>(LAST_REVIEWED_KEY);
  if (!lastReviewed || lastReviewed > today) return [shiftDay(today, -1), today];
  const days: string[] = [];
  for (let day = lastReviewed; day <= today && days.length < 14; day = shiftDay(day, 1)) days.push(day);
  return days;
}
