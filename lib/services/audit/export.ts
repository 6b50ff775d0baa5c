import type { Ctx } from "@/lib/services/context";
import { listAudit, type AuditQuery } from "./list";

const PAGE = 1000;

/**
 * The tenant's audit events (same filters as the listing) as JSON Lines, one event per line in chain
 * order, streamed a page at a time so an export of millions of events holds little memory.
 */
export function exportAudit({ ctx, input, signal }: { ctx: Ctx; input: Omit<AuditQuery, "limit" | "cursor">; signal?: AbortSignal }): ReadableStream<Uint8Array> {
  const encoder = new TextEncoder();
  let cursor: string | undefined;
  let done = false;
  return new ReadableStream<Uint8Array>({
    async pull(controller) {
      if (done || signal?.aborted) {
        controller.close();
        return;
      }
      try {
        const page = await listAudit({ ctx, input: { ...input, limit: PAGE, cursor } });
        const text = page.items.map((e) => JSON.stringify(e)).join("\n");
        if (text) controller.enqueue(encoder.encode(`${text}\n`));
        if (page.next_cursor === null) {
          done = true;
          controller.close();
        } else {
          cursor = page.next_cursor;
        }
      } catch (err) {
        controller.error(err);
      }
    },
  });
}
