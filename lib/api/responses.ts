import { z } from "zod";
import { DecisionLogRule } from "./responses-budgets";
import { JobItem } from "@/lib/services/jobs/schemas";
import { StandingApproval } from "./responses-standing";

/** Answer shapes for the OpenAPI document (request shapes come from the services' own schemas). */
const ISO = z.string().describe("RFC 3339 timestamp");

export const ResolveResult = JobItem.extend({
  vote: z.object({ vote: z.enum(["approve", "reject"]), reason: z.string(), note: z.string().nullable() }),
  missing: z.array(z.object({ rule_id: z.string(), roles: z.array(z.string()), needed: z.number() })),
  standing_approval: StandingApproval.optional().describe("present when the approve carried standing_for"),
});

export const QueuePage = z.object({ items: z.array(JobItem), next_cursor: z.string().nullable() });

export const JobDecisions = z.object({
  job: JobItem,
  decisions: z.array(
    z.object({
      cause: z.enum(["submit", "policy_change", "standing_approval"]),
      policy_snapshot: z.string(),
      decision: z.enum(["ALLOW", "ALLOW_WITH_CONSTRAINTS", "REQUIRE_APPROVAL", "DENY"]),
      rule_id: z.string(),
      reason: z.string(),
      matched_rules: z.array(DecisionLogRule),
      requirements: z.array(z.object({ rule_id: z.string(), roles: z.array(z.string()), count: z.number() })),
      constraints: z.object({}).passthrough().nullable(),
      created_at: ISO,
    }),
  ),
  votes: z.array(
    z.object({
      voter: z.string(),
      vote: z.enum(["approve", "reject"]),
      roles: z.array(z.string()),
      reason: z.string(),
      note: z.string().nullable(),
      credential: z.string().nullable().describe("The credential the vote came through: `token:<id>` or `session:<id>`"),
      created_at: ISO,
    }),
  ),
  deadline: z
    .object({ on_timeout: z.enum(["escalate", "reject"]).nullable(), escalate_to: z.array(z.string()) })
    .describe("What happens when the SLA passes, and the roles it escalates to"),
  execution: z
    .object({
      claimed_by: z.string().nullable(),
      claimed_at: ISO,
      completed_at: ISO.nullable(),
      outcome: z.enum(["succeeded", "failed"]).nullable(),
      detail: z.string().nullable(),
    })
    .nullable()
    .describe("The run: who claimed the job and when, and how it completed (null until claimed)"),
  resolution: JobItem.shape.resolution,
  resolved_by: z.string().nullable(),
  resolved_comment: z.string().nullable(),
  resolved_at: ISO.nullable(),
  viewer: z
    .object({ can_act: z.boolean(), code: z.string().nullable(), message: z.string().nullable() })
    .describe("Whether the caller may vote on this job now, and if not, the code `resolve` would answer and why"),
});

export const ActivePolicy = z.object({
  snapshot_id: z.string(),
  yaml: z.string(),
  policy: z.object({}).passthrough(),
  created_at: ISO,
  created_by: z.string(),
  activated_at: ISO.nullable(),
  activated_by: z.string().nullable(),
});

export const Activation = z.object({ snapshot_id: z.string(), changed: z.boolean(), redecided: z.number() });

const DecisionName = z.enum(["ALLOW", "ALLOW_WITH_CONSTRAINTS", "REQUIRE_APPROVAL", "DENY"]);
const TestRequirement = z.object({ rule_id: z.string(), roles: z.array(z.string()), count: z.number() });
const TestConstraints = z.object({ max_runtime_sec: z.number().optional(), network_allowlist: z.array(z.string()).optional() });
export const PolicyTestReport = z.object({
  passed: z.number(),
  failed: z.number(),
  results: z.array(
    z.object({
      name: z.string(),
      ok: z.boolean(),
      expected: z.object({
        decision: DecisionName,
        rule_id: z.string().optional(),
        requirements: z.array(TestRequirement).optional(),
        constraints: TestConstraints.nullable().optional(),
      }),
      actual: z.object({ decision: DecisionName, rule_id: z.string(), requirements: z.array(TestRequirement), constraints: TestConstraints.nullable() }),
    }),
  ),
});

