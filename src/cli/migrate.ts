import { migrateDatabase } from "../server/db/client";
import type { CommandModule } from "./command";
import { loadEnv, openForCli } from "./open";

export const migrateCommand: CommandModule = {
  summary: "apply pending database migrations (a snapshot of the embedded database is taken first)",
  usage: [
    "Usage: matwise migrate",
    "",
    "Applies the migrations in drizzle/ that the database has not seen yet. `matwise serve`",
    "does this on its own at start-up; run it by hand to migrate without starting the server.",
    "On the embedded database a snapshot is written to the backups folder before any change.",
  ].join("\n"),
  options: {},
  async run(_args, io) {
    const env = loadEnv(io);
    if (!env) return 1;
    const handle = await openForCli(env, io);
    if (!handle) return 1;
    try {
      const result = await migrateDatabase(handle);
      io.stdout(
        result.applied === 0
          ? `The ${handle.kind} database is up to date.`
          : `Applied ${result.applied} migration(s) to the ${handle.kind} database.${result.snapshot ? ` Snapshot: ${result.snapshot}` : ""}`,
      );
      return 0;
    } catch (err) {
      io.stderr(`matwise migrate: ${(err as Error).message}`);
      return 1;
    } finally {
      await handle.close();
    }
  },
};
