"use server";

import { ZodError } from "zod";
import { getDatabase } from "@/lib/db/client";
import { voteByMailLink } from "@/lib/services/channels/mail-vote";
import { ServiceError } from "@/lib/services/errors";

export interface MailVoteState {
  error: string | null;
  done: string | null;
}

/** The personal link's form: the only way a mail link votes (opening the page changes nothing). */
export async function mailVoteAction(_prev: MailVoteState, form: FormData): Promise<MailVoteState> {
  const vote = form.get("vote") === "reject" ? "reject" : "approve";
  const text = (k: string) => (typeof form.get(k) === "string" && form.get(k) !== "" ? String(form.get(k)) : undefined);
  const input = { reason: text("reason") ?? "", note: text("note"), job_hash: text("job_hash"), policy_snapshot: text("policy_snapshot") };
  try {
    const r = await voteByMailLink({ database: await getDatabase(), token: String(form.get("token") ?? ""), vote, input, now: new Date() });
    const still = r.missing.map((m) => `${m.needed} more from ${m.roles.join(" or ")}`).join("; ");
    return { error: null, done: r.job.state === "APPROVAL" ? `Your vote to ${vote} counts. Still needed: ${still}.` : `Your vote decided it: ${r.job.state.toLowerCase()}.` };
  } catch (err) {
    if (err instanceof ZodError) return { error: `Reason: ${err.issues[0]?.message ?? "invalid"}`, done: null };
    if (err instanceof ServiceError) return { error: `Not counted. ${err.message}`, done: null };
    throw err;
  }
}
