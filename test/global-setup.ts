import crypto from "node:crypto";
import { createScratchDatabase } from "../scripts/scratch-db.mjs";

/** One fresh PostgreSQL database per test run (the app migrates it on first use), dropped at the end. */
export default async function setup() {
  const db = await createScratchDatabase("countersign_test");
  process.env.DATABASE_URL = db.url;
  process.env.COUNTERSIGN_ADMIN_TOKEN ??= "test-installation-admin-token-0123456789";
  process.env.AUTH_SECRET ??= "test-auth-secret-test-auth-secret-0123456789";
  // The audit keys live outside the database; tests must not generate them into the checkout's .data/.
  process.env.COUNTERSIGN_AUDIT_KEY ??= "test-audit-key-test-audit-key-0123456789";
  process.env.COUNTERSIGN_CHECKPOINT_KEY ??= crypto.generateKeyPairSync("ed25519").privateKey.export({ format: "pem", type: "pkcs8" }).toString();
  return db.drop;
}
