"""`@gated`: a function that runs only once people (or the policy) approved this very call."""

from __future__ import annotations

import asyncio
import dataclasses
import datetime
import enum
import functools
import inspect
import uuid
from collections.abc import Callable, Mapping, Sequence
from decimal import Decimal
from typing import Any, TypeVar, cast

from . import _core
from ._core import DEFAULT_DECISION_TIMEOUT
from .aio import AsyncCountersign
from .client import Countersign
from .errors import GateError
from .types import Grant, JobSpec

T = TypeVar("T")
F = TypeVar("F", bound=Callable[..., Any])
Client = Countersign | AsyncCountersign
PayloadArg = Mapping[str, Any] | Callable[..., Mapping[str, Any]] | None

# Parameters that are the object a method runs on, not what the action does.
_SKIP = {"self", "cls"}


def json_safe(value: Any, path: str = "payload") -> Any:
    """A value as JSON the reviewer can read: dataclasses, pydantic models, enums, dates, UUIDs, sets and
    tuples are converted; anything else without a JSON form is refused (pass `payload=` instead)."""
    if value is None or isinstance(value, (bool, int, str)):
        return value
    if isinstance(value, float):
        return value
    if isinstance(value, enum.Enum):
        return json_safe(value.value, path)
    if isinstance(value, Mapping):
        return {str(k): json_safe(v, f"{path}.{k}") for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [json_safe(v, f"{path}[{i}]") for i, v in enumerate(value)]
    if isinstance(value, (set, frozenset)):
        return sorted((json_safe(v, path) for v in value), key=repr)
    if isinstance(value, (datetime.datetime, datetime.date, datetime.time)):
        return value.isoformat()
    if isinstance(value, (uuid.UUID, Decimal)):
        return str(value)
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return json_safe(dataclasses.asdict(value), path)
    dump = getattr(value, "model_dump", None)  # pydantic v2
    if callable(dump):
        return json_safe(dump(mode="json"), path)
    raise TypeError(f"{path} is a {type(value).__name__}, which has no JSON form; pass payload= to @gated")


def bound_payload(
    sig: inspect.Signature, args: Sequence[Any], kwargs: Mapping[str, Any], skip: Callable[[Any], bool] = lambda v: False
) -> dict[str, Any]:
    """The call's arguments by parameter name (defaults filled in; **kwargs spread out)."""
    bound = sig.bind(*args, **kwargs)
    bound.apply_defaults()
    out: dict[str, Any] = {}
    for name, value in bound.arguments.items():
        param = sig.parameters[name]
        if name in _SKIP or skip(value):
            continue
        if param.kind is inspect.Parameter.VAR_KEYWORD:
            out.update({k: json_safe(v, f"payload.{k}") for k, v in value.items()})
        else:
            out[name] = json_safe(value, f"payload.{name}")
    return out


def job_spec(
    topic: str,
    risk_tags: Sequence[str],
    payload: dict[str, Any],
    title: str | None,
    description: str | None,
    labels: Mapping[str, str] | None,
) -> JobSpec:
    job: JobSpec = {"topic": topic, "risk_tags": list(risk_tags), "payload": payload}
    if title is not None:
        job["title"] = title
    if description is not None:
        job["description"] = description
    if labels is not None:
        job["labels"] = dict(labels)
    return job


async def gate_async(
    client: Client, job: JobSpec, fn: Callable[[Grant], Any], *, timeout: float = DEFAULT_DECISION_TIMEOUT
) -> Any:
    """`gate` from async code with either client: a sync client's blocking calls go to a thread, so the
    event loop keeps running while people decide."""
    if isinstance(client, AsyncCountersign):
        return await client.gate(job, fn, timeout=timeout)
    grant = await asyncio.to_thread(functools.partial(client.authorize, job, timeout=timeout))
    token = _core._current_grant.set(grant)
    try:
        result = fn(grant)
        if inspect.isawaitable(result):
            result = await result
    except BaseException as exc:
        await asyncio.to_thread(client._report_failure, grant["job_id"], exc)
        raise
    finally:
        _core._current_grant.reset(token)
    await asyncio.to_thread(client.complete, grant["job_id"], "succeeded")
    return result


def gated_callable(
    client: Client,
    fn: Callable[..., Any],
    job_for: Callable[[Sequence[Any], Mapping[str, Any]], JobSpec],
    *,
    timeout: float = DEFAULT_DECISION_TIMEOUT,
    refused: Callable[[GateError], Any] | None = None,
    force_async: bool = False,
) -> Callable[..., Any]:
    """`fn` gated call by call, keeping its signature. `refused` turns a refusal into a return value
    (the integrations tell the model); without it the GateError propagates. `force_async` makes a sync
    `fn` awaitable (it then runs in a thread), for async frameworks holding an AsyncCountersign."""
    is_async = inspect.iscoroutinefunction(fn)
    if is_async or force_async:

        @functools.wraps(fn)
        async def run_async(*args: Any, **kwargs: Any) -> Any:
            def call(_grant: Grant) -> Any:
                return fn(*args, **kwargs) if is_async else asyncio.to_thread(fn, *args, **kwargs)

            try:
                return await gate_async(client, job_for(args, kwargs), call, timeout=timeout)
            except GateError as exc:
                if refused is None:
                    raise
                return refused(exc)

        return run_async

    if not isinstance(client, Countersign):
        raise TypeError(f"gating the sync function {fn.__qualname__} needs a Countersign client, not an AsyncCountersign")
    sync_client = client

    @functools.wraps(fn)
    def run(*args: Any, **kwargs: Any) -> Any:
        try:
            return sync_client.gate(job_for(args, kwargs), lambda _grant: fn(*args, **kwargs), timeout=timeout)
        except GateError as exc:
            if refused is None:
                raise
            return refused(exc)

    return run


def payload_builder(
    sig: inspect.Signature, payload: PayloadArg, skip: Callable[[Any], bool] = lambda v: False
) -> Callable[[Sequence[Any], Mapping[str, Any]], dict[str, Any]]:
    """What a call's payload is: its arguments by name, or what `payload` says."""

    def build(args: Sequence[Any], kwargs: Mapping[str, Any]) -> dict[str, Any]:
        if payload is None:
            return bound_payload(sig, args, kwargs, skip)
        if callable(payload):
            return cast(dict[str, Any], json_safe(dict(payload(*args, **kwargs))))
        return cast(dict[str, Any], json_safe(dict(payload)))

    return build


def gated(
    client: Client,
    *,
    topic: str,
    risk_tags: Sequence[str] = (),
    payload: PayloadArg = None,
    title: str | None = None,
    description: str | None = None,
    labels: Mapping[str, str] | None = None,
    timeout: float = DEFAULT_DECISION_TIMEOUT,
) -> Callable[[F], F]:
    """Each call becomes a job; the function runs only when it is approved, and its outcome is reported.

    `payload` defaults to the call's arguments by name (what the reviewer sees and the grant binds);
    give a mapping, or a function of the same arguments returning one, to choose. A refused call raises
    DeniedError, RejectedError, ExpiredError, CancelledError or PendingError. Inside the call,
    `countersign.current_grant()` is the grant. Async functions work with either client; sync functions
    need a `Countersign`.
    """

    def decorate(fn: F) -> F:
        build = payload_builder(inspect.signature(fn), payload)

        def job_for(args: Sequence[Any], kwargs: Mapping[str, Any]) -> JobSpec:
            return job_spec(topic, risk_tags, build(args, kwargs), title, description, labels)

        return cast(F, gated_callable(client, fn, job_for, timeout=timeout))

    return decorate
