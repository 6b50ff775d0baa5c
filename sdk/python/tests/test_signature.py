"""`verify_signature` against callbacks the real server delivers (the server must be started with
COUNTERSIGN_WEBHOOK_ALLOW=127.0.0.1, as scripts/test-python.sh does, to call a receiver on loopback)."""

from __future__ import annotations

import queue
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, HTTPServer

import httpx
import pytest
from support import unique

from countersign import SIGNATURE_HEADER, Countersign, verify_signature
from countersign.signature import sign

Delivery = tuple[str, bytes]


class Receiver:
    """A callback endpoint on loopback that keeps what it was sent, raw."""

    def __init__(self) -> None:
        self.got: queue.Queue[Delivery] = queue.Queue()
        got = self.got

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:  # noqa: N802 (http.server's name)
                body = self.rfile.read(int(self.headers.get("content-length") or 0))
                got.put((self.headers.get(SIGNATURE_HEADER) or "", body))
                self.send_response(204)
                self.end_headers()

            def log_message(self, *args: object) -> None:
                pass

        self.server = HTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}/hook"
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def next(self, job_id: str, timeout: float = 20) -> Delivery:
        """The first delivery about this job (each transition sends one)."""
        while True:
            try:
                header, body = self.got.get(timeout=timeout)
            except queue.Empty:
                pytest.fail("no callback arrived: is the server started with COUNTERSIGN_WEBHOOK_ALLOW=127.0.0.1?")
            if job_id.encode() in body:
                return header, body


@pytest.fixture()
def receiver() -> Iterator[Receiver]:
    r = Receiver()
    yield r
    r.server.shutdown()
    r.server.server_close()


def secrets_now(admin: httpx.Client) -> list[str]:
    res = admin.get("/admin/callback-secrets")
    assert res.status_code == 200, res.text
    return [s["secret"] for s in res.json()["items"]]


def delivered(cs: Countersign, receiver: Receiver) -> Delivery:
    item = cs.submit({"topic": unique("sdk.read"), "payload": {"note": "héllo"}, "callback_url": receiver.url})
    cs.claim(item)  # a transition: the server sends job.claimed to the callback
    return receiver.next(item["job"]["id"])


def test_callback_signatures_verify_and_tampering_is_refused(cs: Countersign, admin: httpx.Client, receiver: Receiver) -> None:
    header, body = delivered(cs, receiver)
    secret = secrets_now(admin)[0]
    assert header.startswith("t=") and ",v1=" in header
    assert verify_signature(secret, header, body)
    assert verify_signature([secret], header, body.decode("utf-8"))

    assert not verify_signature(secret, header, body.replace(b"claimed", b"clAimed"))
    assert not verify_signature(secret, header, body + b" ")
    v1 = header.split("v1=")[1]
    assert not verify_signature(secret, header.replace(v1, ("0" if v1[0] != "0" else "1") + v1[1:]), body)
    assert not verify_signature("whsec_not_the_secret", header, body)
    assert not verify_signature(secret, None, body)
    assert not verify_signature(secret, "", body)
    assert not verify_signature(secret, f"v1={v1}", body)  # no timestamp

    t = int(header.split(",")[0][2:])
    assert verify_signature(secret, header, body, now=t + 299)
    assert not verify_signature(secret, header, body, now=t + 301)  # a replay of an old delivery
    assert not verify_signature(secret, header, body, tolerance=10, now=t - 11)
    # Our own signing agrees with the server's, and a re-signed tampered body needs the secret.
    assert f"v1={sign(secret, t, body)}" in header


def test_rotation_sends_both_signatures(cs: Countersign, admin: httpx.Client, receiver: Receiver) -> None:
    old = secrets_now(admin)[0]
    res = admin.post("/admin/callback-secrets")
    assert res.status_code == 201, res.text
    new = res.json()["secret"]
    header, body = delivered(cs, receiver)
    assert header.count("v1=") == 2
    assert verify_signature(old, header, body)
    assert verify_signature(new, header, body)
    assert verify_signature(["whsec_other", new], header, body)
    assert not verify_signature(["whsec_other"], header, body)
