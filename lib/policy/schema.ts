import { z } from "zod";
import { DURATION_RE, MAX_DURATION_SEC, parseDuration } from "./duration";
import { fillDefaults } from "./fill";
import { TEMPLATE_VARS } from "./summary";
import { checkWhen, WHEN_MAX_LENGTH } from "./when";

// Charsets mirror what a job may carry (DESIGN §3), so a rule can only name tags and topic
// segments that a job could actually have: a typo such as "Prod" fails here, not silently at runtime.
export const RULE_ID_RE = /^[a-z0-9][a-z0-9_.-]*$/;
export const RISK_TAG_RE = /^[a-z0-9_-]+$/;
export const TOPIC_GLOB_RE = /^(?:[a-z0-9_-]+|\*\*?)(?:\.(?:[a-z0-9_-]+|\*\*?))*$/;
export const ROLE_RE = /^[A-Za-z0-9][A-Za-z0-9_.:@-]*$/;
// A wildcard host is kept as a literal string: intersecting "*.github.com" with "api.github.com"
// gives nothing, which errs on the strict side.
export const HOST_RE = /^(?:\*\.)?[a-z0-9](?:[a-z0-9-]*[a-z0-9])?(?:\.[a-z0-9](?:[a-z0-9-]*[a-z0-9])?)*(?::[0-9]{1,5})?$/;

const DECISIONS = ["allow", "allow_with_constraints", "require_approval", "deny"] as const;
const PLACEHOLDER_RE = /\{\{\s*([^}]*?)\s*\}\}/g;

// Missing and mistyped fields read differently to an author: "is required" vs what was expected.
function expect(what: string) {
  return { error: (issue: { input?: unknown }) => (issue.input === undefined ? "is required" : what) };
}

const duration = z
  .string()
  .regex(DURATION_RE, "must be a duration such as 90s, 30m, 4h or 7d")
  // At most 365d, so every deadline a policy can set is a storable timestamp (see duration.ts).
  .refine((s) => !DURATION_RE.test(s) || parseDuration(s) <= MAX_DURATION_SEC, "must be at most 365d (8760h)");
const role = z.string().max(64).regex(ROLE_RE, "must be a role name (letters, digits, _ . : @ -)");
const onTimeout = z.enum(["escalate", "reject"], { error: "must be escalate or reject" });

const template = z
  .string()
  .max(500)
  .superRefine((text, ctx) => {
    for (const m of text.matchAll(PLACEHOLDER_RE)) {
      const name = m[1] ?? "";
      if (!(TEMPLATE_VARS as readonly string[]).includes(name)) {
        ctx.addIssue({ code: "custom", message: `unknown placeholder {{${name}}}: use {{topic}}, {{rule_id}} or {{title}}` });
      }
    }
  });

// A CEL condition, parsed and type-checked here so a policy with a broken one is refused at upload.
// `whenOffset` lets parse.ts point at the character inside the expression, not just at its start.
const whenCondition = z
  .string(expect("must be a CEL expression (a string)"))
  .min(1, "must not be empty")
  .max(WHEN_MAX_LENGTH, `must be at most ${WHEN_MAX_LENGTH} characters`)
  .superRefine((text, ctx) => {
    const problem = checkWhen(text);
    if (problem) ctx.addIssue({ code: "custom", message: problem.message, params: { whenOffset: problem.offset } });
  });

const approvers = z.strictObject({
  roles: z.array(role, expect("must be a list of roles")).min(1, "must name at least one role"),
  count: z.number(expect("must be a number")).int("must be a whole number").min(1, "must be at least 1").max(20, "must be at most 20"),
});

const constraints = z.strictObject({
  max_runtime_sec: z.number().int("must be a whole number of seconds").min(1).max(31_536_000).optional(),
  network_allowlist: z.array(z.string().max(253).regex(HOST_RE, "must be a lowercase host name")).optional(),
});

// A budget names the field it sums as `payload.<key>...`: the only numbers a job carries.
export const BUDGET_FIELD_RE = /^payload(?:\.[A-Za-z0-9_-]+)+$/;

const budget = z
  .strictObject({
    per: z.enum(["agent", "on_behalf_of", "tenant"], { error: "must be agent, on_behalf_of or tenant" }),
    window: duration,
    max_count: z.number(expect("must be a number")).int("must be a whole number").min(1, "must be at least 1").max(1_000_000).optional(),
    max_sum: z
      .strictObject({
        field: z.string(expect("must be a field such as payload.amount")).max(200).regex(BUDGET_FIELD_RE, "must be a field such as payload.amount"),
        value: z.number(expect("must be a number")).positive("must be more than 0").max(1e15),
      })
      .optional(),
  })
  .refine((b) => b.max_count !== undefined || b.max_sum !== undefined, "must set max_count, max_sum or both");

