import "server-only";
import { log } from "@/lib/log";
import v8 from "node:v8";
import { stampPeerAddress } from "@/lib/auth/client-address";
import { closeDatabase, getDatabase, type Database } from "@/lib/db/client";
import { env } from "@/lib/env";
import { describeDemoSeed, seedDemo } from "@/lib/services/demo/seed";
import { seedDemoChannels } from "@/lib/services/demo/channels";
import { startDemoTicker } from "@/lib/services/demo/ticker";
import { bootstrap } from "@/lib/services/provisioning/bootstrap";
import { setupCode, setupLinkApplies } from "@/lib/services/provisioning/first-admin";
import { auditKeyMismatch } from "@/lib/services/audit/key-check";
import { auditKey, checkpointSigner } from "@/lib/services/audit/keys";
import { checkpointOptions, startCheckpointer } from "./checkpointer";
import { startCourier } from "./courier";
import { startSealer } from "./sealer";
import { startSweeper } from "./sweeper";

let stopping = false;
const stoppers: (() => Promise<void>)[] = [];

async function stop(signal: string): Promise<void> {
  if (stopping) {
    log().info({ signal }, `${signal} again: still closing the database`);
    return;
  }
  stopping = true;
  log().info({ signal }, `${signal}: closing the database`);
  try {
    // Background work first (newest first), so nothing writes while the database closes.
    for (const s of stoppers.reverse()) await s();
    // PGlite must be closed cleanly or it replays crash recovery at every start.
    await closeDatabase();
  } catch (err) {
    log().error({ err }, "closing the database failed");
  } finally {
    process.exit(0);
  }
}

function publicOrigin(): string {
  return env().AUTH_URL?.replace(/\/$/, "") ?? `http://localhost:${process.env.PORT ?? "3000"}`;
}

/** First run: with nobody to sign in, print a one-time link that creates the first admin (not in the demo). */
async function announceFirstRun(database: Database): Promise<void> {
  const secret = env().AUTH_SECRET;
  if (!secret) {
    log().warn("AUTH_SECRET is unset: the console cannot sign anyone in (the API still works with tokens).");
    return;
  }
  if (!(await setupLinkApplies(database.db))) return;
  log().info(`first run: create the first admin at ${publicOrigin()}/setup?code=${setupCode(secret)}`);
}

/**
 * Before the background work starts: the seeded history is back-dated, and an SLA sweep running
 * meanwhile would expire a job between its submission and the vote the history casts on it.
 */
async function seedTheDemo(database: Database): Promise<void> {
  const seed = await seedDemo(database, new Date());
  await seedDemoChannels(database, seed.tenant, new Date());
  for (const line of describeDemoSeed(seed)) log().info(`demo: ${line}`);
  log().info(`demo: sign in at ${publicOrigin()}/signin with any of those emails`);
}

/**
 * The audit keys are read (or generated into .data/) now, so a malformed one fails the start, not the
 * first write. A server whose key is not the one this database's events are made with must not run.
 */
async function prepareAudit(database: Database): Promise<void> {
  const key = auditKey();
  const signer = checkpointSigner();
  const mismatch = await auditKeyMismatch(database.db);
  if (mismatch) {
    log().fatal(mismatch);
    await closeDatabase().catch(() => {});
    process.exit(1);
  }
  log().info(`audit events are MAC'd with key ${key.id}`);
  log().info(`audit checkpoints go to ${checkpointOptions().file}, signed with Ed25519 public key ${signer.publicKeyText}`);
}

/**
 * Memory: under steady load V8 lets the old generation grow to about four times what is live before a
 * full collection (measured: 45–55 MB live, 170–230 MB of heap, ~400 MB resident). Growing it to 2.5
 * times what is live (the default of COUNTERSIGN_HEAP_GROWING_PERCENT, 150) keeps the server near
 * 300 MB; twice (100) kept it near 270 MB but ran a queue page's full collections often enough to cost
 * it a fifth of its throughput (docs/decisions.md). It is not a cap: a larger live set still fits.
 */
function boundHeapGrowth(): void {
  const percent = env().COUNTERSIGN_HEAP_GROWING_PERCENT;
  if (percent > 0) v8.setFlagsFromString(`--heap-growing-percent=${percent}`);
}

export async function startServer(): Promise<void> {
  boundHeapGrowth();
  stampPeerAddress();
  const database = await getDatabase();
  // Tenant `system` with the default policy, before the first request (Next awaits this start).
  await bootstrap(database.db);
  log().info(`database ready (${database.kind})`);
  await prepareAudit(database);
  const demo = env().COUNTERSIGN_DEMO === "1";
  if (demo) await seedTheDemo(database);
  // Stopped in reverse: the sealer before the checkpointer, whose last round signs what it sealed.
  stoppers.push(startCheckpointer(database.db), startSealer(database.db), startSweeper(database.db), startCourier(database));
  // With NEXT_MANUAL_SIG_HANDLE=true Next leaves the signals to us. A repeated signal (a second Ctrl-C, a
  // supervisor that signals twice) must not fall through to the default action and kill the process
  // mid-close: PGlite would then replay crash recovery at its next start. SIGKILL still stops it.
  process.on("SIGTERM", () => void stop("SIGTERM"));
  process.on("SIGINT", () => void stop("SIGINT"));
  if (demo) stoppers.push(startDemoTicker(database));
  await announceFirstRun(database);
}
