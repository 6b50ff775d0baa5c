import { z } from "zod";
import { JOB_STATES } from "@/lib/db/schema";

export const TOPIC_RE = /^[a-z0-9_-]+(\.[a-z0-9_-]+)*$/;
export const TAG_RE = /^[a-z0-9_-]+$/;
// Control characters other than tab and newline never belong in text a reviewer reads.
// C0 and C1 controls; text may keep tab and newline, a single line keeps neither.
const NO_CONTROL_RE = /^[^\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f-\u009f]*$/;
const NO_CONTROL_LINE_RE = /^[^\u0000-\u001f\u007f-\u009f]*$/;
export const MAX_PAYLOAD_BYTES = 64 * 1024;

export const plainLine = (max: number) =>
  z.string().max(max).regex(NO_CONTROL_LINE_RE, "control characters are not allowed");
export const plainText = (max: number) =>
  z.string().max(max).regex(NO_CONTROL_RE, "control characters are not allowed");

/** An ISO 8601 instant with its offset, that PostgreSQL can read: before the year 10000 once in UTC. */
export const Instant = z.iso
  .datetime({ offset: true })
  .refine((s) => new Date(s).getUTCFullYear() <= 9999, "must be before the year 10000");

export const Topic = z.string().min(1).max(200).regex(TOPIC_RE, "lowercase dot-separated segments of a-z 0-9 _ -");
export const RiskTag = z.string().min(1).max(64).regex(TAG_RE, "lowercase a-z 0-9 _ -");

export const Payload = z
  .record(z.string(), z.unknown())
  .refine((p) => Buffer.byteLength(JSON.stringify(p)) <= MAX_PAYLOAD_BYTES, {
    message: `payload must be at most ${MAX_PAYLOAD_BYTES} bytes of JSON`,
  });

export const SubmitJobBody = z
  .object({
    topic: Topic,
    risk_tags: z.array(RiskTag).max(32).default([]),
    payload: Payload,
    title: plainLine(200).optional(),
    description: plainText(4000).optional(),
    labels: z
      .record(z.string().min(1).max(100).regex(NO_CONTROL_LINE_RE), plainLine(500))
      .refine((l) => Object.keys(l).length <= 64, { message: "at most 64 labels" })
      .optional(),
    callback_url: z
      .string()
      .max(2000)
      .url()
      .refine((u) => /^https?:\/\//i.test(u), { message: "callback_url must be http or https" })
      .optional(),
    on_behalf_of: z.string().max(320).email().transform((e) => e.toLowerCase()).optional(),
  })
  .strict();
export type SubmitJobBody = z.infer<typeof SubmitJobBody>;

/**
 * The body of `POST /jobs`: the job, and whether to claim it in the same request when the policy
 * allows it. `claim` is a request option, not part of the job: never stored, never hashed.
 */
export const SubmitJobRequest = SubmitJobBody.extend({ claim: z.boolean().optional() }).strict();
export type SubmitJobRequest = z.infer<typeof SubmitJobRequest>;

export const IdempotencyKey = z.string().min(1).max(255).regex(/^[\x21-\x7e]+$/, "printable ASCII without spaces");

/** A query-string integer: plain decimal digits only (no 0x10, 1e2 or 1.5), within bounds. */
export const queryInt = (min: number, max: number) =>
  z
    .string()
    .regex(/^\d{1,9}$/, "a whole number")
    .transform(Number)
    .pipe(z.number().min(min).max(max));

export const WaitQuery = z.object({ wait: queryInt(0, 55).optional() }).strict();

export const JobHash = z.string().regex(/^[0-9a-f]{64}$/, "64 lowercase hex characters");

/** `GET /jobs`: the caller's own jobs, newest first (the MCP gateway finds the call it held before). */
export const OwnJobsQuery = z
  .object({ topic: Topic.optional(), job_hash: JobHash.optional(), limit: queryInt(1, 50).default(20) })
  .strict();
export type OwnJobsQuery = z.infer<typeof OwnJobsQuery>;

export const ClaimBody = z
  .object({
    job_hash: JobHash,
    policy_snapshot: z.string().max(300).optional(),
  })
  .strict();
export type ClaimBody = z.infer<typeof ClaimBody>;

export const CompleteBody = z
  .object({ outcome: z.enum(["succeeded", "failed"]), detail: plainText(4000).optional() })
  .strict();
export type CompleteBody = z.infer<typeof CompleteBody>;

const DecisionName = z.enum(["ALLOW", "ALLOW_WITH_CONSTRAINTS", "REQUIRE_APPROVAL", "DENY"]);
const ConstraintsOut = z.object({ max_runtime_sec: z.number().optional(), network_allowlist: z.array(z.string()).optional() });

/** The one rendering of a job: `POST /jobs`, `GET /jobs/{id}` and each queue entry. */
/** One matching rule; `error` only when its `match.when` failed to evaluate (it then counts as at least require_approval). */
export const MatchedRuleOut = z.object({
  id: z.string(),
  decision: z.string(),
  reason: z.string().nullable(),
  error: z.string().optional().describe("why the rule's match.when could not be evaluated"),
});

export const JobItem = z.object({
  job: z.object({
    id: z.string(),
    state: z.enum(JOB_STATES),
    topic: z.string(),
    risk_tags: z.array(z.string()),
    title: z.string().nullable(),
    description: z.string().nullable(),
    labels: z.record(z.string(), z.string()),
    payload: z.record(z.string(), z.unknown()),
    created_at: z.string(),
    updated_at: z.string(),
    requested_by: z.string(),
    on_behalf_of: z.string().nullable(),
    callback_url: z.string().nullable(),
  }),
  decision: DecisionName,
  policy_snapshot: z.string(),
  policy_rule_id: z.string(),
  policy_reason: z.string(),
  job_hash: z.string(),
  approval_required: z.boolean(),
  decision_summary: z.object({ title: z.string(), why: z.string(), next_effect: z.string() }),
  requirements: z.array(
    z.object({ rule_id: z.string(), roles: z.array(z.string()), count: z.number(), approvals: z.number() }),
  ),
  sla: z.object({ due_at: z.string().nullable(), expires_at: z.string().nullable(), escalated: z.boolean() }),
  can_act: z.boolean(),
  resolution: z.enum(["approved", "rejected", "expired", "cancelled"]).nullable(),
  resolved_by: z.string().nullable(),
  resolved_comment: z.string().nullable(),
  resolved_at: z.string().nullable(),
  constraints: ConstraintsOut.nullable(),
  matched_rules: z.array(MatchedRuleOut),
});
export type JobItem = z.infer<typeof JobItem>;

export const ExecutionGrant = z.object({
  job_id: z.string(),
  job_hash: z.string(),
  policy_snapshot: z.string(),
  constraints: ConstraintsOut.nullable(),
});
export type ExecutionGrant = z.infer<typeof ExecutionGrant>;

export const OwnJobsPage = z.object({ items: z.array(JobItem) });

/** What `POST /jobs` answers: the job, and its grant when it was claimed in the same request. */
export const SubmittedJob = JobItem.extend({ grant: ExecutionGrant.optional() });
export type SubmittedJob = z.infer<typeof SubmittedJob>;

export const CancelBody = z.object({ reason: plainText(1000).optional() }).strict();
