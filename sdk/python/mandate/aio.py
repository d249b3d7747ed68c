"""The asyncio client: the same as :mod:`mandate.client`, awaited."""
from __future__ import annotations

import asyncio
import time
from typing import Any, Callable, Dict, Optional, Tuple

import httpx

from . import _protocol as protocol
from .errors import MandateError
from .retry import RetryPolicy, parse_retry_after, worth_another
from .tokens import AccessToken, Credentials, DpopKey


class AsyncMandateClient:
    """:class:`mandate.client.MandateClient` for asyncio: one renewal however many tasks ask at once::

        async with AsyncMandateClient("https://auth.example.com", ClientSecret("agt_...", api_key)) as mandate:
            response = await mandate.request("GET", "https://crm.example.com/contacts")
    """

    def __init__(self, issuer: str, credentials: Credentials, *, token_endpoint: Optional[str] = None,
                 dpop: Optional[DpopKey] = None, scope: Optional[str] = None, resource: Optional[str] = None,
                 retry: RetryPolicy = RetryPolicy(), renew_before: float = 60.0,
                 http: Optional[httpx.AsyncClient] = None, clock: Callable[[], float] = time.time) -> None:
        self.issuer = issuer.rstrip("/")
        self.credentials = credentials
        self.dpop = dpop
        self.scope = scope
        self.resource = resource
        self.retry = retry
        self.renew_before = renew_before
        self._http = http or httpx.AsyncClient(timeout=30.0)
        self._clock = clock
        self._token_endpoint = token_endpoint
        self._slots: Dict[Tuple[str, ...], "_Slot"] = {}
        self.token_requests = 0

    async def token(self, scope: Optional[str] = None, resource: Optional[str] = None) -> AccessToken:
        """A client_credentials token (the configured scope and resource by default), from the cache while fresh."""
        scope, resource = scope or self.scope, resource or self.resource
        slot = self._slot(("cc", scope or "", resource or ""), protocol.client_credentials(scope, resource))
        return await slot.get()

    async def access_token(self) -> str:
        return (await self.token()).value

    async def exchange(self, delegation_token: str, scope: Optional[str] = None,
                       resource: Optional[str] = None) -> AccessToken:
        """An access token for what a person lent this agent (RFC 8693), kept and renewed like any other."""
        return await self._slot(("te", delegation_token, scope or "", resource or ""),
                                protocol.exchange(delegation_token, scope, resource)).get()

    async def request(self, method: str, url: str, *, token: Optional[AccessToken] = None,
                      **kwargs: Any) -> httpx.Response:
        """Calls an API with the token (``Authorization`` and, when bound, ``DPoP``); ``kwargs`` go to httpx.

        Answers an API's ``use_dpop_nonce`` once, and on ``invalid_token`` renews the token and tries once more.
        """
        used = token or await self.token()
        method = method.upper()
        response = await self._call_api(method, url, used, kwargs)
        challenge = protocol.challenge(response.status_code, response.headers)
        if "use_dpop_nonce" in challenge and self.dpop is not None:
            response = await self._call_api(method, url, used, kwargs)
        elif "invalid_token" in challenge:
            for slot in list(self._slots.values()):
                if slot.holds(used):
                    await slot.forget(used)
                    renewed = await slot.get()
                    if renewed.value != used.value:
                        response = await self._call_api(method, url, renewed, kwargs)
                    break
        return response

    async def close(self) -> None:
        await self._http.aclose()

    async def __aenter__(self) -> "AsyncMandateClient":
        return self

    async def __aexit__(self, *exc: Any) -> None:
        await self.close()

    async def _call_api(self, method: str, url: str, token: AccessToken, kwargs: Dict[str, Any]) -> httpx.Response:
        extra = dict(kwargs.get("headers") or {})
        rest = {name: value for name, value in kwargs.items() if name != "headers"}

        def build() -> httpx.Request:
            headers = dict(extra)
            headers.update(protocol.api_headers(token, self.dpop, method, url))
            return self._http.build_request(method, url, headers=headers, **rest)

        response = await self._send(build, method in protocol.REPEATABLE)
        if self.dpop is not None:
            self.dpop.remember_nonce(url, response.headers.get("dpop-nonce"))
        return response

    def _slot(self, key: Tuple[str, ...], params: Dict[str, str]) -> "_Slot":
        slot = self._slots.get(key)
        if slot is None:
            slot = self._slots[key] = _Slot(self, params)
        return slot

    async def _endpoint(self) -> str:
        if self._token_endpoint is None:
            response = await self._send(lambda: self._http.build_request("GET", protocol.well_known(self.issuer)), True)
            metadata = protocol.json_or_error(response.status_code, response.headers, response.text)
            self._token_endpoint = protocol.token_endpoint_from(self.issuer, metadata)
        return self._token_endpoint

    async def _request_token(self, params: Dict[str, str], repeatable: bool = True) -> AccessToken:
        endpoint = await self._endpoint()

        def build() -> httpx.Request:
            headers, body = protocol.token_request(self.credentials, self.dpop, endpoint, params)
            return self._http.build_request("POST", endpoint, headers=headers, content=body)

        self.token_requests += 1
        response = await self._send(build, repeatable)
        if self.dpop is not None:
            self.dpop.remember_nonce(endpoint, response.headers.get("dpop-nonce"))
            if protocol.asks_for_token_nonce(response.status_code, response.headers, response.text):
                response = await self._send(build, repeatable)
        return protocol.token_answer(response.status_code, response.headers, response.text, self._clock())

    async def _send(self, build: Callable[[], httpx.Request], repeatable: bool) -> httpx.Response:
        attempt = 0
        while True:
            attempt += 1
            try:
                response = await self._http.send(build())
            except httpx.TransportError as e:
                wait = self.retry.delay_after(attempt) if repeatable else None
                if wait is None:
                    raise MandateError(0, "unreachable", str(e)) from e
                await asyncio.sleep(wait)
                continue
            if not worth_another(response.status_code, repeatable):
                return response
            wait = self.retry.delay_after(attempt, parse_retry_after(response.headers.get("retry-after")))
            if wait is None:
                return response
            await asyncio.sleep(wait)


class _Slot:
    """One kept token: the first task to find it stale renews it, the others wait for that renewal."""

    def __init__(self, client: AsyncMandateClient, params: Dict[str, str]) -> None:
        self._client = client
        self._params = params
        self._lock = asyncio.Lock()
        self._token: Optional[AccessToken] = None

    async def get(self) -> AccessToken:
        token = self._token
        if token is not None and token.fresh(self._client._clock(), self._client.renew_before):
            return token
        async with self._lock:
            token = self._token
            if token is not None and token.fresh(self._client._clock(), self._client.renew_before):
                return token
            self._token = await self._renew(token)
            return self._token

    def holds(self, token: AccessToken) -> bool:
        return self._token is not None and self._token.value == token.value

    async def forget(self, token: AccessToken) -> None:
        async with self._lock:
            if self.holds(token):
                self._token = None

    async def _renew(self, stale: Optional[AccessToken]) -> AccessToken:
        if stale is not None and stale.refresh_token:
            try:
                return await self._client._request_token({"grant_type": "refresh_token",
                                                    "refresh_token": stale.refresh_token}, repeatable=False)
            except MandateError as e:
                if e.error != "invalid_grant":
                    raise
        return await self._client._request_token(self._params)
