import { env } from "@/lib/env";
import { principalKey, type Principal } from "./context";
import { TooManyRequests } from "./errors";

/**
 * Requests held open (`GET /jobs/{id}?wait=` long-polls and `GET /approvals/stream`) per credential,
 * on this instance. Each holds a socket, timers and a listener for up to a minute or for good; without
 * a cap one token could hold them until the instance runs out. Counted in memory on purpose: what they
 * exhaust is the instance's own sockets and memory, so the cap is per instance (N instances allow N×).
 */
const held = new Map<string, number>();

/** A token is its own credential; a console session counts as its person. */
function credential(p: Principal): string {
  return `${p.tenantId}\u0000${p.tokenId ? `tok:${p.tokenId}` : principalKey(p)}`;
}

/** Seconds a refused caller is told to wait: a held request lasts up to 55 s, most end sooner. */
const RETRY_AFTER_SEC = 5;

/**
 * Take one of the caller's held-request slots, or throw 429 `too_many_waits` with Retry-After.
 * Returns the release, which may be called more than once.
 */
export function takeWaitSlot(p: Principal): () => void {
  const key = credential(p);
  const limit = env().COUNTERSIGN_WAITS_PER_TOKEN;
  const now = held.get(key) ?? 0;
  if (now >= limit) {
    throw new TooManyRequests(
      `This credential already holds ${limit} waiting requests (?wait= and event streams) on this server; end one, or retry after ${RETRY_AFTER_SEC} s.`,
      RETRY_AFTER_SEC,
      "too_many_waits",
    );
  }
  held.set(key, now + 1);
  let released = false;
  return () => {
    if (released) return;
    released = true;
    const left = (held.get(key) ?? 1) - 1;
    if (left > 0) held.set(key, left);
    else held.delete(key);
  };
}

/** How many requests are held now on this instance, over all callers. */
export function heldWaits(): number {
  let n = 0;
  for (const v of held.values()) n += v;
  return n;
}
