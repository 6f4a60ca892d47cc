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

const wholeNumber = (unit: string, min: number, max: number) =>
  z.coerce
    .number({ error: `must be a whole number of ${unit}` })
    .int(`must be a whole number of ${unit}`)
    .min(min, `must be ${min} to ${max} ${unit}`)
    .max(max, `must be ${min} to ${max} ${unit}`);

/** A rate written as a fraction (0.03, not 3 or 3 %). */
const fraction = (what: string, min: number, max: number) =>
  z.coerce
    .number({ error: `must be ${what} written as a fraction, e.g. 0.03 for 3 %` })
    .min(min, `must be ${what} from ${min} to ${max}, written as a fraction (0.03 for 3 %)`)
    .max(max, `must be ${what} from ${min} to ${max}, written as a fraction (0.03 for 3 %)`);

/** A Fernet key: 32 bytes in base64url (lib/crypto/fernet.ts checks the bytes when it is used). */
const FERNET_KEY = /^[A-Za-z0-9_-]{43}=?$/;

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
  /**
   * An OpenAI-compatible embeddings endpoint for memory vectors (lib/memory): configured when either
   * is set (a local server may need no key). Unset: the local lexical embedder.
   */
  OPENAI_API_KEY: z.string().trim().optional().transform((v) => v || undefined),
  OPENAI_BASE_URL: optionalUrl(["http", "https"]),
  /** The endpoint's embedding model; it must give 1536-dimensional vectors (the seed's size). */
  QUANTFLOW_EMBEDDING_MODEL: z
    .string()
    .trim()
    .default("text-embedding-3-small")
    .refine((v) => v.length >= 1 && v.length <= 200, { message: "must be a model name of 1 to 200 characters" }),
  /** The chat model of the AI analyst workflow node (on OPENAI_BASE_URL); unset = the node is unavailable. */
  QUANTFLOW_CHAT_MODEL: z
    .string()
    .trim()
    .max(200, "must be a model name of at most 200 characters")
    .optional()
    .transform((v) => v || undefined),
  /** MQTT broker used by the live-feed tests (DNSE's feed is configured separately). */
  MQTT_URL: optionalUrl(["mqtt", "mqtts", "ws", "wss"]),
  /** HTTP port of the web app. */
  PORT: port.default(3000),
  /**
   * The address `npm start` listens on; unset: 127.0.0.1, this machine only (the demo password is
   * public). 0.0.0.0 or :: serves every interface. See lib/listen-host.ts for HOSTNAME.
   */
  HOST: z
    .string()
    .trim()
    .transform((v) => v || undefined)
    .optional()
    .refine((v) => v === undefined || /^(\[?[0-9A-Fa-f:.]+\]?|[A-Za-z0-9]([A-Za-z0-9-]*[A-Za-z0-9])?(\.[A-Za-z0-9]([A-Za-z0-9-]*[A-Za-z0-9])?)*)$/.test(v), {
      message: "must be an IP address (127.0.0.1, 0.0.0.0, ::) or a host name",
    }),
  /**
   * Signs and encrypts the session cookie (next-auth). Unset: `npm start` generates one into
   * <data dir>/secrets.json (scripts/secrets.ts) unless NODE_ENV=production.
   */
  NEXTAUTH_SECRET: z
    .string()
    .trim()
    .transform((v) => (v === "" ? undefined : v))
    .optional()
    .refine((v) => v === undefined || v.length >= 32, { message: "must be at least 32 characters" }),
  /** The app's public URL, when it sits behind a proxy that rewrites the host (next-auth). */
  NEXTAUTH_URL: optionalUrl(["http", "https"]),
  /**
   * Fernet keys for secrets at rest (the DNSE token), comma-separated: the first encrypts, all decrypt
   * (rotation: put the new key first, run `npm run secrets:rotate`, then drop the old one).
   * Unset: generated like NEXTAUTH_SECRET; without any key the broker page refuses to store a token.
   */
  FERNET_KEYS: z
    .string()
    .optional()
    .transform((v) =>
      (v ?? "")
        .split(",")
        .map((k) => k.trim())
        .filter((k) => k !== ""),
    )
    .refine((keys) => keys.every((k) => FERNET_KEY.test(k)), {
      message: "must be Fernet keys (32 bytes in base64url, 44 characters), separated by commas",
    }),
  /**
   * DNSE's user service: POST {url}/api/auth signs in, GET {url}/api/me names the investor ("Test
   * connection", the live feed). The KRX-era documentation's URL (README, "DNSE").
   */
  DNSE_USER_SERVICE_URL: z
    .string()
    .trim()
    .default("https://api.dnse.com.vn/user-service")
    .refine((v) => /^https?:\/\/[^/]+/.test(v), { message: "must be an http(s) URL" })
    .transform((v) => v.replace(/\/+$/, "")),
  /** How many days back DNSE serves 1-minute bars: minute backfills start within them (lib/market/backfill.ts). */
  DNSE_MINUTE_HISTORY_DAYS: z.coerce
    .number({ error: "must be a whole number of days" })
    .int("must be a whole number of days")
    .min(1, "must be at least 1")
    .max(3660, "must be at most 3660")
    .default(90),
  /** DNSE's chart history host: {url}/chart-api/v2/ohlcs/… (backfills). */
  DNSE_BASE_URL: z
    .string()
    .trim()
    .default("https://services.entrade.com.vn")
    .refine((v) => /^https?:\/\/[^/]+/.test(v), { message: "must be an http(s) URL" })
    .transform((v) => v.replace(/\/+$/, "")),
  /** DNSE's live market data broker (MQTT over WebSocket). */
  DNSE_MQTT_URL: z
    .string()
    .trim()
    .default("wss://datafeed-lts-krx.dnse.com.vn:443/wss")
    .refine((v) => /^(mqtts?|wss?):\/\/[^/]+/.test(v), { message: "must be an mqtt(s):// or ws(s):// URL" }),
  /**
   * A PEM file of certificate authorities the live feed trusts for DNSE_MQTT_URL, in place of the
   * system's: for a broker whose certificate the system does not trust. Verification stays on.
   */
  DNSE_MQTT_CA_FILE: z.string().trim().optional().transform((v) => v || undefined),
  /** The live feed's service account: DNSE sign-in (the feed renews its token itself) … */
  DNSE_USERNAME: z.string().trim().optional().transform((v) => v || undefined),
  DNSE_PASSWORD: z.string().optional().transform((v) => v || undefined),
  /** … or an investor id and a token obtained elsewhere (the feed stops when it expires). */
  DNSE_INVESTOR_ID: z.string().trim().optional().transform((v) => v || undefined),
  DNSE_TOKEN: z.string().trim().optional().transform((v) => v || undefined),
  /** SMTP server of the e-mail notification channel (smtp:// or smtps://, user and password in the URL); unset = e-mail unavailable. */
  SMTP_URL: optionalUrl(["smtp", "smtps"]),
  /** The From address of notification e-mails. */
  SMTP_FROM: z
    .string()
    .trim()
    .default("QuantFlow <alerts@quantflow.local>")
    .refine((v) => v.length <= 200 && /@/.test(v), { message: "must be an e-mail address, optionally with a name: QuantFlow <alerts@example.com>" }),
  /** Telegram's Bot API (the tests point it at a local stand-in). */
  TELEGRAM_API_URL: z
    .string()
    .trim()
    .default("https://api.telegram.org")
    .refine((v) => /^https?:\/\/[^/]+/.test(v), { message: "must be an http(s) URL" })
    .transform((v) => v.replace(/\/+$/, "")),
  /** The address analysts open QuantFlow at: the links in notifications; unset = NEXTAUTH_URL, else http://localhost:PORT. */
  QUANTFLOW_PUBLIC_URL: optionalUrl(["http", "https"]).transform((v) => v?.replace(/\/+$/, "")),
  /**
   * Hosts or CIDRs notifications may reach besides public https addresses (a receiver on the operator's
   * own network), comma-separated; plain http is then allowed to them too. Unset = public https only.
   */
  QUANTFLOW_WEBHOOK_ALLOW: z
    .string()
    .optional()
    .transform((v) => (v ?? "").split(",").map((s) => s.trim().toLowerCase()).filter((s) => s !== ""))
    .refine((list) => list.every((s) => /^[a-z0-9.:-]+(\/\d{1,3})?$/.test(s) && s.length <= 253), {
      message: "must be host names, IP addresses or CIDRs separated by commas (hooks.example.com,10.0.0.0/8)",
    }),
  /** Symbols the live feed follows, comma-separated. */
  QUANTFLOW_WATCHLIST: z
    .string()
    .default("HPG,HSG,NKG,VCB,FPT")
    .transform((v) => v.split(",").map((s) => s.trim().toUpperCase()).filter((s) => s !== ""))
    .refine((list) => list.every((s) => /^[A-Z0-9][A-Z0-9._-]{0,19}$/.test(s)), { message: "must be symbols separated by commas (HPG,HSG,…)" }),
  /** Run scheduled workflows on this instance (default true); every instance may, each tick runs once. */
  QUANTFLOW_SCHEDULER: z
    .enum(["on", "off", "true", "false", "1", "0"])
    .default("on")
    .transform((v) => v === "on" || v === "true" || v === "1"),
  /** E-mails that are admins whatever their stored role (comma-separated, compared in lower case). */
  QUANTFLOW_ADMINS: z
    .string()
    .default("")
    .transform((v) => v.split(",").map((s) => s.trim().toLowerCase()).filter((s) => s !== ""))
    .refine((list) => list.every((s) => /^[^\s@,]+@[^\s@,]+$/.test(s)), { message: "must be e-mail addresses separated by commas" }),
  /** Who may create an account: anyone (open), holders of an admin's invitation (invite), nobody (closed). */
  QUANTFLOW_SIGNUP: z.enum(["open", "invite", "closed"], { error: 'must be "open", "invite" or "closed"' }).default("open"),
  /** Minutes between refreshes of the 1h/1D rollups (default 5; 0: off); every instance ticks, each slot runs once. */
  QUANTFLOW_ROLLUP_REFRESH_MINUTES: z.coerce
    .number({ error: "must be a whole number of minutes" })
    .int("must be a whole number of minutes")
    .min(0, "must be 0 (off) to 1440 minutes")
    .max(1440, "must be 0 (off) to 1440 minutes")
    .default(5),
  /**
   * How many reverse proxies in front of QuantFlow append to X-Forwarded-For (default 0: the address
   * of the socket is the client's, and the header is ignored). lib/auth/client-address.ts.
   */
  QUANTFLOW_TRUSTED_PROXIES: z.coerce
    .number({ error: "must be a whole number of proxies (0, 1, 2…)" })
    .int("must be a whole number of proxies (0, 1, 2…)")
    .min(0, "must be 0 or more")
    .max(10, "must be at most 10")
    .default(0),
  /** Workflow runs (manual and scheduled) running at once across all instances (lib/jobs); more wait in the queue. */
  QUANTFLOW_MAX_CONCURRENT_RUNS: wholeNumber("runs", 1, 64).default(2),
  /** DNSE backfills running at once across all instances (each user at most one at a time). */
  QUANTFLOW_MAX_CONCURRENT_BACKFILLS: wholeNumber("backfills", 1, 64).default(2),
  /** Runs one user may have waiting (beyond the one running); one more is refused with 429. */
  QUANTFLOW_MAX_QUEUED_RUNS_PER_USER: wholeNumber("runs", 1, 1000).default(5),
  /** Backfills one user may have waiting (beyond the one running); one more is refused with 429. */
  QUANTFLOW_MAX_QUEUED_BACKFILLS_PER_USER: wholeNumber("backfills", 1, 1000).default(10),
  /**
   * The portfolio optimiser's default risk-free rate, a yearly fraction: the Vietnamese 10-year
   * government bond yield (about 3 % through 2025); a request may give its own.
   */
  QUANTFLOW_RISK_FREE_RATE: fraction("a yearly rate", -0.5, 0.5).default(0.03),
  /** The broker's buying fee on an order's value, as a fraction (0.15 % = 0.0015). */
  QUANTFLOW_BUY_FEE_RATE: fraction("a fee rate", 0, 0.1).default(0.0015),
  /** The tax on the value of a sale, as a fraction (Vietnam's 0.1 % = 0.001): the backtest's rebalancing sales pay it. */
  QUANTFLOW_SELL_TAX_RATE: fraction("a tax rate", 0, 0.1).default(0.001),
  /** What one run may read, in MB (bars × an estimate of their size in memory); past it the run fails. */
  QUANTFLOW_RUN_MEMORY_MB: wholeNumber("megabytes", 16, 65_536).default(256),
  /** A run's stored result, in kB: past it long series keep fewer points at each end (the run's own answer stays whole). */
  QUANTFLOW_RUN_RESULT_KB: wholeNumber("kB", 16, 16_384).default(64),
  /** Finished runs older than this many days are pruned (0: none pruned by age). */
  QUANTFLOW_RUN_RETENTION_DAYS: wholeNumber("days", 0, 36_500).default(30),
  /** A workflow keeps at most this many runs, the newest; older finished ones are pruned (0: no limit). */
  QUANTFLOW_RUN_RETENTION_COUNT: wholeNumber("runs", 0, 10_000_000).default(1000),
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
