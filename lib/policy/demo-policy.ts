import { DEFAULT_POLICY_YAML } from "./default-policy";

// The demo tenant's policy: the shipped default, with refunds decided on their amount (match.when) and
// small ones let through within a budget (DESIGN §2.1), as a finance team would first ask for.
const PAYMENT_GATE = `  - id: payment-gate
    match:
      risk_tags: ["payment"]
`;

const REFUND_RULES = `  # Small euro refunds go through, up to 20 a day per agent; past that a reviewer looks (the default).
  - id: small-refund
    match:
      topics: ["job.payment.refund"]
      when: payload.amount < 200 && payload.currency == "EUR"
    decision: allow
    reason: "Small euro refunds go through, up to 20 a day per agent"
    budget: { per: agent, window: 24h, max_count: 20, max_sum: { field: payload.amount, value: 2000 } }

  # Mid-sized refunds, and small ones in other currencies: one person from finance.
  - id: refund-review
    match:
      topics: ["job.payment.refund"]
      when: (payload.amount >= 200 && payload.amount <= 1000) || (payload.amount < 200 && payload.currency != "EUR")
    decision: require_approval
    reason: "Refunds from 200 to 1,000 EUR, or in another currency, need finance"
    approvers: { roles: [finance], count: 1 }
    sla: 60m
    on_timeout: reject
    cutoff: 8h

  # Trying a stricter rule before enforcing it: what if finance saw every refund above 100?
  - id: try-refunds-over-100
    mode: shadow
    match:
      topics: ["job.payment.refund"]
      when: payload.amount > 100
    decision: require_approval
    approvers: { roles: [finance], count: 1 }

`;

function demoPolicy(): string {
  if (!DEFAULT_POLICY_YAML.includes(PAYMENT_GATE)) throw new Error("the default policy's payment-gate moved: update demo-policy.ts");
  // Payouts keep two people; refunds need two only above 1,000 (or without an amount to judge).
  const gate = `${PAYMENT_GATE}      when: topic != "job.payment.refund" || !has(payload.amount) || payload.amount > 1000
`;
  return DEFAULT_POLICY_YAML.replace(PAYMENT_GATE, REFUND_RULES + gate)
    .replace("    reason: \"Financial operations require dual approval\"", "    reason: \"Payouts and refunds above 1,000 require dual approval\"");
}

export const DEMO_POLICY_YAML = demoPolicy();
