"""The async client: the same verbs and gate, awaited (each test runs its own event loop)."""

from __future__ import annotations

import asyncio
from collections.abc import Callable

import pytest
from support import Reviewer, unique

from countersign import ApiError, AsyncCountersign, DeniedError, ExpiredError, Grant, RejectedError, current_grant

Make = Callable[[], AsyncCountersign]


def test_async_verbs(acs: Make) -> None:
    async def main() -> None:
        async with acs() as cs:
            item = await cs.submit({"topic": unique("sdk.read"), "payload": {"n": 1}})
            assert item["job"]["state"] == "APPROVED"
            got = await cs.get(item["job"]["id"], wait=5)  # not pending: answers at once
            assert got["job_hash"] == item["job_hash"]
            await cs.claim(item)
            with pytest.raises(ApiError) as second:
                await cs.claim(item)
            assert second.value.code == "already_claimed" and second.value.status == 409
            assert (await cs.complete(item["job"]["id"], "failed", "it broke"))["job"]["state"] == "FAILED"

    asyncio.run(main())


def test_async_approved_by_a_person(acs: Make, reviewer: Reviewer) -> None:
    topic = unique("sdk.review")

    async def main() -> None:
        async with acs() as cs:
            item = await cs.submit({"topic": topic, "payload": {}})
            decider = reviewer.decide_when_pending(topic)
            decided = await cs.wait_for_decision(item["job"]["id"], timeout=30)
            decider.result()
            assert decided["job"]["state"] == "APPROVED"
            assert (await cs.claim(decided))["job_id"] == item["job"]["id"]

    asyncio.run(main())


def test_async_gate(acs: Make, reviewer: Reviewer) -> None:
    async def main() -> None:
        async with acs() as cs:
            seen: list[Grant] = []

            async def act(grant: Grant) -> int:
                seen.append(grant)
                assert current_grant() == grant
                await asyncio.sleep(0)
                return 7

            assert await cs.gate({"topic": unique("sdk.read"), "payload": {}}, act) == 7
            assert (await cs.get(seen[0]["job_id"]))["job"]["state"] == "SUCCEEDED"

            async def boom(grant: Grant) -> None:
                seen.append(grant)
                raise ValueError("no")

            with pytest.raises(ValueError):
                await cs.gate({"topic": unique("sdk.read"), "payload": {}}, boom)
            assert (await cs.get(seen[1]["job_id"]))["job"]["state"] == "FAILED"

            with pytest.raises(DeniedError):
                await cs.gate({"topic": unique("sdk.deny"), "payload": {}}, boom)

            topic = unique("sdk.review")
            decider = reviewer.decide_when_pending(topic, "reject")
            with pytest.raises(RejectedError):
                await cs.gate({"topic": topic, "payload": {}}, boom, timeout=30)
            decider.result()

            with pytest.raises(ExpiredError):
                await cs.gate({"topic": unique("sdk.expire"), "payload": {}}, boom, timeout=30)

    asyncio.run(main())
