import type { Ctx } from "@/lib/services/context";
import { onJobChange } from "@/lib/services/events";

const HEARTBEAT_MS = 15_000;

/**
 * Server-sent events for the caller's tenant: `queue` events name the job and its new state whenever
 * a job enters or leaves the queue. Fed by LISTEN/NOTIFY, so a change made by any app instance arrives.
 */
export async function queueStream({ ctx, signal }: { ctx: Ctx; signal: AbortSignal }): Promise<ReadableStream<Uint8Array>> {
  const tenant = ctx.principal.tenantId;
  const encoder = new TextEncoder();
  let cleanup = () => {};
  return new ReadableStream<Uint8Array>({
    async start(controller) {
      const send = (text: string) => {
        try {
          controller.enqueue(encoder.encode(text));
        } catch {
          cleanup();
        }
      };
      const unsubscribe = await onJobChange((c) => {
        if (c.tenant !== tenant) return;
        send(`event: queue\ndata: ${JSON.stringify({ job_id: c.job, state: c.state })}\n\n`);
      });
      const heartbeat = setInterval(() => send(": keep-alive\n\n"), HEARTBEAT_MS);
      cleanup = () => {
        clearInterval(heartbeat);
        unsubscribe();
        try {
          controller.close();
        } catch {
          // already closed
        }
      };
      signal.addEventListener("abort", () => cleanup(), { once: true });
      send(`retry: 3000\nevent: ready\ndata: {}\n\n`);
    },
    cancel() {
      cleanup();
    },
  });
}
