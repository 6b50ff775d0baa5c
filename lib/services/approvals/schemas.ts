import { z } from "zod";
import { DURATION_RE, parseDuration } from "@/lib/policy/duration";
import { RiskTag, Topic, plainLine, plainText, queryInt } from "@/lib/services/jobs/schemas";

export const ResolveBody = z
  .object({
    // 1–1000 characters after trimming (the limit applies to the trimmed text, as the contract says).
    reason: z
      .string()
      .transform((s) => s.trim())
      .pipe(plainLine(1000).min(1, { message: "a reason is required" })),
    note: plainText(4000).optional(),
    job_hash: z.string().max(128).optional(),
    policy_snapshot: z.string().max(300).optional(),
  })
  .strict();
export type ResolveBody = z.infer<typeof ResolveBody>;

/** The longest a standing approval may last (DESIGN §2.1). */
export const MAX_STANDING_SEC = 24 * 3600;

/** `standing_for` on an approve: a duration (`90s`, `30m`, `2h`, `1d`) of at most 24h. */
export const StandingFor = z
  .string()
  .regex(DURATION_RE, { message: "a duration such as 30m or 2h" })
  // Zod runs the refinement even when the pattern failed: test it again before parsing.
  .refine((s) => !DURATION_RE.test(s) || parseDuration(s) <= MAX_STANDING_SEC, { message: "at most 24h" });

/** An approve may also grant a standing approval to identical later jobs (see approvals/standing/grant.ts). */
export const ApproveBody = ResolveBody.extend({ standing_for: StandingFor.optional() }).strict();
export type ApproveBody = z.infer<typeof ApproveBody>;

const bool = z.enum(["true", "false"]).transform((v) => v === "true");

export const QueueQuery = z
  .object({
    include_resolved: bool.default(false),
    topic: Topic.optional(),
    risk_tag: RiskTag.optional(),
    rule_id: z.string().min(1).max(200).optional(),
    actionable: bool.default(false),
    limit: queryInt(1, 200).default(50),
    cursor: z.string().max(500).optional(),
  })
  .strict();
export type QueueQuery = z.infer<typeof QueueQuery>;
