"use server";

import { revalidatePath } from "next/cache";
import { requireCtx } from "@/lib/auth/viewer";
import { requireScope } from "@/lib/services/context";
import { ServiceError } from "@/lib/services/errors";
import { CreateTargetBody, createTarget, deleteTarget } from "@/lib/services/outbox/targets";

export interface TargetFormState {
  error: string | null;
}

/** Route roles to a Slack channel: the same body and rules as POST /admin/notification-targets {kind: "slack"}. */
export async function addSlackTargetAction(_prev: TargetFormState, form: FormData): Promise<TargetFormState> {
  const ctx = await requireCtx();
  const roles = String(form.get("roles") ?? "").split(/[\s,]+/).filter(Boolean);
  const parsed = CreateTargetBody.safeParse({ kind: "slack", channel: String(form.get("channel") ?? "").trim(), roles });
  if (!parsed.success) return { error: parsed.error.issues.map((i) => `${i.path.join(".") || "form"}: ${i.message}`).join("; ") };
  try {
    requireScope(ctx.principal, "admin");
    await createTarget({ ctx, input: parsed.data });
  } catch (err) {
    if (err instanceof ServiceError) return { error: err.message };
    throw err;
  }
  revalidatePath("/settings/slack");
  return { error: null };
}

export async function removeTargetAction(form: FormData): Promise<void> {
  const ctx = await requireCtx();
  requireScope(ctx.principal, "admin");
  await deleteTarget({ ctx, id: String(form.get("id") ?? "") });
  revalidatePath("/settings/slack");
}