// Fields that only mean something for one decision are refused elsewhere, so an author who writes
// `approvers` under an `allow` rule learns the rule will not ask anyone, instead of assuming it does.
const APPROVAL_ONLY = ["approvers", "sla", "cutoff", "on_timeout", "escalate_to"] as const;

const rule = z
  .strictObject({
    id: z
      .string(expect("must be a string"))
      .max(100)
      .regex(RULE_ID_RE, "must match ^[a-z0-9][a-z0-9_.-]*$")
      .refine((id) => id !== "default", 'is reserved: "default" names the no-match outcome'),
    match: z
      .strictObject({
        topics: z.array(z.string().max(200).regex(TOPIC_GLOB_RE, "must be a topic glob: dot-separated [a-z0-9_-] segments, * or **")).nullish(),
        risk_tags: z.array(z.string().max(64).regex(RISK_TAG_RE, "must match ^[a-z0-9_-]+$")).nullish(),
        when: whenCondition.optional(),
      })
      .nullish(),
    decision: z.enum(DECISIONS, expect(`must be one of ${DECISIONS.join(", ")}`)),
    mode: z.enum(["shadow"], { error: "must be shadow (leave it out for a live rule)" }).optional(),
    budget: budget.optional(),
    reason: z.string().min(1).max(1000).optional(),
    approvers: approvers.optional(),
    sla: duration.optional(),
    cutoff: duration.optional(),
    on_timeout: onTimeout.optional(),
    escalate_to: z.array(role).optional(),
    constraints: constraints.optional(),
    summary: z.strictObject({ title: template.optional(), next_effect: template.optional() }).optional(),
  })
  .superRefine((r, ctx) => {
    if (r.decision !== "require_approval") {
      for (const key of APPROVAL_ONLY) {
        if (r[key] !== undefined) {
          ctx.addIssue({ code: "custom", path: [key], message: `only applies to require_approval rules (this rule is ${r.decision})` });
        }
      }
    }
    // A budget caps what a rule lets through; on a gate it would lower the gate once spent.
    if (r.budget !== undefined && r.decision !== "allow" && r.decision !== "allow_with_constraints") {
      ctx.addIssue({ code: "custom", path: ["budget"], message: `only applies to allow and allow_with_constraints rules (this rule is ${r.decision})` });
    }
    if (r.budget !== undefined && r.mode === "shadow") {
      ctx.addIssue({ code: "custom", path: ["budget"], message: "does not apply to shadow rules, which never let a job through" });
    }
    if (r.decision !== "allow_with_constraints" && r.constraints !== undefined) {
      ctx.addIssue({ code: "custom", path: ["constraints"], message: `only applies to allow_with_constraints rules (this rule is ${r.decision})` });
    }
  });

const defaults = z.strictObject({
  // Fail closed: a policy can never let an unmatched action through on its own.
  decision: z
    .enum(["require_approval", "deny"], { error: "must be require_approval or deny (a policy never allows by default)" })
    .optional(),
  approvers: approvers.optional(),
  sla: duration.optional(),
  cutoff: duration.optional(),
  on_timeout: onTimeout.optional(),
});

/** The policy as written: optional fields may be missing. */
export const rawPolicySchema = z
  .strictObject(
    {
      version: z.literal("v1", expect('must be "v1"')),
      defaults: defaults.nullish(),
      rules: z.array(rule).nullish(),
    },
    { error: "a policy must be a YAML mapping with version, defaults and rules" },
  )
  .superRefine((p, ctx) => {
    // Ids name requirements and decision-log entries, so two rules may not share one.
    const seen = new Set<string>();
    (p.rules ?? []).forEach((r, i) => {
      if (seen.has(r.id)) ctx.addIssue({ code: "custom", path: ["rules", i, "id"], message: `duplicate rule id "${r.id}"` });
      seen.add(r.id);
    });
  });

export type RawPolicy = z.output<typeof rawPolicySchema>;

/** Validates a policy as written and returns it defaults-filled (a `Policy`). */
export const policySchema = rawPolicySchema.transform(fillDefaults);
export type PolicyInput = z.input<typeof policySchema>;
