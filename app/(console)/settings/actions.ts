"use server";

import { requireCtx } from "@/lib/auth/viewer";
import { OwnChannelsBody, updateOwnChannels } from "@/lib/services/channels/settings";
import { ServiceError } from "@/lib/services/errors";

export interface SettingsState {
  error: string | null;
  saved: boolean;
}

export async function saveChannelsAction(_prev: SettingsState, form: FormData): Promise<SettingsState> {
  const ctx = await requireCtx();
  const slack = String(form.get("slack_user_id") ?? "").trim().toUpperCase();
  const parsed = OwnChannelsBody.safeParse({ slack_user_id: slack || null, email_opt_out: form.get("email_opt_out") === "on" });
  if (!parsed.success) return { error: parsed.error.issues.map((i) => i.message).join("; "), saved: false };
  try {
    await updateOwnChannels({ ctx, input: parsed.data });
    return { error: null, saved: true };
  } catch (err) {
    if (err instanceof ServiceError) return { error: err.message, saved: false };
    throw err;
  }
}
