"""The LangGraph integration through a real `ToolNode` in a graph, fed an AIMessage with tool calls (no
model)."""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from typing import Any

import pytest
from langchain_core.messages import AIMessage, ToolMessage
from langchain_core.tools import tool
from langgraph.graph import END, START, MessagesState, StateGraph
from langgraph.prebuilt import ToolNode
from support import Reviewer, unique

from countersign import AsyncCountersign, Countersign, DeniedError, current_grant
from countersign.integrations.langgraph import gated_tool

runs: list[dict[str, Any]] = []


@tool
def deploy(service: str, version: str = "latest") -> str:
    """Deploy a service to production."""
    grant = current_grant()
    runs.append({"service": service, "version": version, "job_id": grant and grant["job_id"]})
    return f"deployed {service}@{version}"


def graph(node: ToolNode) -> Any:
    """The smallest graph around a ToolNode: what the model asked for goes straight to the tools."""
    g = StateGraph(MessagesState)
    g.add_node("tools", node)
    g.add_edge(START, "tools")
    g.add_edge("tools", END)
    return g.compile()


def call(name: str, args: dict[str, Any], id: str = "call_1") -> dict[str, Any]:
    return {"messages": [AIMessage(content="", tool_calls=[{"name": name, "args": args, "id": id}])]}


def only_message(out: dict[str, Any]) -> ToolMessage:
    ai, msg = out["messages"]
    assert isinstance(msg, ToolMessage)
    return msg


def test_tool_node_runs_an_allowed_call(cs: Countersign) -> None:
    runs.clear()
    gated = gated_tool(cs, deploy, topic=unique("sdk.read"), risk_tags=["deploy"])
    assert gated.name == "deploy" and gated.description == deploy.description
    assert set(gated.args) == {"service", "version"}
    msg = only_message(graph(ToolNode([gated])).invoke(call("deploy", {"service": "api"})))
    assert msg.content == "deployed api@latest" and msg.tool_call_id == "call_1"
    item = cs.get(runs[0]["job_id"])
    assert item["job"]["state"] == "SUCCEEDED" and item["job"]["payload"] == {
        "service": "api",
        "version": "latest",
    }  # defaults too: what runs


def test_tool_node_waits_for_a_person(cs: Countersign, reviewer: Reviewer) -> None:
    runs.clear()
    topic = unique("sdk.review")
    node = graph(ToolNode([gated_tool(cs, deploy, topic=topic, timeout=30)]))
    decider = reviewer.decide_when_pending(topic)
    assert only_message(node.invoke(call("deploy", {"service": "db", "version": "2"}))).content == "deployed db@2"
    decider.result()

    decider = reviewer.decide_when_pending(topic, "reject", "freeze week")
    msg = only_message(node.invoke(call("deploy", {"service": "db"})))
    decider.result()
    assert "rejected" in str(msg.content) and "freeze week" in str(msg.content)
    assert len(runs) == 1


def test_refusal_as_message_or_raised(cs: Countersign) -> None:
    runs.clear()
    topic = unique("sdk.deny")
    msg = only_message(graph(ToolNode([gated_tool(cs, deploy, topic=topic)])).invoke(call("deploy", {"service": "x"})))
    assert str(msg.content).startswith("Not run: the policy denies") and not runs
    with pytest.raises(DeniedError):
        gated_tool(cs, deploy, topic=topic, on_refusal="raise").invoke({"service": "x"})


def test_a_plain_function_and_a_failure(cs: Countersign) -> None:
    ids: list[str] = []

    def rollback(release: int) -> str:
        """Roll back to a release."""
        ids.append(current_grant()["job_id"])  # type: ignore[index]
        raise RuntimeError("rollback failed")

    gated = gated_tool(cs, rollback, topic=unique("sdk.read"))
    assert gated.name == "rollback"
    with pytest.raises(RuntimeError):
        graph(ToolNode([gated], handle_tool_errors=False)).invoke(call("rollback", {"release": 41}))
    assert cs.get(ids[0])["job"]["state"] == "FAILED"
    # With ToolNode handling errors, the model is told; the job is failed all the same.
    msg = only_message(graph(ToolNode([gated], handle_tool_errors=True)).invoke(call("rollback", {"release": 42})))
    assert "rollback failed" in str(msg.content) and cs.get(ids[1])["job"]["state"] == "FAILED"


def test_async_tool_node(acs: Callable[[], AsyncCountersign], reviewer: Reviewer) -> None:
    runs.clear()
    topic = unique("sdk.review")

    @tool
    async def page(team: str) -> str:
        """Page a team."""
        runs.append({"team": team, "job_id": current_grant()["job_id"]})  # type: ignore[index]
        return f"paged {team}"

    async def main() -> None:
        async with acs() as client:
            node = graph(
                ToolNode(
                    [gated_tool(client, page, topic=topic, timeout=30), gated_tool(client, deploy, topic=unique("sdk.read"))]
                )
            )
            decider = reviewer.decide_when_pending(topic)
            out = await node.ainvoke(
                {
                    "messages": [
                        AIMessage(
                            content="",
                            tool_calls=[
                                {"name": "page", "args": {"team": "sre"}, "id": "a"},
                                {"name": "deploy", "args": {"service": "web"}, "id": "b"},
                            ],
                        )
                    ]
                }
            )
            decider.result()
            assert sorted(m.content for m in out["messages"][1:]) == ["deployed web@latest", "paged sre"]
            assert (await client.get(runs[0]["job_id"]))["job"]["state"] == "SUCCEEDED"

    asyncio.run(main())
