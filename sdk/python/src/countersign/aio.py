"""The asynchronous client: the same verbs as `Countersign`, awaited."""

from __future__ import annotations

import inspect
import time
from collections.abc import Awaitable, Callable
from typing import Any, TypeVar, cast, overload

import httpx

from . import _core
from ._core import DEFAULT_DECISION_TIMEOUT, DEFAULT_TIMEOUT, Request
from .errors import gate_error_for
from .types import Grant, JobItem, JobSpec, Outcome

T = TypeVar("T")


class AsyncCountersign:
    """`Countersign` for asyncio. Pass `http_client` to bring your own httpx.AsyncClient (not closed by
    `aclose()`)."""

    def __init__(
        self,
        base_url: str,
        token: str,
        *,
        timeout: float | httpx.Timeout | None = DEFAULT_TIMEOUT,
        http_client: httpx.AsyncClient | None = None,
    ) -> None:
        self._base = _core.api_base(base_url)
        self._headers = _core.default_headers(token)
        self._timeout = timeout
        self._owned = http_client is None
        self._http = http_client or httpx.AsyncClient(timeout=timeout)

    async def aclose(self) -> None:
        if self._owned:
            await self._http.aclose()

    async def __aenter__(self) -> AsyncCountersign:
        return self

    async def __aexit__(self, *exc: object) -> None:
        await self.aclose()

    async def _send(self, r: Request) -> Any:
        res = await self._http.request(
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

    async def submit(self, job: JobSpec, idempotency_key: str | None = None, claim: bool = False) -> JobItem:
        """See `Countersign.submit`."""
        return cast(JobItem, await self._send(_core.submit_request(job, idempotency_key, claim)))

    async def get(self, id: str, wait: float | None = None) -> JobItem:
        """See `Countersign.get`."""
        return cast(JobItem, await self._send(_core.get_request(id, wait)))

    async def wait_for_decision(self, id: str, timeout: float = DEFAULT_DECISION_TIMEOUT) -> JobItem:
        """See `Countersign.wait_for_decision`."""
        deadline = time.monotonic() + timeout
        while True:
            left = deadline - time.monotonic()
            item = await self.get(id, wait=max(1.0, min(float(_core.MAX_WAIT), left)))
            if not _core.pending(item) or time.monotonic() >= deadline:
                return item

    async def claim(self, item_or_id: JobItem | str, job_hash: str | None = None) -> Grant:
        """See `Countersign.claim`."""
        return cast(Grant, await self._send(_core.claim_request(item_or_id, job_hash)))

    async def complete(self, id: str, outcome: Outcome, detail: str | None = None) -> JobItem:
        """See `Countersign.complete`."""
        return cast(JobItem, await self._send(_core.complete_request(id, outcome, detail)))

    async def cancel(self, id: str, reason: str | None = None) -> JobItem:
        """See `Countersign.cancel`."""
        return cast(JobItem, await self._send(_core.cancel_request(id, reason)))

    async def authorize(
        self, job: JobSpec, *, idempotency_key: str | None = None, timeout: float = DEFAULT_DECISION_TIMEOUT
    ) -> Grant:
        """See `Countersign.authorize`."""
        item = await self.submit(job, idempotency_key=idempotency_key)
        if _core.pending(item):
            item = await self.wait_for_decision(item["job"]["id"], timeout=timeout)
        refused = gate_error_for(item)
        if refused:
            raise refused
        return await self.claim(item)

    @overload
    async def gate(
        self, job: JobSpec, fn: Callable[[Grant], Awaitable[T]], *, idempotency_key: str | None = ..., timeout: float = ...
    ) -> T: ...

    @overload
    async def gate(
        self, job: JobSpec, fn: Callable[[Grant], T], *, idempotency_key: str | None = ..., timeout: float = ...
    ) -> T: ...

    async def gate(
        self,
        job: JobSpec,
        fn: Callable[[Grant], Any],
        *,
        idempotency_key: str | None = None,
        timeout: float = DEFAULT_DECISION_TIMEOUT,
    ) -> Any:
        """See `Countersign.gate`; `fn` may be sync or async."""
        grant = await self.authorize(job, idempotency_key=idempotency_key, timeout=timeout)
        token = _core._current_grant.set(grant)
        try:
            result = fn(grant)
            if inspect.isawaitable(result):
                result = await result
        except BaseException as exc:
            await self._report_failure(grant["job_id"], exc)
            raise
        finally:
            _core._current_grant.reset(token)
        await self.complete(grant["job_id"], "succeeded")
        return result

    async def _report_failure(self, job_id: str, exc: BaseException) -> None:
        try:
            await self.complete(job_id, "failed", _core.failure_detail(exc))
        except Exception as report:  # noqa: BLE001
            _core.note(exc, f"countersign: reporting the failure of {job_id} failed too: {report}")
