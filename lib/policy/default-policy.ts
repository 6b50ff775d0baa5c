// The policies Countersign ships, kept verbatim as text so the console can show and the tests can
// load exactly what a user would upload. No backticks or "${" in either, so template strings are safe.

/** The product's default: shared/examples/approval-policy.yaml. */
export const DEFAULT_POLICY_YAML = `# The policy from the design guide (shared/seed/approval-gates-guide.txt), extended with the
# optional fields that Countersign adds (approvers, sla, cutoff, on_timeout, escalate_to, summary).
# The guide's own four rules, without the extensions, must also load unchanged.
version: v1
defaults:
  decision: require_approval      # no rule matched: fail closed (require_approval or deny, never allow)
  approvers: { roles: [reviewer], count: 1 }
  sla: 60m
  cutoff: 24h
rules:
  - id: allow-read
    match:
      topics: ["job.*.read", "job.*.list", "job.*.get"]
      risk_tags: []
    decision: allow

  - id: prod-write-gate
    match:
      risk_tags: ["prod", "write"]
      topics: ["job.deploy.*", "job.db.*", "job.config.*"]
    decision: require_approval
    reason: "Production writes require human approval"
    approvers: { roles: [service-owner, oncall], count: 1 }
    sla: 30m
    on_timeout: escalate
    escalate_to: [eng-manager]
    cutoff: 4h
    summary:
      title: "Review production change: {{topic}}"
      next_effect: "Approve to continue deployment workflow"

  - id: payment-gate
    match:
      risk_tags: ["payment"]
    decision: require_approval
    reason: "Financial operations require dual approval"
    approvers: { roles: [finance], count: 2 }
    sla: 60m
    on_timeout: reject
    cutoff: 8h
    summary:
      next_effect: "Approve to release the payment"

  - id: access-grant-gate
    match:
      risk_tags: ["access"]
    decision: require_approval
    reason: "Access grants require dual approval"
    approvers: { roles: [security], count: 2 }

  - id: destructive-delete-gate
    match:
      risk_tags: ["destructive"]
    decision: require_approval
    reason: "Destructive deletes require dual approval"
    approvers: { roles: [service-owner, oncall], count: 2 }

  - id: ticket-update
    match:
      topics: ["job.ticket.update"]
    decision: allow_with_constraints
    constraints:
      max_runtime_sec: 30

  - id: egress-bounded
    match:
      risk_tags: ["egress"]
    decision: allow_with_constraints
    constraints:
      max_runtime_sec: 60
      network_allowlist: ["api.github.com", "api.slack.com"]

  - id: no-prod-drop
    match:
      topics: ["job.db.drop"]
      risk_tags: ["prod"]
    decision: deny
    reason: "Dropping production databases is never allowed from an agent"
`;

/** The design guide's original four-rule policy, without Countersign's extensions. */
export const GUIDE_POLICY_YAML = `version: v1
rules:
  - id: allow-read
    match:
      topics: ["job.*.read", "job.*.list", "job.*.get"]
      risk_tags: []
    decision: allow

  - id: prod-write-gate
    match:
      risk_tags: ["prod", "write"]
      topics: ["job.deploy.*", "job.db.*", "job.config.*"]
    decision: require_approval
    reason: "Production writes require human approval"

  - id: payment-gate
    match:
      risk_tags: ["payment"]
    decision: require_approval
    reason: "Financial operations require dual approval"

  - id: egress-bounded
    match:
      risk_tags: ["egress"]
    decision: allow_with_constraints
    constraints:
      max_runtime_sec: 60
      network_allowlist: ["api.github.com", "api.slack.com"]
`;
