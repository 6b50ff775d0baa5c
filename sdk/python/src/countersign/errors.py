"""Exceptions: refusals from the API (with the problem's stable `code`) and the ways a gate ends unrun."""

from __future__ import annotations

from typing import Any

from .types import JobItem, ProblemFieldError


class CountersignError(Exception):
    """Base of every error this package raises (transport errors stay httpx's own)."""

    code: str
    status: int | None = None
    detail: str = ""
    errors: list[ProblemFieldError] | None = None


class ApiError(CountersignError):
    """An RFC 9457 problem from the API: `status`, stable `code` (e.g. `already_claimed`), `detail`, `errors`."""

    def __init__(
        self,
        status: int,
        code: str,
        detail: str,
        errors: list[ProblemFieldError] | None = None,
        title: str = "",
        type: str = "about:blank",
        body: Any = None,
    ) -> None:
        super().__init__(f"{status} {code}: {detail}")
        self.status = status
        self.code = code
        self.detail = detail
        self.errors = errors
        self.title = title
        self.type = type
        self.body = body


class GateError(CountersignError):
    """A gated action that did not run. `item` is the job as last seen (cancel it, or resume with the
    same idempotency key)."""

    code = "gate"

    def __init__(self, item: JobItem, message: str) -> None:
        super().__init__(message)
        self.item = item
        self.job_id = item["job"]["id"]
        self.state = item["job"]["state"]
        self.detail = message


class DeniedError(GateError):
    """The policy denies this action; no person can approve it."""

    code = "denied"


class RejectedError(GateError):
    """A reviewer rejected it."""

    code = "rejected"


class ExpiredError(GateError):
    """Nobody decided before the job's cutoff."""

    code = "expired"


class CancelledError(GateError):
    """The job was withdrawn before a decision. (Not asyncio's CancelledError.)"""

    code = "cancelled"


class PendingError(GateError):
    """Still waiting for people when the wait ran out. The job stays pending."""

    code = "pending"


def _by(item: JobItem) -> str:
    """Who resolved the job and why, e.g. " by alice@example.com (ship it)"; empty when it does not say."""
    who, comment = item.get("resolved_by"), item.get("resolved_comment")
    return (f" by {who}" if who else "") + (f" ({comment})" if comment else "")


class AlreadyClaimedError(GateError):
    """The job was claimed before (e.g. a resumed submission with the same idempotency key)."""

    code = "already_claimed"


def gate_error_for(item: JobItem) -> GateError | None:
    """The error for a job that will not run (or has not been allowed yet); None when it is APPROVED."""
    job = item["job"]
    state, jid = job["state"], job["id"]
    if state == "APPROVED":
        return None
    if state == "DENIED":
        return DeniedError(
            item, f"Not run: the policy denies {job['topic']} (rule {item['policy_rule_id']}: {item['policy_reason']}); job {jid}"
        )
    if state == "REJECTED":
        return RejectedError(item, f"Not run: {job['topic']} was rejected{_by(item)}; job {jid}")
    if state == "EXPIRED":
        return ExpiredError(item, f"Not run: nobody approved {job['topic']} before its cutoff; job {jid}")
    if state == "CANCELLED":
        return CancelledError(item, f"Not run: {job['topic']} was cancelled{_by(item)}; job {jid}")
    if state == "APPROVAL":
        return PendingError(item, f"Not run: {job['topic']} is still waiting for approval; job {jid}")
    # RUNNING, SUCCEEDED, FAILED: someone already claimed it (e.g. a resumed idempotent submission).
    return AlreadyClaimedError(item, f"Not run: job {jid} was already claimed (state {state})")
