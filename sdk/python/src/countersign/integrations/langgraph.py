"""LangGraph / LangChain: a tool that runs only when approved, usable in `ToolNode` like any other.

    from countersign.integrations.langgraph import gated_tool
    deploy = gated_tool(cs, deploy_tool, topic="job.deploy.api", risk_tags=["prod", "write"])
    graph.add_node("tools", ToolNode([deploy]))

Needs `pip install countersign[langgraph]`.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from typing import Any, Literal

from langchain_core.runnables import RunnableConfig
from langchain_core.tools import BaseTool, StructuredTool
from langchain_core.tools import tool as as_tool

from .._core import DEFAULT_DECISION_TIMEOUT
from ..client import Countersign
from ..decorator import Client, gate_async, job_spec, json_safe
from ..errors import GateError
from ..types import Grant

__all__ = ["gated_tool"]


def _model_fields(tool: BaseTool) -> set[str] | None:
    """The arguments the model supplies (injected ones, such as graph state, are not the action)."""
    schema = tool.tool_call_schema
    if isinstance(schema, dict):
        props = schema.get("properties")
    else:  # a pydantic model class, v2 or v1
        json_schema = getattr(schema, "model_json_schema", None) or schema.schema
        props = json_schema().get("properties")
    return set(props) if isinstance(props, dict) else None


def gated_tool(
    client: Client,
    tool: BaseTool | Callable[..., Any],
    *,
    topic: str,
    risk_tags: Sequence[str] = (),
    payload: None | Mapping[str, Any] | Callable[[dict[str, Any]], Mapping[str, Any]] = None,
    title: str | None = None,
    description: str | None = None,
    labels: Mapping[str, str] | None = None,
    timeout: float = DEFAULT_DECISION_TIMEOUT,
    on_refusal: Literal["message", "raise"] = "message",
) -> StructuredTool:
    """The same tool (name, description, arguments), gated call by call: each call becomes a job whose
    payload is the tool call's arguments (or `payload(args)`); the wrapped tool runs only once approved
    and claimed, and its outcome is reported (failed if it raises). A refusal (denied, rejected,
    expired, cancelled, still pending) is returned to the model as text, or raised with
    `on_refusal="raise"`. With a `Countersign` client the tool works in `invoke` and `ainvoke`; with an
    `AsyncCountersign`, in `ainvoke` only.
    """
    base = tool if isinstance(tool, BaseTool) else as_tool(tool)
    fields = _model_fields(base)

    def job_for(args: dict[str, Any]) -> Any:
        if payload is None:
            body = {k: v for k, v in args.items() if fields is None or k in fields}
        else:
            body = dict(payload(args) if callable(payload) else payload)
        return job_spec(topic, risk_tags, json_safe(body), title, description, labels)

    def refused(exc: GateError) -> str:
        if on_refusal == "raise":
            raise exc
        return str(exc)

    async def arun(config: RunnableConfig, **kwargs: Any) -> Any:
        async def call(_grant: Grant) -> Any:
            return await base.ainvoke(kwargs, config)

        try:
            return await gate_async(client, job_for(kwargs), call, timeout=timeout)
        except GateError as exc:
            return refused(exc)

    run: Callable[..., Any] | None = None
    if isinstance(client, Countersign):
        sync_client = client

        def run(config: RunnableConfig, **kwargs: Any) -> Any:
            try:
                return sync_client.gate(job_for(kwargs), lambda _grant: base.invoke(kwargs, config), timeout=timeout)
            except GateError as exc:
                return refused(exc)

    return StructuredTool(
        name=base.name,
        description=base.description,
        args_schema=base.args_schema if base.args_schema is not None else base.get_input_schema(),
        func=run,
        coroutine=arun,
        return_direct=base.return_direct,
        metadata={**(base.metadata or {}), "countersign_topic": topic},
        tags=base.tags,
    )
