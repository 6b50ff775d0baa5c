import { z } from "zod";
import { MatchedRuleOut } from "@/lib/services/jobs/schemas";

/** Answer shapes of the budget and shadow-rule reads (DESIGN §2.1), for the OpenAPI document. */
const Decision = z.enum(["allow", "allow_with_constraints", "require_approval", "deny"]);

export const ShadowMetrics = z.object({
  window: z.enum(["24h", "7d", "30d"]),
  since: z.string().describe("RFC 3339 timestamp"),
  rules: z.array(
    z.object({
      rule_id: z.string(),
      evaluated: z.number().describe("submissions of the window the shadow rule matched"),
      disagreed: z.number().describe("of those, jobs whose live outcome differs from what this rule alone would have made it"),
      examples: z.array(z.string()).describe("the latest disagreeing job ids, at most 5"),
    }),
  ),
});

export const BudgetUse = z.object({
  policy_snapshot: z.string(),
  budgets: z.array(
    z.object({
      rule_id: z.string(),
      per: z.enum(["agent", "on_behalf_of", "tenant"]),
      window: z.string(),
      max_count: z.number().nullable(),
      max_sum: z.object({ field: z.string(), value: z.number() }).nullable(),
      scopes: z.array(
        z.object({
          key: z.string().nullable().describe("the agent (requested_by) or on_behalf_of; null for per tenant"),
          count: z.number(),
          sum: z.number().describe("of max_sum.field; 0 without max_sum"),
        }),
      ),
      others: z.number().describe("scopes with use beyond the 20 busiest listed"),
    }),
  ),
});

/** A decision-log line: a live matching rule, a shadow rule's verdict (`shadow: true`) or a rule past its budget. */
export const DecisionLogRule = MatchedRuleOut.extend({
  shadow: z.literal(true).optional(),
  would_decide: Decision.optional().describe("shadow rules: the outcome had this rule alone been live"),
  disagreed: z.boolean().optional(),
  over_budget: z.literal(true).optional().describe("a budgeted rule that would have matched but was past its budget"),
  note: z.string().optional().describe('e.g. "shadow: would have required approval", or why a budgeted rule did not match'),
});
