"""What the sync and async clients share: requests as data, answers parsed once into JSON or an ApiError.
Only the I/O differs between the two clients."""

from __future__ import annotations

import json
import math
import re
from collections.abc import Mapping
from contextvars import ContextVar
from dataclasses import dataclass
from typing import Any
from urllib.parse import quote

import httpx

from .errors import ApiError
from .types import Grant, JobItem, JobSpec, Outcome

__version__ = "0.1.0"

#: The server holds a `?wait` request at most this long (DESIGN.md §4).
MAX_WAIT = 55
#: How long `wait_for_decision` and `gate` wait for people by default: the default cutoff.
DEFAULT_DECISION_TIMEOUT = 24 * 60 * 60.0
DEFAULT_TIMEOUT = 30.0

_current_grant: ContextVar[Grant | None] = ContextVar("countersign_grant", default=None)


def current_grant() -> Grant | None:
    """The execution grant of the gated call running now (inside `gate`, `@gated` or a gated tool)."""
    return _current_grant.get()


@dataclass(frozen=True)
class Request:
    method: str
    path: str
    body: Mapping[str, Any] | None = None
    headers: dict[str, str] | None = None
    params: dict[str, str] | None = None
    wait: int | None = None


def api_base(base_url: str) -> str:
    return base_url.rstrip("/") + "/api/v1"


def default_headers(token: str) -> dict[str, str]:
    return {"authorization": f"Bearer {token}", "accept": "application/json", "user-agent": f"countersign-python/{__version__}"}


def encode(body: Mapping[str, Any]) -> bytes:
    # I-JSON: NaN and infinities are refused here rather than sent and refused by the server.
    return json.dumps(body, allow_nan=False, ensure_ascii=False, separators=(",", ":")).encode("utf-8")


def request_timeout(timeout: float | httpx.Timeout | None, wait: int | None) -> float | httpx.Timeout | None:
    """A long poll may be held `wait` seconds: the read timeout grows by that much."""
    if not wait or timeout is None:
        return timeout
    if isinstance(timeout, httpx.Timeout):
        read = timeout.read
        return httpx.Timeout(timeout.connect, read=None if read is None else read + wait, write=timeout.write, pool=timeout.pool)
    return httpx.Timeout(timeout, read=timeout + wait)


def parse(res: httpx.Response) -> Any:
    """The JSON answer, or an ApiError carrying the problem's fields."""
    data: Any = None
    if res.content:
        try:
            data = res.json()
        except ValueError:
            data = None
    if res.is_success:
        return data
    p = data if isinstance(data, dict) else {}
    raise ApiError(
        status=res.status_code,
        code=str(p.get("code") or f"http_{res.status_code}"),
        detail=str(p.get("detail") or res.reason_phrase or ""),
        errors=p.get("errors"),
        title=str(p.get("title") or ""),
        type=str(p.get("type") or "about:blank"),
        body=data if data is not None else res.text,
    )


def _id(job_id: str) -> str:
    if not isinstance(job_id, str) or not job_id:
        raise ValueError("a job id is a non-empty string")
    return quote(job_id, safe="")


def submit_request(job: JobSpec, idempotency_key: str | None, claim: bool) -> Request:
    body: dict[str, Any] = dict(job)
    if claim:
        body["claim"] = True
    headers = {"idempotency-key": idempotency_key} if idempotency_key is not None else None
    return Request("POST", "/jobs", body, headers)


def clamp_wait(wait: float | None) -> int | None:
    if wait is None:
        return None
    return max(0, min(MAX_WAIT, math.ceil(wait)))


def get_request(job_id: str, wait: float | None) -> Request:
    w = clamp_wait(wait)
    return Request("GET", f"/jobs/{_id(job_id)}", params={"wait": str(w)} if w else None, wait=w)


def claim_request(item_or_id: JobItem | str, job_hash: str | None) -> Request:
    """Bind the claim to what was decided: the item's hash and snapshot, or the hash you were shown."""
    if isinstance(item_or_id, str):
        if not job_hash:
            raise ValueError("claim(job_id) needs the job_hash you decided to run; or pass the job item")
        return Request("POST", f"/jobs/{_id(item_or_id)}/claim", {"job_hash": job_hash})
    body = {"job_hash": job_hash or item_or_id["job_hash"], "policy_snapshot": item_or_id["policy_snapshot"]}
    return Request("POST", f"/jobs/{_id(item_or_id['job']['id'])}/claim", body)


def complete_request(job_id: str, outcome: Outcome, detail: str | None) -> Request:
    body: dict[str, Any] = {"outcome": outcome}
    if detail is not None:
        body["detail"] = detail
    return Request("POST", f"/jobs/{_id(job_id)}/complete", body)


def cancel_request(job_id: str, reason: str | None) -> Request:
    return Request("POST", f"/jobs/{_id(job_id)}/cancel", {} if reason is None else {"reason": reason})


# The server refuses control characters (other than tab and newline) in a detail; an exception's text
# may carry any, and the failure must still be reported.
_CONTROL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")


def failure_detail(exc: BaseException) -> str:
    text = f"{type(exc).__name__}: {exc}" if str(exc) else type(exc).__name__
    return _CONTROL.sub(" ", text)[:1000]


def pending(item: JobItem) -> bool:
    return item["job"]["state"] == "APPROVAL"


def note(exc: BaseException, text: str) -> None:
    """Attach a note to an exception where Python supports it (3.11+)."""
    add = getattr(exc, "add_note", None)
    if add is not None:
        add(text)
