"""Helpers for the tests: the test policy, provisioning over the API, a reviewer voting over the API."""

from __future__ import annotations

import secrets
import threading
import time
from typing import Any

import httpx

POLICY = """\
version: v1
defaults:
  decision: require_approval
  approvers: { roles: [reviewer], count: 1 }
rules:
  - id: sdk-allow
    match: { topics: ["sdk.read.**"] }
    decision: allow
  - id: sdk-review
    match: { topics: ["sdk.review.**"] }
    decision: require_approval
    reason: "SDK tests: a person decides"
  - id: sdk-expire
    match: { topics: ["sdk.expire.**"] }
    decision: require_approval
    reason: "SDK tests: nobody decides in time"
    cutoff: 2s
  - id: sdk-deny
    match: { topics: ["sdk.deny.**"] }
    decision: deny
    reason: "SDK tests: never from an agent"
"""

AGENT_SCOPES = ["jobs:submit", "jobs:read", "jobs:execute"]


def unique(prefix: str) -> str:
    """A topic no other test uses, under one of the policy's globs."""
    return f"{prefix}.t{secrets.token_hex(5)}"


def mint_agent_token(admin: httpx.Client, name: str) -> str:
    res = admin.post("/admin/tokens", json={"kind": "agent", "name": name, "scopes": AGENT_SCOPES})
    assert res.status_code == 201, res.text
    return str(res.json()["token"])


def mint_reviewer_token(admin: httpx.Client, server_url: str, user: dict[str, str], password: str, name: str) -> str:
    """The one place a reviewer's voting token is minted. An admin may mint it where the server allows;
    where only the person may mint a token that approves (DESIGN.md §4, "who may mint what"), they sign in
    with their password and mint it with that session, as in the console."""
    body = {"kind": "user", "name": name, "user_id": user["id"], "scopes": ["approvals:read", "approvals:resolve"]}
    res = admin.post("/admin/tokens", json=body)
    if res.status_code == 201:
        return str(res.json()["token"])
    with httpx.Client(base_url=server_url, timeout=30, headers={"origin": server_url}) as web:
        csrf = web.get("/api/auth/csrf").json()["csrfToken"]
        form = {"csrfToken": csrf, "email": user["email"], "password": password, "callbackUrl": f"{server_url}/queue"}
        web.post("/api/auth/callback/credentials", data=form)
        assert any(c.startswith("authjs.session-token") for c in web.cookies), f"sign-in as {user['email']} failed"
        own = web.post("/api/v1/admin/tokens", json=body)
        assert own.status_code == 201, f"the admin was refused ({res.text}) and so was the person ({own.text})"
        return str(own.json()["token"])


class Reviewer:
    """A person with the `reviewer` role, voting over the API with their own token."""

    def __init__(self, http: httpx.Client, email: str) -> None:
        self.http = http
        self.email = email

    def pending(self, topic: str) -> list[dict[str, Any]]:
        res = self.http.get("/approvals", params={"topic": topic})
        assert res.status_code == 200, res.text
        return [i for i in res.json()["items"] if i["job"]["topic"] == topic]

    def vote(self, verb: str, job_id: str, reason: str) -> dict[str, Any]:
        res = self.http.post(f"/approvals/{job_id}/{verb}", json={"reason": reason})
        assert res.status_code == 200, res.text
        return dict(res.json())

    def approve(self, job_id: str, reason: str = "looks right") -> dict[str, Any]:
        return self.vote("approve", job_id, reason)

    def reject(self, job_id: str, reason: str = "not today") -> dict[str, Any]:
        return self.vote("reject", job_id, reason)

    def decide_when_pending(
        self, topic: str, verb: str = "approve", reason: str = "checked over the API", within: float = 20
    ) -> Decider:
        """In the background: wait for a job on `topic` to reach the queue, then vote on it."""
        return Decider(self, topic, verb, reason, within)


class Decider(threading.Thread):
    def __init__(self, reviewer: Reviewer, topic: str, verb: str, reason: str, within: float) -> None:
        super().__init__(daemon=True)
        self.reviewer, self.topic, self.verb, self.reason, self.within = reviewer, topic, verb, reason, within
        self.voted: dict[str, Any] | None = None
        self.error: BaseException | None = None
        self.start()

    def run(self) -> None:
        try:
            deadline = time.monotonic() + self.within
            while time.monotonic() < deadline:
                items = self.reviewer.pending(self.topic)
                if items:
                    self.voted = self.reviewer.vote(self.verb, items[0]["job"]["id"], self.reason)
                    return
                time.sleep(0.1)
            raise AssertionError(f"no job on {self.topic} reached the queue within {self.within}s")
        except BaseException as exc:  # noqa: BLE001 (reported by result())
            self.error = exc

    def result(self) -> dict[str, Any]:
        self.join(self.within + 5)
        if self.error:
            raise self.error
        assert self.voted is not None
        return self.voted
