"""The SDK's own rules, without a server: webhook signatures, retries, tokens' renewal margins, JOSE, errors."""
from __future__ import annotations

import base64
import hashlib
import hmac

import pytest

from mandate import AccessToken, ApiProblem, OAuthError, RetryPolicy, WebhookVerificationError
from mandate._jose import EcKey, decode_unverified, verify_es256
from mandate.errors import MandateError, from_response
from mandate.retry import parse_retry_after
from mandate.webhooks import verify

SECRET = "whsec_" + base64.b64encode(b"k" * 32).decode()


def signed(body: bytes, msg_id: str = "msg_1", timestamp: int = 1_800_000_000) -> dict:
    mac = hmac.new(b"k" * 32, f"{msg_id}.{timestamp}.".encode() + body, hashlib.sha256).digest()
    return {"webhook-id": msg_id, "webhook-timestamp": str(timestamp),
            "webhook-signature": "v1,bm90LWl0 v1," + base64.b64encode(mac).decode()}


def test_a_genuine_delivery_verifies_and_any_change_does_not() -> None:
    body = b'{"type":"agent.verified"}'
    verify(SECRET, signed(body), body, now=1_800_000_010)
    with pytest.raises(WebhookVerificationError, match="no v1 signature"):
        verify(SECRET, signed(body), body.replace(b"verified", b"revoked"), now=1_800_000_010)
    with pytest.raises(WebhookVerificationError, match="no v1 signature"):
        verify("whsec_" + base64.b64encode(b"x" * 32).decode(), signed(body), body, now=1_800_000_010)
    with pytest.raises(WebhookVerificationError, match="tolerance"):
        verify(SECRET, signed(body), body, now=1_800_000_000 + 301)
    with pytest.raises(WebhookVerificationError, match="required"):
        verify(SECRET, {"webhook-id": "msg_1"}, body)


def test_retry_after_and_backoff() -> None:
    assert parse_retry_after("7") == 7.0
    assert parse_retry_after("Sat, 05 Dec 2026 10:00:30 GMT", now=1_796_464_800.0) == 30.0
    assert parse_retry_after("soon") is None
    policy = RetryPolicy(max_attempts=5, base_delay=0.1, max_delay=0.8)
    for attempt in range(1, 5):
        wait = policy.delay_after(attempt)
        assert wait is not None and 0 <= wait <= min(0.8, 0.1 * 2 ** (attempt - 1))
    assert policy.delay_after(5) is None, "no attempt after the last"
    assert policy.delay_after(1, retry_after=0.5) >= 0.5, "Retry-After is a floor"
    assert policy.delay_after(1, retry_after=60) is None, "longer than max_delay: not waited for"


def test_a_token_is_renewed_a_fifth_of_its_life_before_expiry_at_most_the_margin() -> None:
    token = AccessToken("t", "Bearer", 1000.0, 1100.0, [])
    assert token.fresh(1079.0, 60.0)
    assert not token.fresh(1081.0, 60.0)
    long_lived = AccessToken("t", "Bearer", 0.0, 900.0, [])
    assert long_lived.fresh(839.0, 60.0) and not long_lived.fresh(841.0, 60.0)
    assert "secret-value" not in repr(AccessToken("secret-value", "DPoP", 0.0, 1.0, []))


def test_es256_signatures_round_trip_and_tampering_fails() -> None:
    key = EcKey.generate()
    token = key.sign({"typ": "JWT"}, {"sub": "agt_1"})
    assert verify_es256(key.public_jwk(), token)
    head, payload, signature = token.split(".")
    assert not verify_es256(key.public_jwk(), f"{head}.{payload[:-2]}AA.{signature}")
    assert not verify_es256(EcKey.generate().public_jwk(), token)
    assert decode_unverified(token) == ({"typ": "JWT", "alg": "ES256"}, {"sub": "agt_1"})
    assert EcKey.from_jwk(key.private_jwk()).thumbprint() == key.thumbprint()


def test_errors_are_typed_by_their_shape() -> None:
    problem = from_response(404, {"content-type": "application/problem+json"},
                            '{"title":"Not Found","status":404,"detail":"no agent agt_x","code":"agent_not_found"}')
    assert isinstance(problem, ApiProblem) and problem.error == "agent_not_found" and problem.status == 404
    oauth = from_response(429, {"retry-after": "12"}, '{"error":"rate_limited","error_description":"slow down"}')
    assert isinstance(oauth, OAuthError) and oauth.retry_after == 12.0 and str(oauth) == "429 rate_limited: slow down"
    challenge = from_response(401, {"www-authenticate": 'DPoP error="use_dpop_nonce", error_description="nonce"'}, "")
    assert challenge.error == "use_dpop_nonce"
    bare = from_response(502, {}, "<html>bad gateway</html>")
    assert type(bare) is MandateError and bare.error == "http_502"
