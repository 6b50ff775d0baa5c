import { describe, expect, it } from "vitest";
import { differences, durationText } from "./impact";
import type { Evaluation } from "./types";

const gate = (count: number, sla: number | null, cutoff = 86_400): Evaluation => ({
  decision: "require_approval",
  rule_id: "payments",
  reason: "r",
  matched_rules: [],
  shadow: [],
  requirements: [{ rule_id: "payments", roles: ["finance"], count, escalate_to: [] }],
  constraints: null,
  sla_sec: sla,
  cutoff_sec: cutoff,
  on_timeout: "escalate",
  escalate_to: [],
  summary: { title: "t", why: "w", next_effect: "n" },
});
const allow: Evaluation = { ...gate(1, null), decision: "allow", requirements: [] };

describe("differences", () => {
  it.each([
    ["nothing", gate(2, 3600), gate(2, 3600), []],
    ["fewer approvers and a shorter SLA", gate(2, 4 * 3600), gate(1, 3600), [
      { field: "requirements", from: "payments: 2 of finance", to: "payments: 1 of finance" },
      { field: "sla", from: "4h", to: "1h" },
    ]],
    ["a shorter cutoff", gate(1, null), gate(1, null, 7200), [{ field: "cutoff", from: "1d", to: "2h" }]],
    ["a gate lifted", gate(1, 600), allow, [
      { field: "decision", from: "require_approval", to: "allow" },
      { field: "requirements", from: "payments: 1 of finance", to: "none" },
      { field: "sla", from: "10m", to: "none" },
      { field: "cutoff", from: "1d", to: "none" },
    ]],
    ["tighter constraints", { ...allow, decision: "allow_with_constraints", constraints: { max_runtime_sec: 600 } } as Evaluation,
      { ...allow, decision: "allow_with_constraints", constraints: { max_runtime_sec: 60, network_allowlist: ["a.example"] } } as Evaluation,
      [{ field: "constraints", from: "max_runtime 10m", to: "max_runtime 1m; network a.example" }]],
    ["allowed both ways", allow, allow, []],
  ])("%s", (_name, before, after, expected) => {
    expect(differences(before, after)).toEqual(expected);
  });

  it("writes durations as policies do", () => {
    expect([durationText(90), durationText(5400), durationText(7200), durationText(172_800), durationText(null)]).toEqual(["90s", "90m", "2h", "2d", "none"]);
  });
});