export const SnapshotList = z.object({
  active: z.string().nullable(),
  items: z.array(
    z.object({ snapshot_id: z.string(), active: z.boolean(), created_at: ISO, created_by: z.string(), last_activated_at: ISO.nullable(), activations: z.number(), yaml: z.string() }),
  ),
});

export const AuditPage = z.object({
  items: z.array(
    z.object({
      id: z.number(),
      seq: z.number().nullable().describe("place in the tenant's chain; null until sealed"),
      type: z.string(),
      actor: z.string(),
      job_id: z.string().nullable(),
      data: z.object({}).passthrough(),
      created_at: ISO,
      prev_hash: z.string().nullable(),
      hash: z.string().nullable(),
    }),
  ),
  next_cursor: z.string().nullable(),
});

export const VerifyResult = z.object({
  ok: z.boolean(),
  tenant: z.string(),
  checked: z.number(),
  head: z.object({ seq: z.number(), hash: z.string() }).nullable(),
  first_broken: z.object({ seq: z.number(), reason: z.string() }).nullable(),
  pending: z.number().describe("events that committed between sealing and reading"),
  rejected: z
    .array(z.object({ id: z.number(), type: z.string(), actor: z.string(), created_at: z.string(), reason: z.string() }))
    .describe("rows the sealer refused to seal because their MAC fails (forged), oldest first, at most 100; any makes ok false"),
});

const CheckpointProblem = z.object({
  code: z
    .enum(["rewound", "rewritten", "bad_signature", "unknown_key", "not_a_checkpoint"])
    .describe("rewound: the chain ends below a signed checkpoint; rewritten: the event at a checkpoint is not the one signed (or two checkpoints signed different ones); bad_signature: the line was altered or forged; unknown_key: signed by another key than the given one; not_a_checkpoint: not a checkpoint at all"),
  line: z.number().describe("the line of the checkpoint log concerned"),
  seq: z.number().optional().describe("rewound, rewritten: the event the checkpoint signed"),
  reason: z.string(),
});

export const AuditVerification = z.object({
  ok: z.boolean().describe("every chain holds against its checkpoints, nothing was forged, and every line of the log is a checkpoint signed by the key"),
  results: z.array(
    VerifyResult.extend({
      ok: z.boolean().describe("the chain holds, against its checkpoints too (a rewind or rewrite is also its first_broken), and no forged event was found"),
      checkpoint: z.object({ seq: z.number(), at: z.string(), line: z.number() }).nullable().describe("the last checkpoint the chain was checked against; null: the log signed none for this tenant"),
      checkpoint_problems: z.array(CheckpointProblem).describe("the chain rewound below or rewritten at a checkpoint, and the log's bad lines naming this tenant"),
    }),
  ),
  checkpoints: z.object({
    lines: z.number(),
    problems: z.array(CheckpointProblem.omit({ seq: true }).extend({ tenant: z.string().optional() })).describe("bad lines naming no tenant checked here"),
  }),
});

const Percentiles = z.object({ p50: z.number().nullable(), p90: z.number().nullable(), p99: z.number().nullable() });
export const DecisionMetrics = z.object({
  window: z.enum(["24h", "7d", "30d"]),
  group_by: z.string(),
  since: ISO,
  groups: z.array(
    z.object({
      key: z.string(),
      decided: z.number(),
      approved: z.number(),
      rejected: z.number(),
      expired: z.number(),
      time_to_decision_sec: Percentiles,
      sla_breaches: z.number(),
      sla_breach_rate: z.number(),
      rejection_reasons: z.array(z.object({ reason: z.string(), count: z.number() })),
    }),
  ),
  queue: z.object({ depth: z.number(), oldest_pending_age_sec: z.number().nullable() }),
});

