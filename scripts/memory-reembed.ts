/**
 * `npm run memory:reembed -- <e-mail> [--all]`: re-embeds a user's memories with the configured embedder
 * (OPENAI_* / QUANTFLOW_EMBEDDING_MODEL, else the lexical one), in the configured store (QDRANT_URL,
 * else PostgreSQL). Only memories embedded by another model are redone, unless --all. Each batch of 64
 * is replaced whole or not at all, so an interrupted run can simply be run again. Prints counts, never
 * contents. Uses DATABASE_URL, or the embedded PostgreSQL when unset.
 */
import pg from "pg";
import { resolveDatabaseUrl, type ResolvedDatabase } from "../db/client";
import { env, EnvError } from "../lib/env";
import { embedderFor, memoryStoreFor } from "../lib/memory/app";
import { reembedMemories } from "../lib/memory/memories";
import { MemoryBackendError } from "../lib/memory/types";

const log = (line: string) => console.log(`[memory:reembed] ${line}`);

async function main(): Promise<number> {
  const args = process.argv.slice(2).filter((a) => a !== "--");
  const email = args.find((a) => !a.startsWith("--"));
  if (!email) {
    console.error("Usage: npm run memory:reembed -- <e-mail of the account> [--all]");
    return 2;
  }
  let e;
  try {
    e = env();
  } catch (error) {
    if (error instanceof EnvError) {
      console.error(error.message);
      return 1;
    }
    throw error;
  }
  let db: ResolvedDatabase | undefined;
  try {
    db = await resolveDatabaseUrl({ log });
    const pool = new pg.Pool({ connectionString: db.url, max: 2, application_name: "quantflow-reembed" });
    try {
      const { rows } = await pool.query<{ id: string }>("SELECT id FROM users WHERE lower(email) = lower($1)", [email]);
      if (!rows[0]) {
        console.error(`[memory:reembed] No account has the e-mail ${email}.`);
        return 1;
      }
      const store = memoryStoreFor(e, pool);
      const embedder = embedderFor(e);
      log(`store: ${store.kind}; embedder: ${embedder.model} (${embedder.kind})`);
      const before = await store.modelCounts(rows[0].id);
      log(`before: ${[...before].map(([m, n]) => `${n} by ${m || "an unrecorded model"}`).join(", ") || "no memories"}`);
      const result = await reembedMemories({ store, embedder }, rows[0].id, { all: args.includes("--all"), onProgress: (n) => log(`  ${n} re-embedded …`) });
      log(`done: ${result.reembedded} re-embedded, ${result.current} already by ${embedder.model}.`);
      return 0;
    } finally {
      await pool.end();
    }
  } catch (error) {
    if (error instanceof MemoryBackendError) {
      console.error(`[memory:reembed] ${error.message} Run it again when it answers: the batches done so far are kept.`);
      return 1;
    }
    throw error;
  } finally {
    await db?.stop();
  }
}

main().then(
  (code) => process.exit(code),
  (error) => {
    console.error(error);
    process.exit(1);
  },
);
