"""OpenAI Agents SDK: `function_tool`, gated. The tool runs only when approved.

    from countersign.integrations.openai_agents import gated_function_tool

    @gated_function_tool(cs, topic="job.refund.issue", risk_tags=["payment"])
    def refund(order_id: str, amount: float) -> str:
        ...

    agent = Agent(name="support", tools=[refund])

Needs `pip install countersign[openai-agents]`.
"""

from __future__ import annotations

import inspect
from collections.abc import Callable, Mapping, Sequence
from typing import Any, Literal, overload

from agents import FunctionTool, RunContextWrapper, function_tool

from .._core import DEFAULT_DECISION_TIMEOUT
from ..aio import AsyncCountersign
from ..decorator import Client, PayloadArg, gated_callable, job_spec, payload_builder
from ..errors import GateError
from ..types import JobSpec

__all__ = ["gated_function_tool"]


@overload
def gated_function_tool(
    client: Client,
    func: Callable[..., Any],
    *,
    topic: str,
    risk_tags: Sequence[str] = (),
    payload: PayloadArg = None,
    title: str | None = None,
    description: str | None = None,
    labels: Mapping[str, str] | None = None,
    timeout: float = DEFAULT_DECISION_TIMEOUT,
    on_refusal: Literal["message", "raise"] = "message",
    **function_tool_kwargs: Any,
) -> FunctionTool: ...


@overload
def gated_function_tool(
    client: Client,
    func: None = None,
    *,
    topic: str,
    risk_tags: Sequence[str] = (),
    payload: PayloadArg = None,
    title: str | None = None,
    description: str | None = None,
    labels: Mapping[str, str] | None = None,
    timeout: float = DEFAULT_DECISION_TIMEOUT,
    on_refusal: Literal["message", "raise"] = "message",
    **function_tool_kwargs: Any,
) -> Callable[[Callable[..., Any]], FunctionTool]: ...


def gated_function_tool(
    client: Client,
    func: Callable[..., Any] | None = None,
    *,
    topic: str,
    risk_tags: Sequence[str] = (),
    payload: PayloadArg = None,
    title: str | None = None,
    description: str | None = None,
    labels: Mapping[str, str] | None = None,
    timeout: float = DEFAULT_DECISION_TIMEOUT,
    on_refusal: Literal["message", "raise"] = "message",
    **function_tool_kwargs: Any,
) -> FunctionTool | Callable[[Callable[..., Any]], FunctionTool]:
    """`function_tool(func, **function_tool_kwargs)` whose every call is a job: the payload is the call's
    arguments by name (the run context left out), or what `payload` says; `func` runs only once the job
    is approved and claimed, and its outcome is reported (failed if it raises; the Agents SDK then tells
    the model as it does for any tool error). A refusal is returned to the model as text, or raised with
    `on_refusal="raise"`. Usable as `@gated_function_tool(client, topic=…)` or called with `func`.
    """

    def refused(exc: GateError) -> str:
        if on_refusal == "raise":
            raise exc
        return str(exc)

    def wrap(fn: Callable[..., Any]) -> FunctionTool:
        # The run context is the SDK's, not part of the action.
        build = payload_builder(inspect.signature(fn), payload, skip=lambda v: isinstance(v, RunContextWrapper))

        def job_for(args: Sequence[Any], kwargs: Mapping[str, Any]) -> JobSpec:
            return job_spec(topic, risk_tags, build(args, kwargs), title, description, labels)

        # The SDK runs a sync tool in a thread, so a sync client may block there; an async client needs
        # an async tool.
        gated = gated_callable(
            client, fn, job_for, timeout=timeout, refused=refused, force_async=isinstance(client, AsyncCountersign)
        )
        return function_tool(gated, **function_tool_kwargs)

    return wrap if func is None else wrap(func)
