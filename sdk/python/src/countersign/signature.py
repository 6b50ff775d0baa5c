"""Verify a callback: the `Countersign-Signature` header, as lib/services/outbox/signature.ts makes it.

    Countersign-Signature: t=<unix seconds>,v1=<hex HMAC-SHA256 of "<t>.<raw body>">[,v1=<hex>]

Two v1 values appear while a secret rotation overlaps (one per valid secret).
"""

from __future__ import annotations

import hashlib
import hmac
import re
import time
from collections.abc import Iterable

HEADER = "Countersign-Signature"
_HEX64 = re.compile(r"^[0-9a-f]{64}$")
_INT = re.compile(r"^-?\d{1,15}$")


def sign(secret: str, t: int, body: bytes | str) -> str:
    """The hex v1 signature of a body at time `t` (what the server computes)."""
    raw = body.encode("utf-8") if isinstance(body, str) else body
    return hmac.new(secret.encode("utf-8"), f"{t}.".encode("ascii") + raw, hashlib.sha256).hexdigest()


def verify_signature(
    secret_or_secrets: str | Iterable[str],
    header: str | None,
    body: bytes | str,
    tolerance: float = 300,
    *,
    now: float | None = None,
) -> bool:
    """True when `header` carries a v1 made with one of the secrets over exactly these body bytes, with a
    timestamp within `tolerance` seconds of now (an old delivery replayed is refused). Pass the raw
    request body, before any JSON parsing."""
    if not header:
        return False
    secrets = [secret_or_secrets] if isinstance(secret_or_secrets, str) else list(secret_or_secrets)
    parts = [(p.strip().split("=") + [""])[:2] for p in header.split(",")]
    t_text = next((v for k, v in parts if k == "t"), "")
    if not _INT.match(t_text):
        return False
    t = int(t_text)
    current = int(time.time()) if now is None else now
    if abs(current - t) > tolerance:
        return False
    given = [v for k, v in parts if k == "v1" and _HEX64.match(v)]
    return any(hmac.compare_digest(v, sign(s, t, body)) for s in secrets if s for v in given)
