/** Drizzle over this run's test database (test/db.ts), typed like the app's getDb(). */
import { drizzle } from "drizzle-orm/node-postgres";
import type { Database } from "@/db/database";
import * as schema from "@/db/schema";
import { testPool } from "./db";

export function testDb(): Database {
  return drizzle(testPool(), { schema });
}

/** A unique email per call, so test files sharing the run's database never collide. */
export function uniqueEmail(label: string): string {
  return `${label}-${Date.now().toString(36)}-${Math.random().toString(36).slice(2, 8)}@example.com`;
}
