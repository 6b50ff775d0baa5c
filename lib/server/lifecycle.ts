import { closeDatabase, getDatabase } from "@/lib/db/client";
import { startSealer } from "./sealer";
import { startSweeper } from "./sweeper";

let stopping = false;
let stopSealer: (() => Promise<void>) | null = null;
let stopSweeper: (() => Promise<void>) | null = null;

async function stop(signal: string): Promise<void> {
  if (stopping) return;
  stopping = true;
  console.log(`[countersign] ${signal}: closing the database`);
  try {
    await stopSweeper?.();
    await stopSealer?.();
    // PGlite must be closed cleanly or it replays crash recovery at every start.
    await closeDatabase();
  } catch (err) {
    console.error("[countersign] closing the database failed", err);
  } finally {
    process.exit(0);
  }
}

export async function startServer(): Promise<void> {
  const database = await getDatabase();
  console.log(`[countersign] database ready (${database.kind})`);
  stopSealer = startSealer(database.db);
  stopSweeper = startSweeper(database.db);
  // With NEXT_MANUAL_SIG_HANDLE=true Next leaves the signals to us.
  process.once("SIGTERM", () => void stop("SIGTERM"));
  process.once("SIGINT", () => void stop("SIGINT"));
}
