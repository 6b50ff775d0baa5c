"""The OpenAI Agents SDK integration: the FunctionTool's `on_invoke_tool` called directly with a
ToolContext, as the runner calls it (no model, no network beyond the Countersign server)."""

from __future__ import annotations

import asyncio
import json
from collections.abc import Callable
from typing import Any

import pytest
from agents import FunctionTool, RunContextWrapper
from agents.tool_context import ToolContext
from support import Reviewer, unique

from countersign import AsyncCountersign, Countersign, RejectedError, current_grant
from countersign.integrations.openai_agents import gated_function_tool


def invoke(tool: FunctionTool, args: dict[str, Any], context: Any = None) -> Any:
    raw = json.dumps(args)
    ctx = ToolContext(context=context, tool_name=tool.name, tool_call_id="call_1", tool_arguments=raw)

    async def run() -> Any:
        return await tool.on_invoke_tool(ctx, raw)

    return asyncio.run(run())


def test_allowed_call_runs_with_its_arguments_as_payload(cs: Countersign) -> None:
    ids: list[str] = []

    @gated_function_tool(cs, topic=unique("sdk.read"), risk_tags=["write"])
    def issue_refund(order_id: str, amount: float, currency: str = "EUR") -> str:
        """Refund an order.

        Args:
            order_id: the order
            amount: how much
            currency: ISO code
        """
        ids.append(current_grant()["job_id"])  # type: ignore[index]
        return f"refunded {amount} {currency} on {order_id}"

    assert isinstance(issue_refund, FunctionTool) and issue_refund.name == "issue_refund"
    assert set(issue_refund.params_json_schema["properties"]) == {"order_id", "amount", "currency"}
    assert invoke(issue_refund, {"order_id": "o-1", "amount": 12.5, "currency": "EUR"}) == "refunded 12.5 EUR on o-1"
    item = cs.get(ids[0])
    assert item["job"]["state"] == "SUCCEEDED"
    assert item["job"]["payload"] == {"order_id": "o-1", "amount": 12.5, "currency": "EUR"}


def test_refusals_reach_the_model_as_text(cs: Countersign, reviewer: Reviewer) -> None:
    ran: list[str] = []

    def drop_table(name: str) -> str:
        ran.append(name)
        return "dropped"

    denied = gated_function_tool(cs, drop_table, topic=unique("sdk.deny"))
    assert str(invoke(denied, {"name": "users"})).startswith("Not run: the policy denies")

    topic = unique("sdk.review")
    rejected = gated_function_tool(cs, drop_table, topic=topic, timeout=30, name_override="drop_table_reviewed")
    decider = reviewer.decide_when_pending(topic, "reject", "not in prod")
    assert "not in prod" in str(invoke(rejected, {"name": "users"}))
    decider.result()
    assert not ran

    raising = gated_function_tool(cs, drop_table, topic=topic, timeout=30, on_refusal="raise", failure_error_function=None)
    decider = reviewer.decide_when_pending(topic, "reject")
    with pytest.raises(RejectedError):
        invoke(raising, {"name": "users"})
    decider.result()


def test_async_tool_with_context_after_approval(acs: Callable[[], AsyncCountersign], reviewer: Reviewer) -> None:
    topic = unique("sdk.review")

    async def main() -> None:
        async with acs() as client:
            ids: list[str] = []

            @gated_function_tool(client, topic=topic, timeout=30)
            async def grant_access(ctx: RunContextWrapper[dict[str, str]], user: str, role: str) -> str:
                """Grant a role."""
                ids.append(current_grant()["job_id"])  # type: ignore[index]
                return f"{ctx.context['by']} granted {role} to {user}"

            assert set(grant_access.params_json_schema["properties"]) == {"user", "role"}
            raw = json.dumps({"user": "bob", "role": "admin"})
            decider = reviewer.decide_when_pending(topic)
            out = await grant_access.on_invoke_tool(
                ToolContext(context={"by": "agent"}, tool_name=grant_access.name, tool_call_id="c", tool_arguments=raw), raw
            )
            decider.result()
            assert out == "agent granted admin to bob"
            item = await client.get(ids[0])
            assert item["job"]["state"] == "SUCCEEDED" and item["job"]["payload"] == {"user": "bob", "role": "admin"}

    asyncio.run(main())


def test_a_failing_tool_is_reported_failed(cs: Countersign) -> None:
    ids: list[str] = []

    @gated_function_tool(cs, topic=unique("sdk.read"))
    def restart(service: str) -> str:
        ids.append(current_grant()["job_id"])  # type: ignore[index]
        raise RuntimeError("restart failed")

    # The Agents SDK tells the model about a tool error (its default failure function); the job is FAILED.
    assert "restart failed" in str(invoke(restart, {"service": "api"}))
    assert cs.get(ids[0])["job"]["state"] == "FAILED"
