import "server-only";
import { getDatabase } from "@/lib/db/client";
import { log } from "@/lib/log";
import { recordTokenUse, type TokenUse } from "@/lib/services/provisioning/token-use";

// A token's last use is worth knowing to within a minute, not a write on every request: uses are
// noted in memory and written in one statement at most every FLUSH_MS per instance.
const FLUSH_MS = 30_000;
const MAX_PENDING = 10_000;
let pending = new Map<string, TokenUse>();
let timer: NodeJS.Timeout | null = null;

export function noteTokenUse(tokenId: string, tenantId: string, at: Date): void {
  pending.set(tokenId, { tenantId, at });
  if (pending.size >= MAX_PENDING) {
    void flushTokenUse();
    return;
  }
  if (!timer) {
    timer = setTimeout(() => void flushTokenUse(), FLUSH_MS);
    timer.unref();
  }
}

/** Write what was noted now (a test, or a full buffer); a failure is logged and the uses dropped. */
export async function flushTokenUse(): Promise<void> {
  if (timer) clearTimeout(timer);
  timer = null;
  if (pending.size === 0) return;
  const batch = pending;
  pending = new Map();
  try {
    await recordTokenUse((await getDatabase()).db, batch);
  } catch (err) {
    log().warn({ err }, "recording token use failed");
  }
}
