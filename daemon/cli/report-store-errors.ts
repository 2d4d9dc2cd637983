import { PostgresConnectionError } from "../store/postgres/open-postgres-pool.js";
import { PostgresSchemaError } from "../store/postgres/postgres-schema-error.js";
import { writeLine, type CliIo } from "./cli-io.js";
import { EXIT } from "./exit-codes.js";

/**
 * A store's failures as one line and an exit code: 1 when the store could not be reached (it may
 * work later), 2 when its schema is not one this Vigil can use as it is (migrate, or upgrade).
 * `also` lists a verb's own errors that read the same way as a connection failure.
 */
export async function reportStoreErrors(io: CliIo, run: () => Promise<number>, also: ReadonlyArray<new (...args: never[]) => Error> = []): Promise<number> {
  try {
    return await run();
  } catch (error) {
    if (error instanceof PostgresConnectionError || also.some((kind) => error instanceof kind)) {
      writeLine(io.stderr, `vigil: ${(error as Error).message}`);
      return EXIT.failed;
    }
    if (error instanceof PostgresSchemaError) {
      writeLine(io.stderr, `vigil: ${error.message}`);
      return EXIT.usage;
    }
    throw error;
  }
}
