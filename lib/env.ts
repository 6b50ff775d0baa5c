import { z } from "zod";

// Parsed once: a malformed setting fails at start, not at the first request that needs it.
const envSchema = z.object({
  DATABASE_URL: z.string().url().optional(),
  COUNTERSIGN_DATA_DIR: z.string().min(1).default(".data/pglite"),
  COUNTERSIGN_ADMIN_TOKEN: z
    .string()
    .min(24, "COUNTERSIGN_ADMIN_TOKEN must be at least 24 characters")
    .optional(),
  // Few connections, each carrying many requests: the postgres driver pipelines statements on a busy
  // connection. Measured on the 2-core bench (docs/decisions.md): with 4 connections instead of 10 a
  // submission cost PostgreSQL ~25 % less CPU (fewer backends waking for one statement each).
  COUNTERSIGN_DB_POOL: z.coerce.number().int().min(1).max(200).default(4),
  // After a full collection V8 grows the heap to (1 + this/100) × what is live; 0 leaves it to V8's own
  // heuristics (up to ~4×). See lib/server/start.ts.
  COUNTERSIGN_HEAP_GROWING_PERCENT: z.coerce.number().int().min(0).max(1000).default(150),
  NODE_ENV: z.enum(["development", "production", "test"]).default("development"),
  // What the server logs (lib/log.ts): JSON lines in production, text in development.
  LOG_LEVEL: z.enum(["fatal", "error", "warn", "info", "debug", "trace", "silent"]).default("info"),
  // Signs the console's session cookies (next-auth). `npm start` generates one into .data/ if unset.
  AUTH_SECRET: z.string().min(32, "AUTH_SECRET must be at least 32 characters").optional(),
  // MACs every audit event (HMAC-SHA256) with a key the database never holds (DESIGN §5). Unset: generated
  // once into .data/audit-key. Every instance sharing a database needs the same key.
  COUNTERSIGN_AUDIT_KEY: z.string().min(32, "COUNTERSIGN_AUDIT_KEY must be at least 32 characters").optional(),
  // Signs audit checkpoints: an Ed25519 private key (PKCS#8 PEM, or its DER in base64). Unset: generated
  // once into .data/checkpoint-key.pem.
  COUNTERSIGN_CHECKPOINT_KEY: z.string().min(1).optional(),
  // Where signed checkpoints of every tenant's chain head are appended (JSON Lines); ship it off the machine.
  COUNTERSIGN_CHECKPOINT_FILE: z.string().min(1).default(".data/audit-checkpoints.jsonl"),
  // A checkpoint at least every this many events or seconds (whichever comes first), if the chain moved.
  COUNTERSIGN_CHECKPOINT_EVENTS: z.coerce.number().int().min(1).max(1000).default(1000),
  COUNTERSIGN_CHECKPOINT_SECONDS: z.coerce.number().int().min(1).max(60).default(60),
  // The console's public origin (e.g. https://approvals.example.com); cookie-riding writes must come from it.
  AUTH_URL: z.string().url().optional(),
  // Company SSO: a generic OpenID Connect provider, on when issuer, client id and secret are all set.
  AUTH_OIDC_ISSUER: z.string().url().optional(),
  AUTH_OIDC_CLIENT_ID: z.string().min(1).optional(),
  AUTH_OIDC_CLIENT_SECRET: z.string().min(1).optional(),
  AUTH_OIDC_NAME: z.string().min(1).max(60).default("Single sign-on"),
  // SSO users are matched by email to people already provisioned in this tenant.
  AUTH_OIDC_TENANT: z.string().min(1).default("system"),
  // Webhook hosts or addresses that may be internal (private, loopback, link-local), comma-separated.
  // Empty by default: callbacks to the internal network are refused.
  COUNTERSIGN_WEBHOOK_ALLOW: z
    .string()
    .default("")
    .transform((s) => new Set(s.split(",").map((h) => h.trim().toLowerCase()).filter(Boolean))),
  // The console's address in notifications (defaults to AUTH_URL, else http://localhost:$PORT).
  COUNTERSIGN_PUBLIC_URL: z.string().url().optional(),
  // Per-caller rate limits, in requests per minute (a token's own limit, set when it is minted, wins).
  // The bucket holds one minute's worth, so a burst of that size passes and then the rate applies.
  COUNTERSIGN_RATE_SUBMIT_PER_MINUTE: z.coerce.number().int().min(1).max(1_000_000).default(120),
  COUNTERSIGN_RATE_RESOLVE_PER_MINUTE: z.coerce.number().int().min(1).max(1_000_000).default(60),
  // Requests one credential may hold open at once on one instance: `?wait=` long-polls and event
  // streams together (a console session counts as its person). Past it, 429 `too_many_waits`.
  COUNTERSIGN_WAITS_PER_TOKEN: z.coerce.number().int().min(1).max(10_000).default(10),
  // Password sign-in attempts one source address may make a minute, across all emails (password spraying).
  COUNTERSIGN_SIGNIN_PER_SOURCE_PER_MINUTE: z.coerce.number().int().min(1).max(1_000_000).default(20),
  // How many reverse proxies in front of the server append to X-Forwarded-For. 0 (the default): none, the
  // socket's own address is the source and a client's X-Forwarded-For is ignored (lib/auth/client-address.ts).
  COUNTERSIGN_TRUSTED_PROXIES: z.coerce.number().int().min(0).max(10).default(0),
  // The Slack app (DESIGN §8; integrations/slack-manifest.yaml): interactions are checked with the signing
  // secret, messages posted with the bot token, to SLACK_API_URL (tests point it at a local stand-in).
  SLACK_SIGNING_SECRET: z.string().min(1).optional(),
  SLACK_BOT_TOKEN: z.string().min(1).optional(),
  SLACK_API_URL: z.string().url().default("https://slack.com/api/"),
  // "1": a Slack user not yet linked is linked to the person whose email Slack has verified (users.info).
  SLACK_LINK_BY_EMAIL: z.enum(["0", "1"]).default("0"),
  // Approval mails (nodemailer): smtp://user:pass@host:port, or smtps://…; unset: no mails.
  SMTP_URL: z.string().url().optional(),
  COUNTERSIGN_MAIL_FROM: z.string().min(3).default("Countersign <countersign@localhost>"),
  // `npm run demo`: seed a demo tenant and keep a steady trickle of jobs arriving.
  COUNTERSIGN_DEMO: z.enum(["0", "1"]).default("0"),
});

export type Env = z.infer<typeof envSchema>;

export function oidcConfigured(e: Env = env()): boolean {
  return Boolean(e.AUTH_OIDC_ISSUER && e.AUTH_OIDC_CLIENT_ID && e.AUTH_OIDC_CLIENT_SECRET);
}

let cached: Env | undefined;

export function env(): Env {
  if (!cached) {
    // A variable set to the empty string (`DATABASE_URL= npm start`) counts as unset, as shells mean it.
    const given = Object.fromEntries(Object.entries(process.env).filter(([, v]) => v !== ""));
    const parsed = envSchema.safeParse(given);
    if (!parsed.success) {
      const lines = parsed.error.issues.map((i) => `  ${i.path.join(".")}: ${i.message}`);
      throw new Error(`Invalid environment:\n${lines.join("\n")}`);
    }
    cached = parsed.data;
  }
  return cached;
}
