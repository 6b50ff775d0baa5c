import type { Ctx } from "@/lib/services/context";
import { AUTH_CHANNEL, onJobChange, subscribe } from "@/lib/services/events";
import { takeWaitSlot } from "@/lib/services/waits";

const HEARTBEAT_MS = 15_000;

/**
 * Server-sent events for the caller's tenant: `queue` events name the job and its new state whenever
 * a job enters or leaves the queue. Fed by LISTEN/NOTIFY, so a change made by any app instance arrives.
 */
export async function queueStream({
  ctx,
  signal,
  stillAllowed,
}: {
  ctx: Ctx;
  signal: AbortSignal;
  /** Whether the credentials the stream was opened with still hold; re-checked on every auth change and heartbeat. */
  stillAllowed: () => Promise<boolean>;
}): Promise<ReadableStream<Uint8Array>> {
  const tenant = ctx.principal.tenantId;
  const encoder = new TextEncoder();
  // One of the credential's held-request slots for as long as the stream is open (429 past the cap).
  const release = takeWaitSlot(ctx.principal);
  let cleanup = release;
  return new ReadableStream<Uint8Array>({
    async start(controller) {
      const send = (text: string) => {
        try {
          controller.enqueue(encoder.encode(text));
        } catch {
          cleanup();
        }
      };
      // The stream outlives its request: a revoked token, a disabled person or a removed role ends it.
      // Each event waits for the latest check, so nothing is sent once the credentials are gone.
      let allowed: Promise<boolean> = Promise.resolve(true);
      const recheck = () => {
        allowed = stillAllowed().catch(() => false);
        void allowed.then((ok) => ok || cleanup());
      };
      let unsubscribe = () => {};
      let unsubscribeAuth = () => {};
      try {
        unsubscribe = await onJobChange((c) => {
          if (c.tenant !== tenant) return;
          const line = `event: queue\ndata: ${JSON.stringify({ job_id: c.job, state: c.state })}\n\n`;
          void allowed.then((ok) => ok && send(line));
        });
        // Revocation and changes to people are announced on AUTH_CHANNEL; expiry is caught by the heartbeat.
        unsubscribeAuth = await subscribe(AUTH_CHANNEL, recheck);
      } catch (err) {
        // The stream never opened: give back what it took.
        unsubscribe();
        release();
        throw err;
      }
      const heartbeat = setInterval(() => {
        send(": keep-alive\n\n");
        recheck();
      }, HEARTBEAT_MS);
      cleanup = () => {
        clearInterval(heartbeat);
        unsubscribe();
        unsubscribeAuth();
        release();
        try {
          controller.close();
        } catch {
          // already closed
        }
      };
      // A client gone before the stream started would never fire "abort" again.
      if (signal.aborted) return cleanup();
      signal.addEventListener("abort", () => cleanup(), { once: true });
      send(`retry: 3000\nevent: ready\ndata: {}\n\n`);
    },
    cancel() {
      cleanup();
    },
  });
}
