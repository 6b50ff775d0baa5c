import "server-only";
import { and, eq, isNull } from "drizzle-orm";
import type { DbHandle } from "@/lib/db/client";
import { emailLinks, users } from "@/lib/db/schema";
import { resolveVote } from "@/lib/services/approvals/resolve";
import { ResolveBody } from "@/lib/services/approvals/schemas";
import { contextOf } from "@/lib/services/context";
import { Forbidden, NotFound } from "@/lib/services/errors";
import { findJob } from "@/lib/services/jobs/find";
import { cannotAct, renderJob } from "@/lib/services/jobs/render";
import { linkIdOf, tokenMatches } from "./mail-link";
import { channelVoter } from "./voter";

const NOT_VALID = "This link is not valid. Use the newest mail about this request, or open it in Countersign.";

/** The link a token names, if its MAC is the one made for it; the person and the job it is bound to. */
async function readLink(database: DbHandle, token: string) {
  const id = linkIdOf(token);
  if (!id) throw new NotFound("link", NOT_VALID);
  const [link] = await database.db.select().from(emailLinks).where(eq(emailLinks.id, id));
  if (!link || !tokenMatches(token, link)) throw new NotFound("link", NOT_VALID);
  const [person] = await database.db.select().from(users).where(and(eq(users.tenantId, link.tenantId), eq(users.id, link.userId), eq(users.disabled, false)));
  if (!person) throw new NotFound("link", NOT_VALID);
  return { link, person, voter: channelVoter(person, `email:${link.id}`) };
}

/**
 * What opening a personal link shows: the job as its person sees it, and whether the form still
 * counts (null) or why not. Reads only: a mail scanner that follows the link changes nothing.
 */
export async function openMailLink({ database, token, now }: { database: DbHandle; token: string; now: Date }) {
  const { link, person, voter } = await readLink(database, token);
  const { job, votes } = await findJob(database.db, link.tenantId, link.jobId);
  const refusal = link.usedAt ? "This link was already used; each link counts once." : (cannotAct(job, votes, voter, now)?.message ?? null);
  return { item: renderJob(job, votes, voter, now), person: person.email, refusal };
}

/**
 * The form's POST: one vote as the link's person, through the console's own service (every rule
 * holds), recorded with the link as its credential. The link is spent first, so it counts once even
 * when two posts race; a refused vote spends it too (the refusal is told).
 */
export async function voteByMailLink({ database, token, vote, input, now }: { database: DbHandle; token: string; vote: "approve" | "reject"; input: unknown; now: Date }) {
  const body = ResolveBody.parse(input);
  const { link, voter } = await readLink(database, token);
  const spent = await database.db
    .update(emailLinks)
    .set({ usedAt: now })
    .where(and(eq(emailLinks.id, link.id), isNull(emailLinks.usedAt)))
    .returning({ id: emailLinks.id });
  if (spent.length === 0) throw new Forbidden("link_used", "This link was already used; each link counts once.");
  return resolveVote({ ctx: contextOf(database, voter, now), id: link.jobId, vote, input: body });
}
