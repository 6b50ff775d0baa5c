import { z } from "zod";

// Parsed once: a malformed setting fails at start, not at the first request that needs it.
const envSchema = z.object({
  DATABASE_URL: z.string().url().optional(),
  COUNTERSIGN_DATA_DIR: z.string().min(1).default(".data/pglite"),
  COUNTERSIGN_ADMIN_TOKEN: z
    .string()
    .min(24, "COUNTERSIGN_ADMIN_TOKEN must be at least 24 characters")
    .optional(),
  COUNTERSIGN_DB_POOL: z.coerce.number().int().min(1).max(200).default(10),
  NODE_ENV: z.enum(["development", "production", "test"]).default("development"),
});

export type Env = z.infer<typeof envSchema>;

let cached: Env | undefined;

export function env(): Env {
  if (!cached) {
    const parsed = envSchema.safeParse(process.env);
    if (!parsed.success) {
      const lines = parsed.error.issues.map((i) => `  ${i.path.join(".")}: ${i.message}`);
      throw new Error(`Invalid environment:\n${lines.join("\n")}`);
    }
    cached = parsed.data;
  }
  return cached;
}
