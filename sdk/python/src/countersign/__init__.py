"""Countersign for Python: submit a proposed action, wait for people, claim it once, report the outcome.

from countersign import Countersign
cs = Countersign("http://localhost:3000", token)
cs.gate({"topic": "job.deploy.api", "risk_tags": ["prod", "write"], "payload": {...}}, lambda grant: deploy())
"""

from ._core import __version__, current_grant
from .aio import AsyncCountersign
from .client import Countersign
from .decorator import gated
from .errors import (
    AlreadyClaimedError,
    ApiError,
    CancelledError,
    CountersignError,
    DeniedError,
    ExpiredError,
    GateError,
    PendingError,
    RejectedError,
)
from .signature import HEADER as SIGNATURE_HEADER
from .signature import verify_signature
from .types import Constraints, Grant, Job, JobItem, JobSpec, Outcome, State

__all__ = [
    "AlreadyClaimedError",
    "ApiError",
    "AsyncCountersign",
    "CancelledError",
    "Constraints",
    "Countersign",
    "CountersignError",
    "DeniedError",
    "ExpiredError",
    "GateError",
    "Grant",
    "Job",
    "JobItem",
    "JobSpec",
    "Outcome",
    "PendingError",
    "RejectedError",
    "SIGNATURE_HEADER",
    "State",
    "__version__",
    "current_grant",
    "gated",
    "verify_signature",
]
