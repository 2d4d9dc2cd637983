import type { VigilContext } from "../context/open-context.js";
import { openCliContext } from "./open-cli-context.js";
import type { CliIo } from "./cli-io.js";

/** Opens the context a verb works in and always closes it, whatever the verb returns or throws. */
export async function withContext(io: CliIo, run: (ctx: VigilContext) => number | Promise<number>): Promise<number> {
  const ctx = await openCliContext(io);
  try {
    return await run(ctx);
  } finally {
    ctx.close();
  }
}
