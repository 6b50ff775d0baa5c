"""Fixtures against a real Countersign server (scripts/with-server.mjs sets COUNTERSIGN_URL and
COUNTERSIGN_ADMIN_TOKEN): provisioning over the API with the admin token, a test policy, and a reviewer
who votes over the API while the code under test waits."""

from __future__ import annotations

import os
import secrets
from collections.abc import Callable, Iterator

import httpx
import pytest
from support import POLICY, Reviewer, mint_agent_token, mint_reviewer_token

from countersign import AsyncCountersign, Countersign


@pytest.fixture(scope="session")
def server_url() -> str:
    url = os.environ.get("COUNTERSIGN_URL")
    if not url or not os.environ.get("COUNTERSIGN_ADMIN_TOKEN"):
        pytest.fail("these tests need a real server: run scripts/test-python.sh (node scripts/with-server.mjs -- pytest)")
    return url


@pytest.fixture(scope="session")
def admin(server_url: str) -> Iterator[httpx.Client]:
    """The installation admin over the API (tenant `system`)."""
    token = os.environ["COUNTERSIGN_ADMIN_TOKEN"]
    with httpx.Client(base_url=f"{server_url}/api/v1", headers={"authorization": f"Bearer {token}"}, timeout=30) as c:
        res = c.put("/policy", content=POLICY, headers={"content-type": "application/yaml"})
        assert res.status_code in (200, 201), res.text
        yield c


@pytest.fixture(scope="session")
def agent_token(admin: httpx.Client) -> str:
    return mint_agent_token(admin, f"sdk-py-{secrets.token_hex(3)}")


@pytest.fixture()
def cs(server_url: str, agent_token: str) -> Iterator[Countersign]:
    with Countersign(server_url, agent_token) as client:
        yield client


@pytest.fixture()
def acs(server_url: str, agent_token: str) -> Callable[[], AsyncCountersign]:
    """An async client is made inside the test's own event loop (asyncio.run)."""
    return lambda: AsyncCountersign(server_url, agent_token)


@pytest.fixture(scope="session")
def reviewer(admin: httpx.Client, server_url: str) -> Iterator[Reviewer]:
    email, password = f"reviewer-{secrets.token_hex(4)}@example.com", secrets.token_urlsafe(16)
    res = admin.post("/admin/users", json={"email": email, "name": "SDK Reviewer", "roles": ["reviewer"], "password": password})
    assert res.status_code == 201, res.text
    token = mint_reviewer_token(admin, server_url, res.json(), password, f"reviewer-{secrets.token_hex(3)}")
    with httpx.Client(base_url=f"{server_url}/api/v1", headers={"authorization": f"Bearer {token}"}, timeout=30) as http:
        yield Reviewer(http, email)