export const Tenant = z.object({ id: z.string(), name: z.string(), policy_snapshot: z.string(), created_at: ISO });
export const User = z.object({ id: z.string(), tenant: z.string(), email: z.string(), name: z.string().nullable(), roles: z.array(z.string()), disabled: z.boolean(), slack_user_id: z.string().nullable() });
export const MintedToken = z.object({
  id: z.string(),
  token: z.string().describe("the secret: shown once, stored only as SHA-256"),
  tenant: z.string(),
  kind: z.enum(["agent", "user"]),
  name: z.string(),
  scopes: z.array(z.string()),
  user_id: z.string().nullable(),
  owner_email: z.string().nullable(),
  expires_at: ISO.nullable(),
  rate_limits: z
    .object({ submit_per_minute: z.number().nullable(), resolve_per_minute: z.number().nullable() })
    .describe("requests per minute; null: the installation's default (COUNTERSIGN_RATE_*_PER_MINUTE)"),
});
export const UserList = z.object({
  items: z.array(User.extend({ has_password: z.boolean().describe("false: invited, has not set a password yet"), created_at: ISO })),
});
export const TokenList = z.object({
  items: z.array(
    z.object({
      id: z.string(),
      tenant: z.string(),
      kind: z.enum(["agent", "user"]),
      name: z.string(),
      scopes: z.array(z.string()),
      user_id: z.string().nullable(),
      owner: z.string().nullable().describe("the email of the person a user token acts as, or an agent token answers to"),
      created_at: ISO,
      expires_at: ISO.nullable(),
      revoked_at: ISO.nullable(),
      last_used_at: ISO.nullable().describe("the last request with it, to within a minute; null: never used"),
      state: z.enum(["live", "expired", "revoked"]),
    }),
  ),
  truncated: z.boolean().describe("true when there were more than 1,000"),
});
export const PasswordLinkOut = z.object({
  user_id: z.string(),
  email: z.string(),
  path: z.string(),
  url: z.string().describe("one-time: works until a password is set through it, or for 7 days"),
  expires_at: ISO,
});
export const RevokedToken = z.object({ id: z.string(), revoked_at: ISO });

const DeliveryAttempt = z.object({ at: ISO, status_code: z.number().nullable(), latency_ms: z.number(), error: z.string().nullable() });

export const Delivery = z.object({
  id: z.string(),
  kind: z.enum(["callback", "notification"]),
  event_type: z.string(),
  job_id: z.string().nullable(),
  url: z.string(),
  state: z.enum(["pending", "delivered", "failed"]),
  attempts: z.number(),
  next_attempt_at: ISO.nullable(),
  last_error: z.string().nullable(),
  created_at: ISO,
  delivered_at: ISO.nullable(),
  attempt_log: z.array(DeliveryAttempt),
});

export const DeliveryPage = z.object({ items: z.array(Delivery), next_cursor: z.string().nullable() });

const CallbackSecret = z.object({ id: z.string(), secret: z.string(), created_at: ISO, retires_at: ISO.nullable() });
export const CallbackSecrets = z.object({ items: z.array(CallbackSecret) });
export const RotatedSecret = CallbackSecret.extend({ previous_valid_until: ISO.nullable() });

const NotificationTarget = z.object({ id: z.string(), kind: z.enum(["webhook", "slack"]), url: z.string(), channel: z.string().nullable(), events: z.array(z.string()), roles: z.array(z.string()), created_at: ISO });
export const NotificationTargetOut = NotificationTarget;
export const NotificationTargets = z.object({ items: z.array(NotificationTarget) });
export const DeletedTarget = z.object({ id: z.string(), deleted: z.literal(true) });

const Seconds = z.number().nullable();
export const DailyMetrics = z.object({
  window: z.enum(["24h", "7d", "30d"]),
  since: ISO,
  days: z.array(z.object({ day: z.string().describe("YYYY-MM-DD (UTC)"), decided: z.number(), time_to_decision_sec: z.object({ p50: Seconds, p90: Seconds, p99: Seconds }) })),
  hours: z
    .array(z.object({ hour: z.string().describe("the hour's UTC start, YYYY-MM-DDTHH:00:00Z"), decided: z.number(), time_to_decision_sec: z.object({ p50: Seconds, p90: Seconds, p99: Seconds }) }))
    .optional()
    .describe("window=24h only: every UTC hour of the window, oldest first"),
});
