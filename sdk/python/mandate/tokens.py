"""Access tokens, client credentials and DPoP keys: what the sync and async clients share."""
from __future__ import annotations

import base64
import time
import uuid
from dataclasses import dataclass
from typing import Any, Dict, List, Mapping, MutableMapping, Optional, Union
from urllib.parse import quote, urlsplit

from ._jose import EcKey, ath
from .errors import MandateError

DELEGATION_TOKEN_TYPE = "urn:mandate:params:oauth:token-type:delegation"
TOKEN_EXCHANGE = "urn:ietf:params:oauth:grant-type:token-exchange"


@dataclass(frozen=True)
class AccessToken:
    """A token endpoint's answer. ``repr`` never shows a token."""

    value: str
    token_type: str
    issued_at: float
    expires_at: float
    scopes: List[str]
    refresh_token: Optional[str] = None

    @classmethod
    def from_answer(cls, body: Mapping[str, Any], now: float) -> "AccessToken":
        value = body.get("access_token")
        if not isinstance(value, str):
            raise MandateError(200, "invalid_response", "the token endpoint's answer has no access_token")
        expires_in = body.get("expires_in")
        scope = body.get("scope") or ""
        return cls(value, str(body.get("token_type") or "Bearer"), now,
                   now + (float(expires_in) if isinstance(expires_in, (int, float)) else 300.0),
                   scope.split() if isinstance(scope, str) else [],
                   body.get("refresh_token") if isinstance(body.get("refresh_token"), str) else None)

    @property
    def dpop_bound(self) -> bool:
        return self.token_type.lower() == "dpop"

    @property
    def authorization(self) -> str:
        """The ``Authorization`` header value."""
        return ("DPoP " if self.dpop_bound else "Bearer ") + self.value

    def fresh(self, now: float, renew_before: float) -> bool:
        """True while more than ``min(renew_before, a fifth of its life)`` seconds of it are left."""
        margin = min(renew_before, (self.expires_at - self.issued_at) / 5)
        return now + margin < self.expires_at

    def __repr__(self) -> str:
        return (f"AccessToken({self.token_type}, expires_at={self.expires_at:.0f}, scopes={self.scopes}"
                f"{', with refresh token' if self.refresh_token else ''})")


class DpopKey:
    """The key a client proves possession of (RFC 9449): a proof per request, with each server's last nonce."""

    def __init__(self, key: Optional[EcKey] = None) -> None:
        self._key = key or EcKey.generate()
        self._nonces: Dict[str, str] = {}

    @classmethod
    def from_jwk(cls, jwk: Mapping[str, Any]) -> "DpopKey":
        return cls(EcKey.from_jwk(jwk))

    @property
    def thumbprint(self) -> str:
        return self._key.thumbprint()

    def private_jwk(self) -> Dict[str, str]:
        """To keep the key (and the tokens bound to it) across restarts."""
        return self._key.private_jwk()

    def proof(self, method: str, url: str, access_token: Optional[str] = None) -> str:
        parts = urlsplit(url)
        claims: Dict[str, Any] = {"jti": str(uuid.uuid4()), "htm": method.upper(),
                                  "htu": f"{parts.scheme}://{parts.netloc}{parts.path or '/'}", "iat": int(time.time())}
        nonce = self._nonces.get(_origin(url))
        if nonce:
            claims["nonce"] = nonce
        if access_token is not None:
            claims["ath"] = ath(access_token)
        return self._key.sign({"typ": "dpop+jwt", "jwk": self._key.public_jwk()}, claims)

    def remember_nonce(self, url: str, nonce: Optional[str]) -> None:
        if nonce:
            self._nonces[_origin(url)] = nonce


def _origin(url: str) -> str:
    parts = urlsplit(url)
    return f"{parts.scheme}://{parts.netloc}"


class ClientSecret:
    """The agent id and its API key, sent as HTTP Basic (client_secret_basic)."""

    def __init__(self, client_id: str, secret: str) -> None:
        if not client_id or not secret:
            raise ValueError("a client id and its secret are required")
        self.client_id = client_id
        raw = f"{quote(client_id, safe='')}:{quote(secret, safe='')}".encode("utf-8")
        self._basic = "Basic " + base64.b64encode(raw).decode("ascii")

    def apply(self, headers: MutableMapping[str, str], form: MutableMapping[str, str], token_endpoint: str) -> None:
        headers["Authorization"] = self._basic

    def __repr__(self) -> str:
        return f"ClientSecret({self.client_id})"


class PrivateKeyJwt:
    """The agent id and a P-256 private key whose public JWK is registered with it (RFC 7523)."""

    def __init__(self, client_id: str, key: Union[EcKey, Mapping[str, Any]]) -> None:
        self.client_id = client_id
        self._key = key if isinstance(key, EcKey) else EcKey.from_jwk(key)

    def apply(self, headers: MutableMapping[str, str], form: MutableMapping[str, str], token_endpoint: str) -> None:
        now = int(time.time())
        assertion = self._key.sign({"typ": "JWT", "kid": self._key.thumbprint()},
                                   {"iss": self.client_id, "sub": self.client_id, "aud": token_endpoint,
                                    "jti": str(uuid.uuid4()), "iat": now, "exp": now + 60})
        form["client_id"] = self.client_id
        form["client_assertion_type"] = "urn:ietf:params:oauth:client-assertion-type:jwt-bearer"
        form["client_assertion"] = assertion

    def __repr__(self) -> str:
        return f"PrivateKeyJwt({self.client_id}, key {self._key.thumbprint()})"


Credentials = Union[ClientSecret, PrivateKeyJwt]
