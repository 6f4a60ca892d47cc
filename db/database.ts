/** The type of a drizzle handle on QuantFlow's schema: the app's getDb(), a transaction, or a test's own. */
import type { NodePgDatabase } from "drizzle-orm/node-postgres";
import type * as schema from "./schema";

export type Database = NodePgDatabase<typeof schema>;
