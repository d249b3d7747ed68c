"""The synchronous client: an agent's tokens, kept and renewed, and calls to APIs with them."""
from __future__ import annotations

import threading
import time
from typing import Any, Callable, Dict, Optional, Tuple

import httpx

from . import _protocol as protocol
from .errors import MandateError
from .retry import RetryPolicy, parse_retry_after, worth_another
from .tokens import AccessToken, Credentials, DpopKey


class MandateClient:
    """An agent's way to Mandate, safe to share between threads.

    Gets access tokens (client credentials, or a token exchange of a person's delegation), keeps each until shortly
    before it expires, renews it with one request however many threads ask at once, and presents it to APIs with a
    DPoP proof when it is bound::

        mandate = MandateClient("https://auth.example.com", ClientSecret("agt_...", api_key), scope="crm:contacts:read")
        response = mandate.request("GET", "https://crm.example.com/contacts")
    """

    def __init__(self, issuer: str, credentials: Credentials, *, token_endpoint: Optional[str] = None,
                 dpop: Optional[DpopKey] = None, scope: Optional[str] = None, resource: Optional[str] = None,
                 retry: RetryPolicy = RetryPolicy(), renew_before: float = 60.0,
                 http: Optional[httpx.Client] = None, clock: Callable[[], float] = time.time) -> None:
        self.issuer = issuer.rstrip("/")
        self.credentials = credentials
        self.dpop = dpop
        self.scope = scope
        self.resource = resource
        self.retry = retry
        self.renew_before = renew_before
        self._http = http or httpx.Client(timeout=30.0)
        self._clock = clock
        self._token_endpoint = token_endpoint
        self._lock = threading.Lock()
        self._slots: Dict[Tuple[str, ...], "_Slot"] = {}
        self.token_requests = 0

    def token(self, scope: Optional[str] = None, resource: Optional[str] = None) -> AccessToken:
        """A client_credentials token (the configured scope and resource by default), from the cache while fresh."""
        scope, resource = scope or self.scope, resource or self.resource
        return self._slot(("cc", scope or "", resource or ""), protocol.client_credentials(scope, resource)).get()

    def access_token(self) -> str:
        return self.token().value

    def exchange(self, delegation_token: str, scope: Optional[str] = None,
                 resource: Optional[str] = None) -> AccessToken:
        """An access token for what a person lent this agent (RFC 8693), kept and renewed like any other."""
        return self._slot(("te", delegation_token, scope or "", resource or ""),
                          protocol.exchange(delegation_token, scope, resource)).get()

    def request(self, method: str, url: str, *, token: Optional[AccessToken] = None, **kwargs: Any) -> httpx.Response:
        """Calls an API with the token (``Authorization`` and, when bound, ``DPoP``); ``kwargs`` go to httpx.

        Answers an API's ``use_dpop_nonce`` once, and on ``invalid_token`` renews the token and tries once more.
        """
        used = token or self.token()
        method = method.upper()
        response = self._call_api(method, url, used, kwargs)
        challenge = protocol.challenge(response.status_code, response.headers)
        if "use_dpop_nonce" in challenge and self.dpop is not None:
            response = self._call_api(method, url, used, kwargs)
        elif "invalid_token" in challenge:
            for slot in list(self._slots.values()):
                if slot.holds(used):
                    slot.forget(used)
                    renewed = slot.get()
                    if renewed.value != used.value:
                        response = self._call_api(method, url, renewed, kwargs)
                    break
        return response

    def close(self) -> None:
        self._http.close()

    def __enter__(self) -> "MandateClient":
        return self

    def __exit__(self, *exc: Any) -> None:
        self.close()

    def _call_api(self, method: str, url: str, token: AccessToken, kwargs: Dict[str, Any]) -> httpx.Response:
        extra = dict(kwargs.get("headers") or {})
        rest = {name: value for name, value in kwargs.items() if name != "headers"}

        def build() -> httpx.Request:
            headers = dict(extra)
            headers.update(protocol.api_headers(token, self.dpop, method, url))
            return self._http.build_request(method, url, headers=headers, **rest)

        response = self._send(build, method in protocol.REPEATABLE)
        if self.dpop is not None:
            self.dpop.remember_nonce(url, response.headers.get("dpop-nonce"))
        return response

    def _slot(self, key: Tuple[str, ...], params: Dict[str, str]) -> "_Slot":
        with self._lock:
            slot = self._slots.get(key)
            if slot is None:
                slot = self._slots[key] = _Slot(self, params)
            return slot

    def _endpoint(self) -> str:
        if self._token_endpoint is None:
            response = self._send(lambda: self._http.build_request("GET", protocol.well_known(self.issuer)), True)
            metadata = protocol.json_or_error(response.status_code, response.headers, response.text)
            self._token_endpoint = protocol.token_endpoint_from(self.issuer, metadata)
        return self._token_endpoint

    def _request_token(self, params: Dict[str, str], repeatable: bool = True) -> AccessToken:
        endpoint = self._endpoint()

        def build() -> httpx.Request:
            headers, body = protocol.token_request(self.credentials, self.dpop, endpoint, params)
            return self._http.build_request("POST", endpoint, headers=headers, content=body)

        self.token_requests += 1
        response = self._send(build, repeatable)
        if self.dpop is not None:
            self.dpop.remember_nonce(endpoint, response.headers.get("dpop-nonce"))
            if protocol.asks_for_token_nonce(response.status_code, response.headers, response.text):
                response = self._send(build, repeatable)
        return protocol.token_answer(response.status_code, response.headers, response.text, self._clock())

    def _send(self, build: Callable[[], httpx.Request], repeatable: bool) -> httpx.Response:
        attempt = 0
        while True:
            attempt += 1
            try:
                response = self._http.send(build())
            except httpx.TransportError as e:
                wait = self.retry.delay_after(attempt) if repeatable else None
                if wait is None:
                    raise MandateError(0, "unreachable", str(e)) from e
                time.sleep(wait)
                continue
            if not worth_another(response.status_code, repeatable):
                return response
            wait = self.retry.delay_after(attempt, parse_retry_after(response.headers.get("retry-after")))
            if wait is None:
                return response
            time.sleep(wait)


class _Slot:
    """One kept token: the first thread to find it stale renews it, the others wait for that renewal."""

    def __init__(self, client: MandateClient, params: Dict[str, str]) -> None:
        self._client = client
        self._params = params
        self._lock = threading.Lock()
        self._token: Optional[AccessToken] = None

    def get(self) -> AccessToken:
        token = self._token
        if token is not None and token.fresh(self._client._clock(), self._client.renew_before):
            return token
        with self._lock:
            token = self._token
            if token is not None and token.fresh(self._client._clock(), self._client.renew_before):
                return token
            self._token = self._renew(token)
            return self._token

    def holds(self, token: AccessToken) -> bool:
        return self._token is not None and self._token.value == token.value

    def forget(self, token: AccessToken) -> None:
        with self._lock:
            if self.holds(token):
                self._token = None

    def _renew(self, stale: Optional[AccessToken]) -> AccessToken:
        if stale is not None and stale.refresh_token:
            try:
                return self._client._request_token({"grant_type": "refresh_token",
                                                    "refresh_token": stale.refresh_token}, repeatable=False)
            except MandateError as e:
                if e.error != "invalid_grant":
                    raise
        return self._client._request_token(self._params)
