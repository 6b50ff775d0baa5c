import { z } from "zod";
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
