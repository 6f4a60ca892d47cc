/**
 * The environment, validated once with zod. Every variable QuantFlow reads is declared here and
 * listed in .env.example; nothing else in the code reads process.env directly.
 */
import { z } from "zod";

const optionalUrl = (protocols: string[]) =>
  z
    .string()
    .trim()
    .transform((v) => (v === "" ? undefined : v))
    .optional()
    .refine((v) => v === undefined || protocols.some((p) => v.startsWith(`${p}://`)), {
      message: `must be a URL starting with ${protocols.map((p) => `${p}://`).join(" or ")}`,
    });

const port = z.coerce.number().int().min(1).max(65535);

export const envSchema = z.object({
  NODE_ENV: z.enum(["development", "production", "test"]).default("development"),
  /** PostgreSQL server; unset = the embedded server under QUANTFLOW_DATA_DIR. */
  DATABASE_URL: optionalUrl(["postgres", "postgresql"]),
  /** Where the embedded PostgreSQL keeps its binaries' copy, data and port (default ./.data). */
  QUANTFLOW_DATA_DIR: z.string().trim().min(1).default(".data"),
  /** Port of the embedded PostgreSQL; unset = a free port chosen at first start and kept. */
  QUANTFLOW_PG_PORT: port.refine((p) => p !== 5432, "must not be 5432 (the system PostgreSQL's port)").optional(),
  /** Redis for the market snapshot cache; unset = an in-process cache. */
  REDIS_URL: optionalUrl(["redis", "rediss"]),
  /** Qdrant for vector memory; unset = the Postgres-backed store. */
  QDRANT_URL: optionalUrl(["http", "https"]),
  QDRANT_API_KEY: z.string().optional(),
  /** MQTT broker used by the live-feed tests (DNSE's feed is configured separately). */
  MQTT_URL: optionalUrl(["mqtt", "mqtts", "ws", "wss"]),
  /** HTTP port of the web app. */
  PORT: port.default(3000),
  /** Seed the demo data at start when the database has no candles (default true). */
  QUANTFLOW_SEED_ON_EMPTY: z
    .enum(["true", "false", "1", "0"])
    .default("true")
    .transform((v) => v === "true" || v === "1"),
});

export type Env = z.infer<typeof envSchema>;

export class EnvError extends Error {
  constructor(issues: z.core.$ZodIssue[]) {
    super(
      "Invalid environment:\n" +
        issues.map((i) => `  - ${i.path.join(".") || "(root)"}: ${i.message}`).join("\n") +
        "\nSee .env.example for every variable and its meaning.",
    );
    this.name = "EnvError";
  }
}

export function parseEnv(source: Record<string, string | undefined> = process.env): Env {
  const result = envSchema.safeParse(source);
  if (!result.success) throw new EnvError(result.error.issues);
  return result.data;
}

let cached: Env | undefined;
/** The process environment, parsed on first use. */
export function env(): Env {
  cached ??= parseEnv();
  return cached;
}
