import "server-only";
import { lt } from "drizzle-orm";
import { z, ZodError } from "zod";
import type { DbHandle } from "@/lib/db/client";
import { slackReplays, type JobRow } from "@/lib/db/schema";
import { env } from "@/lib/env";
import { resolveVote } from "@/lib/services/approvals/resolve";
import { ResolveBody } from "@/lib/services/approvals/schemas";
import { contextOf, type Principal } from "@/lib/services/context";
import { ServiceError, Unauthenticated } from "@/lib/services/errors";
import { findJob } from "@/lib/services/jobs/find";
import { cannotAct, renderJob, type VoteTally } from "@/lib/services/jobs/render";
import { consoleOrigin } from "@/lib/services/outbox/notify";
import { ACTION_APPROVE, ACTION_REJECT, noticeModal, VOTE_CALLBACK, voteModal, type VoteMetadata } from "./slack-blocks";
import { slackCall } from "./slack-api";
import { personForSlackUser } from "./slack-identity";
import { isSlackSigned, SLACK_TOLERANCE_SEC } from "./slack-verify";
import { channelVoter } from "./voter";

const Bound = z.object({ t: z.string().max(63), j: z.string().max(128), h: z.string().max(64), s: z.string().max(200) });
const Meta = Bound.extend({ v: z.enum(["approve", "reject"]) });
const Input = z.object({ value: z.string().nullish(), selected_option: z.object({ value: z.string() }).nullish() }).passthrough();

// The parts of Slack's interaction payloads this reads (block_actions, view_submission); the rest is ignored.
const Payload = z.discriminatedUnion("type", [
  z.object({
    type: z.literal("block_actions"),
    user: z.object({ id: z.string() }),
    trigger_id: z.string(),
    actions: z.array(z.object({ action_id: z.string(), value: z.string().optional() })).min(1),
  }),
  z.object({
    type: z.literal("view_submission"),
    user: z.object({ id: z.string() }),
    view: z.object({ callback_id: z.string(), private_metadata: z.string(), state: z.object({ values: z.record(z.string(), z.record(z.string(), Input)) }) }),
  }),
]);

export interface SlackRequest {
  timestamp: string | null;
  signature: string | null;
  body: string;
}

const HOW_TO_LINK = (slackUser: string) =>
  `Your Slack account is not linked to a Countersign person, so it cannot vote. In Countersign, open *Settings* (${consoleOrigin()}/settings) and enter your Slack member ID \`${slackUser}\`, or ask an admin to link it.`;

/**
 * One request to `POST /integrations/slack/interactions`. Refused with 401, storing nothing, unless
 * Slack signed exactly these bytes within 5 minutes and this signature was never seen (slack_replays'
 * primary key: each request is acted on once, whichever instance gets it). A button opens the vote
 * modal, or a notice saying why it no longer counts; the modal's submission votes through
 * resolveVote, with every rule of the console, as the linked person. The answer is Slack's JSON.
 */
export async function handleSlackInteraction({ database, now, request }: { database: DbHandle; now: Date; request: SlackRequest }): Promise<object | null> {
  const secret = env().SLACK_SIGNING_SECRET;
  if (!secret) throw new Unauthenticated("The Slack app is not configured here (SLACK_SIGNING_SECRET is unset).");
  if (!isSlackSigned(secret, request.timestamp, request.signature, request.body, Math.floor(now.getTime() / 1000))) {
    throw new Unauthenticated("The request does not carry a valid, recent Slack signature.");
  }
  const raw = new URLSearchParams(request.body).get("payload");
  const parsed = raw ? Payload.safeParse(safeJson(raw)) : null;
  const fresh = await database.db.insert(slackReplays).values({ signature: request.signature!, createdAt: now }).onConflictDoNothing().returning();
  if (fresh.length === 0) throw new Unauthenticated("This Slack request was already received.");
  // Past the 5-minute window the timestamp refuses a replay by itself: older keys can go (human-paced, few rows).
  await database.db.delete(slackReplays).where(lt(slackReplays.createdAt, new Date(now.getTime() - 2 * SLACK_TOLERANCE_SEC * 1000)));
  if (!parsed?.success) return null; // signed by Slack, but nothing this app acts on
  const p = parsed.data;
  if (p.type === "block_actions") {
    const action = p.actions[0]!;
    const vote = action.action_id === ACTION_APPROVE ? "approve" : action.action_id === ACTION_REJECT ? "reject" : null;
    const bound = vote ? Bound.safeParse(safeJson(action.value ?? "")) : null;
    if (!vote || !bound?.success) return null; // Open is a link: nothing to do
    const view = await buttonView(database, now, p.user.id, { ...bound.data, v: vote });
    await slackCall(database.db, bound.data.t, "views.open", { trigger_id: p.trigger_id, view }, bound.data.j);
    return null;
  }
  if (p.view.callback_id !== VOTE_CALLBACK) return null;
  const meta = Meta.safeParse(safeJson(p.view.private_metadata));
  if (!meta.success) return null;
  return submitVote(database, now, p.user.id, meta.data, p.view.state.values);
}

function safeJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return null;
  }
}

/** What a button opens: the vote modal, or a notice saying why this person cannot vote on what the message showed. */
async function buttonView(database: DbHandle, now: Date, slackUser: string, meta: VoteMetadata): Promise<object> {
  const person = await personForSlackUser(database.db, meta.t, slackUser, now);
  if (!person) return noticeModal("Link your account", HOW_TO_LINK(slackUser));
  const voter = channelVoter(person, `slack:${slackUser}`);
  let found;
  try {
    found = await findJob(database.db, meta.t, meta.j);
  } catch {
    return noticeModal("Not found", "This request is not in Countersign any more.");
  }
  const { job, votes } = found;
  const stale = staleness(job, votes, voter, meta, now);
  if (stale) return noticeModal("Cannot vote", stale);
  return voteModal(renderJob(job, votes, voter, now), meta);
}

/** Why a button no longer counts for this voter, or null: decided first, then changed, then the voting rules. */
function staleness(job: JobRow, votes: VoteTally[], voter: Principal, meta: VoteMetadata, now: Date): string | null {
  // The decided/expired refusal comes first: a decided job's message says so whatever else changed.
  const refusal = cannotAct(job, votes, voter, now);
  if (refusal && (refusal.code === "already_resolved" || refusal.code === "expired")) return `This button no longer counts. ${refusal.message}`;
  if (job.jobHash !== meta.h) return "This button no longer counts: the request changed since this message was posted.";
  if (job.policySnapshot !== meta.s) return "This button no longer counts: the policy changed since this message was posted and the request was decided again. Look at the updated message.";
  return refusal?.message ?? null;
}

type StateValues = Record<string, Record<string, z.infer<typeof Input>>>;

/** The modal's submission: one vote through the console's own service, bound to the hash and snapshot the message showed. */
async function submitVote(database: DbHandle, now: Date, slackUser: string, meta: VoteMetadata, values: StateValues): Promise<object> {
  const free = values.reason?.value?.value?.trim();
  const preset = values.preset?.value?.selected_option?.value;
  const note = values.note?.value?.value?.trim() || undefined;
  const reason = free || preset;
  if (!reason) return { response_action: "errors", errors: { reason: "A reason is required: pick one or write your own." } };
  const person = await personForSlackUser(database.db, meta.t, slackUser, now);
  if (!person) return { response_action: "update", view: noticeModal("Link your account", HOW_TO_LINK(slackUser)) };
  const ctx = contextOf(database, channelVoter(person, `slack:${slackUser}`), now);
  try {
    const input = ResolveBody.parse({ reason, note, job_hash: meta.h, policy_snapshot: meta.s });
    const r = await resolveVote({ ctx, id: meta.j, vote: meta.v, input });
    const still = r.missing.map((m) => `${m.needed} more from ${m.roles.join(" or ")}`).join("; ");
    const done = r.job.state === "APPROVAL" ? `Your vote counts. Still needed: ${still}.` : `Your vote decided it: ${r.job.state.toLowerCase()}.`;
    return { response_action: "update", view: noticeModal("Vote recorded", done) };
  } catch (err) {
    if (err instanceof ZodError) return { response_action: "errors", errors: { reason: err.issues[0]?.message ?? "Invalid reason." } };
    if (err instanceof ServiceError) return { response_action: "update", view: noticeModal("Not counted", `Your vote was not counted. ${err.message}`) };
    throw err;
  }
}
