import { expect } from "vitest";
import type { World } from "./fixtures";
import { call, type CallResult } from "./http";

// The policies tests activate, written from one set of parts: a rule is a few fields, a policy the
// rules in order. Shared so that "escalating", "dual" and the rest mean the same in every file.

export interface ApprovalRule {
  id: string;
  topics: string;
  roles: string[];
  count: number;
  sla: string;
  cutoff: string;
  onTimeout?: "escalate" | "reject";
  escalateTo?: string[];
}

/** A rule that needs people, as policy YAML. */
export function approvalRule(r: ApprovalRule): string {
  return [
    `  - id: ${r.id}`,
    `    match:`,
    `      topics: ["${r.topics}"]`,
    `    decision: require_approval`,
    `    approvers: { roles: [${r.roles.join(", ")}], count: ${r.count} }`,
    `    sla: ${r.sla}`,
    ...(r.onTimeout ? [`    on_timeout: ${r.onTimeout}`] : []),
    ...(r.escalateTo ? [`    escalate_to: [${r.escalateTo.join(", ")}]`] : []),
    `    cutoff: ${r.cutoff}`,
  ].join("\n");
}

/** A rule that allows without people. */
export const allowRule = (id: string, topics: string) => [`  - id: ${id}`, `    match:`, `      topics: ["${topics}"]`, `    decision: allow`].join("\n");

/** A policy of these rules, in order. */
export const policyOf = (...rules: string[]) => `version: v1\nrules:\n${rules.join("\n")}\n`;

/** On-call decides within 10 minutes, or the engineering manager may too; gone after an hour. */
export const ESCALATING: ApprovalRule = { id: "escalating", topics: "job.esc.*", roles: ["oncall"], count: 1, sla: "10m", onTimeout: "escalate", escalateTo: ["eng-manager"], cutoff: "1h" };
/** Two people from finance. */
export const DUAL: ApprovalRule = { id: "dual", topics: "job.pay.*", roles: ["finance"], count: 2, sla: "10m", cutoff: "1h" };

/** PUT /policy with the tenant admin's token, as it answered. */
export function putPolicy(w: World, yaml: string, send: typeof call = call): Promise<CallResult> {
  return send("PUT", "/api/v1/policy", { token: w.admin, rawBody: yaml, headers: { "content-type": "application/yaml" } });
}

/** Activate `yaml` for the tenant (it must be accepted); the new snapshot's id. */
export async function activatePolicy(w: World, yaml: string, send: typeof call = call): Promise<string> {
  const res = await putPolicy(w, yaml, send);
  expect(res.status, JSON.stringify(res.body)).toBe(200);
  return res.body.snapshot_id as string;
}
