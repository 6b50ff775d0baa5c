"""The synchronous client."""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import Any, TypeVar, cast

import httpx

from . import _core
from ._core import DEFAULT_DECISION_TIMEOUT, DEFAULT_TIMEOUT, Request
from .errors import gate_error_for
from .types import Grant, JobItem, JobSpec, Outcome

T = TypeVar("T")


class Countersign:
    """A client for agents and executors: submit, wait for people, claim once, report the outcome.

    `token` is an agent token (`cs_…`) with jobs:submit, jobs:read and, to claim, jobs:execute.
    Pass `http_client` to bring your own httpx.Client (it is not closed by `close()`).
    """

    def __init__(
        self,
        base_url: str,
        token: str,
        *,
        timeout: float | httpx.Timeout | None = DEFAULT_TIMEOUT,
        http_client: httpx.Client | None = None,
    ) -> None:
        self._base = _core.api_base(base_url)
        self._headers = _core.default_headers(token)
        self._timeout = timeout
        self._owned = http_client is None
        self._http = http_client or httpx.Client(timeout=timeout)

    def close(self) -> None:
        if self._owned:
            self._http.close()

    def __enter__(self) -> Countersign:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def _send(self, r: Request) -> Any:
        res = self._http.request(
            r.method,
            self._base + r.path,
            params=r.params,
            content=_core.encode(r.body) if r.body is not None else None,
            headers={
                **self._headers,
                **({"content-type": "application/json"} if r.body is not None else {}),
                **(r.headers or {}),
            },
            timeout=_core.request_timeout(self._timeout, r.wait),
        )
        return _core.parse(res)

    def submit(self, job: JobSpec, idempotency_key: str | None = None, claim: bool = False) -> JobItem:
        """Propose an action. The answer says at once whether it may run, must wait for people, or is
        denied. With `claim=True` a job the policy allows is claimed in the same request (`item["grant"]`)."""
        return cast(JobItem, self._send(_core.submit_request(job, idempotency_key, claim)))

    def get(self, id: str, wait: float | None = None) -> JobItem:
        """The job now; with `wait` (seconds, at most 55) as soon as it leaves APPROVAL within that time."""
        return cast(JobItem, self._send(_core.get_request(id, wait)))

    def wait_for_decision(self, id: str, timeout: float = DEFAULT_DECISION_TIMEOUT) -> JobItem:
        """Hold one long request at a time until the job leaves APPROVAL or `timeout` seconds pass;
        returns the job as last seen either way."""
        deadline = time.monotonic() + timeout
        while True:
            left = deadline - time.monotonic()
            item = self.get(id, wait=max(1.0, min(float(_core.MAX_WAIT), left)))
            if not _core.pending(item) or time.monotonic() >= deadline:
                return item

    def claim(self, item_or_id: JobItem | str, job_hash: str | None = None) -> Grant:
        """Claim the execution grant of an approved job, once. Pass the item you decided to run."""
        return cast(Grant, self._send(_core.claim_request(item_or_id, job_hash)))

    def complete(self, id: str, outcome: Outcome, detail: str | None = None) -> JobItem:
        """Report how the run ended: "succeeded" or "failed"."""
        return cast(JobItem, self._send(_core.complete_request(id, outcome, detail)))

    def cancel(self, id: str, reason: str | None = None) -> JobItem:
        """Withdraw a job still waiting for approval."""
        return cast(JobItem, self._send(_core.cancel_request(id, reason)))

    def authorize(self, job: JobSpec, *, idempotency_key: str | None = None, timeout: float = DEFAULT_DECISION_TIMEOUT) -> Grant:
        """Submit, wait for people, claim: the grant to run, or a GateError saying why not."""
        item = self.submit(job, idempotency_key=idempotency_key)
        if _core.pending(item):
            item = self.wait_for_decision(item["job"]["id"], timeout=timeout)
        refused = gate_error_for(item)
        if refused:
            raise refused
        return self.claim(item)

    def gate(
        self,
        job: JobSpec,
        fn: Callable[[Grant], T],
        *,
        idempotency_key: str | None = None,
        timeout: float = DEFAULT_DECISION_TIMEOUT,
    ) -> T:
        """Run `fn(grant)` only once the job is approved and claimed, then report its outcome: succeeded,
        or failed if it raises (the exception propagates). Raises DeniedError, RejectedError,
        ExpiredError, CancelledError, or PendingError when `timeout` seconds pass first."""
        grant = self.authorize(job, idempotency_key=idempotency_key, timeout=timeout)
        token = _core._current_grant.set(grant)
        try:
            result = fn(grant)
        except BaseException as exc:
            self._report_failure(grant["job_id"], exc)
            raise
        finally:
            _core._current_grant.reset(token)
        self.complete(grant["job_id"], "succeeded")
        return result

    def _report_failure(self, job_id: str, exc: BaseException) -> None:
        # The function's own exception is what the caller needs; a failed report must not replace it.
        try:
            self.complete(job_id, "failed", _core.failure_detail(exc))
        except Exception as report:  # noqa: BLE001
            _core.note(exc, f"countersign: reporting the failure of {job_id} failed too: {report}")
