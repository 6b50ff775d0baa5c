import "server-only";
import { and, desc, eq } from "drizzle-orm";
import type { Db } from "@/lib/db/client";
import { channelPreviews } from "@/lib/db/schema";
import type { Ctx } from "@/lib/services/context";

interface Preview {
  tenantId: string;
  kind: "slack" | "email";
  jobId: string | null;
  target: string;
  body: unknown;
}

/** Keep what the demo would have sent (COUNTERSIGN_DEMO=1 only), for its preview page. */
export async function recordPreview(db: Db, p: Preview): Promise<void> {
  await db.insert(channelPreviews).values({ ...p, body: p.body as object, createdAt: new Date() });
}

/** The tenant's latest previews, newest first: Block Kit JSON as posted, mails as sent. */
export async function listPreviews({ ctx, kind }: { ctx: Ctx; kind?: "slack" | "email" }) {
  const rows = await ctx.db
    .select()
    .from(channelPreviews)
    .where(and(eq(channelPreviews.tenantId, ctx.principal.tenantId), kind ? eq(channelPreviews.kind, kind) : undefined))
    .orderBy(desc(channelPreviews.id))
    .limit(50);
  return rows.map((r) => ({ id: r.id, kind: r.kind, job_id: r.jobId, target: r.target, body: r.body, created_at: r.createdAt.toISOString() }));
}
