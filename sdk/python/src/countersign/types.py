"""The API's shapes as typed dicts (DESIGN.md §3, §4): what you send and what comes back, as plain JSON."""

from __future__ import annotations

from typing import Any, Literal, TypedDict

State = Literal["APPROVAL", "APPROVED", "RUNNING", "SUCCEEDED", "FAILED", "DENIED", "REJECTED", "EXPIRED", "CANCELLED"]
Decision = Literal["ALLOW", "ALLOW_WITH_CONSTRAINTS", "REQUIRE_APPROVAL", "DENY"]
Resolution = Literal["approved", "rejected", "expired", "cancelled"]
Outcome = Literal["succeeded", "failed"]


class _JobSpecRequired(TypedDict):
    topic: str
    payload: dict[str, Any]


class JobSpec(_JobSpecRequired, total=False):
    """The body of `POST /jobs`: a proposed action. Nothing else is accepted."""

    risk_tags: list[str]
    title: str
    description: str
    labels: dict[str, str]
    callback_url: str
    on_behalf_of: str


class Job(TypedDict):
    id: str
    state: State
    topic: str
    risk_tags: list[str]
    title: str | None
    description: str | None
    labels: dict[str, str]
    payload: dict[str, Any]
    created_at: str
    updated_at: str
    requested_by: str
    on_behalf_of: str | None
    callback_url: str | None


class Constraints(TypedDict, total=False):
    max_runtime_sec: float
    network_allowlist: list[str]


class Requirement(TypedDict):
    rule_id: str
    roles: list[str]
    count: int
    approvals: int


class Sla(TypedDict):
    due_at: str | None
    expires_at: str | None
    escalated: bool


class DecisionSummary(TypedDict):
    title: str
    why: str
    next_effect: str


class MatchedRule(TypedDict):
    id: str
    decision: str
    reason: str | None


class Grant(TypedDict):
    """The execution grant from a claim: run exactly this job, under these constraints."""

    job_id: str
    job_hash: str
    policy_snapshot: str
    constraints: Constraints | None


class _JobItem(TypedDict):
    job: Job
    decision: Decision
    policy_snapshot: str
    policy_rule_id: str
    policy_reason: str
    job_hash: str
    approval_required: bool
    decision_summary: DecisionSummary
    requirements: list[Requirement]
    sla: Sla
    can_act: bool
    resolution: Resolution | None
    resolved_by: str | None
    resolved_comment: str | None
    resolved_at: str | None
    constraints: Constraints | None
    matched_rules: list[MatchedRule]


class JobItem(_JobItem, total=False):
    """A job as every route renders it. `grant` is there when `submit(..., claim=True)` claimed it."""

    grant: Grant


class ProblemFieldError(TypedDict):
    path: str
    message: str
