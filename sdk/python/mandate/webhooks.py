"""Standard Webhooks verification: is a delivery genuinely from Mandate?"""
from __future__ import annotations

import base64
import hashlib
import hmac
import time
from typing import Mapping, Optional, Union


class WebhookVerificationError(Exception):
    """The delivery is not genuine, or too old; the message says which."""


def verify(secret: str, headers: Mapping[str, str], body: Union[bytes, str], tolerance: float = 300.0,
           now: Optional[float] = None) -> None:
    """Checks ``webhook-id``, ``webhook-timestamp`` and ``webhook-signature`` against the endpoint's secret.

    ``body`` is the raw request body, byte for byte. Raises :class:`WebhookVerificationError` unless one ``v1``
    signature matches and the timestamp is within ``tolerance`` seconds of ``now``.
    """
    lower = {name.lower(): value for name, value in headers.items()}
    msg_id, timestamp, signatures = (lower.get("webhook-id"), lower.get("webhook-timestamp"),
                                     lower.get("webhook-signature"))
    if not msg_id or not timestamp or not signatures:
        raise WebhookVerificationError("webhook-id, webhook-timestamp and webhook-signature are required")
    try:
        seconds = int(timestamp)
    except ValueError:
        raise WebhookVerificationError("webhook-timestamp is not a number of seconds") from None
    if abs((time.time() if now is None else now) - seconds) > tolerance:
        raise WebhookVerificationError("webhook-timestamp is outside the tolerance (a replay?)")
    key = base64.b64decode(secret[len("whsec_"):] if secret.startswith("whsec_") else secret)
    payload = body if isinstance(body, bytes) else body.encode("utf-8")
    expected = hmac.new(key, f"{msg_id}.{seconds}.".encode("utf-8") + payload, hashlib.sha256).digest()
    for entry in signatures.split():
        version, _, value = entry.partition(",")
        if version == "v1":
            try:
                if hmac.compare_digest(expected, base64.b64decode(value)):
                    return
            except ValueError:
                continue
    raise WebhookVerificationError("no v1 signature matches the secret")
