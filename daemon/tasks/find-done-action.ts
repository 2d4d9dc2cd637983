import type { VigilDatabase } from "../store/open-database.js";

/**
 * A push or pull request already made for a task, in any turn of any process: the action ledger
 * is keyed per tool and task, so neither is ever done twice, also across restarts. `unknown`
 * counts too (a crash between the act and its record): the user checks instead of a rerun.
 */
export function findDoneTaskAction(db: VigilDatabase, tool: string, taskId: number): { state: string; outcome: string | null } | undefined {
  return db
    .prepare<[string, number], { state: string; outcome: string | null }>(
      "SELECT state, outcome FROM actions WHERE tool = ? AND json_extract(input, '$.task') = ? AND state IN ('done', 'unknown') ORDER BY started_at LIMIT 1",
    )
    .get(tool, taskId);
}
