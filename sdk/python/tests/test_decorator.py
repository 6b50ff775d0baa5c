"""`@gated` on sync and async functions: the call's arguments are the payload, the call runs only once
approved."""

from __future__ import annotations

import asyncio
import dataclasses
import enum
from collections.abc import Callable
from typing import Any

import pytest
from support import Reviewer, unique

from countersign import AsyncCountersign, Countersign, DeniedError, RejectedError, current_grant, gated
from countersign.decorator import json_safe


class Env(enum.Enum):
    PROD = "prod"


@dataclasses.dataclass
class Target:
    host: str
    port: int


def test_sync_decorator_payload_is_the_arguments(cs: Countersign) -> None:
    runs: list[str] = []

    @gated(cs, topic=unique("sdk.read"), risk_tags=["write"])
    def restart(service: str, target: Target, env: Env = Env.PROD, *, force: bool = False, **extra: Any) -> str:
        """Restart a service."""
        grant = current_grant()
        assert grant is not None
        runs.append(grant["job_id"])
        return f"restarted {service}"

    assert restart.__name__ == "restart" and restart.__doc__ == "Restart a service."
    assert restart("api", Target("h", 1), note="x") == "restarted api"
    item = cs.get(runs[0])
    assert item["job"]["state"] == "SUCCEEDED" and item["job"]["risk_tags"] == ["write"]
    assert item["job"]["payload"] == {
        "service": "api",
        "target": {"host": "h", "port": 1},
        "env": "prod",
        "force": False,
        "note": "x",
    }


def test_sync_decorator_waits_for_a_person(cs: Countersign, reviewer: Reviewer) -> None:
    topic = unique("sdk.review")

    @gated(cs, topic=topic, payload=lambda amount, **_: {"amount_cents": amount * 100}, title="Refund", timeout=30)
    def refund(amount: int, order: object = None) -> int:
        return amount

    decider = reviewer.decide_when_pending(topic)
    assert refund(5, order=object()) == 5
    decider.result()

    decider = reviewer.decide_when_pending(topic, "reject", "no refunds today")
    with pytest.raises(RejectedError, match="no refunds today"):
        refund(6)
    decider.result()


def test_sync_decorator_denied_never_runs(cs: Countersign) -> None:
    @gated(cs, topic=unique("sdk.deny"))
    def drop(name: str) -> None:
        pytest.fail("ran")

    with pytest.raises(DeniedError):
        drop("prod")


def test_method_payload_leaves_self_out(cs: Countersign) -> None:
    ids: list[str] = []

    class Ops:
        @gated(cs, topic=unique("sdk.read"))
        def scale(self, replicas: int) -> int:
            ids.append(current_grant()["job_id"])  # type: ignore[index]
            return replicas

    assert Ops().scale(3) == 3
    assert cs.get(ids[0])["job"]["payload"] == {"replicas": 3}


def test_async_decorator_with_either_client(cs: Countersign, acs: Callable[[], AsyncCountersign], reviewer: Reviewer) -> None:
    topic = unique("sdk.review")

    async def main() -> None:
        async with acs() as client:
            ids: list[str] = []

            @gated(client, topic=topic, timeout=30)
            async def rotate(key_id: str, dry_run: bool = False) -> dict[str, Any]:
                ids.append(current_grant()["job_id"])  # type: ignore[index]
                await asyncio.sleep(0)
                return {"rotated": key_id}

            decider = reviewer.decide_when_pending(topic)
            assert await rotate("k1") == {"rotated": "k1"}
            decider.result()
            assert (await client.get(ids[0]))["job"]["payload"] == {"key_id": "k1", "dry_run": False}

            # A sync client from async code: its waiting happens in a thread, the loop stays free.
            @gated(cs, topic=unique("sdk.read"))
            async def fail() -> None:
                ids.append(current_grant()["job_id"])  # type: ignore[index]
                raise OSError("gone")

            with pytest.raises(OSError):
                await fail()
            assert cs.get(ids[1])["job"]["state"] == "FAILED"

    asyncio.run(main())


def test_sync_function_needs_a_sync_client(acs: Callable[[], AsyncCountersign]) -> None:
    with pytest.raises(TypeError):

        @gated(acs(), topic="sdk.read.x")
        def nope() -> None: ...


def test_json_safe() -> None:
    assert json_safe({"s": {3, 1}, "t": (1, "a"), "e": Env.PROD}) == {"s": [1, 3], "t": [1, "a"], "e": "prod"}
    with pytest.raises(TypeError, match="payload.x"):
        json_safe({"x": object()}, "payload")
