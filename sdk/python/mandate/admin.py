"""The administrative calls (AgentAuth's register, verify, refresh, revoke, list, activity, webhooks), sync and async.

Each call is described once in :class:`_AdminCalls`; :class:`Admin` runs it with httpx.Client and returns the
answer, :class:`AsyncAdmin` with httpx.AsyncClient and returns an awaitable of it.
"""
from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any, Dict, List, Mapping, Optional
from urllib.parse import urlsplit

import httpx

from . import _protocol as protocol

_SERVICES = {"token": 0, "identity": 1, "delegation": 2, "audit": 3, "webhook": 4}


@dataclass(frozen=True)
class Call:
    method: str
    service: str
    path: str
    body: Optional[Mapping[str, Any]] = None
    query: Optional[Mapping[str, Any]] = None
    authenticated: bool = True


def endpoint(url: str, service: str, overrides: Mapping[str, str]) -> str:
    """Where a service answers: its own URL, else ``url`` (a gateway); on loopback, the next ports (the local stack)."""
    if service in overrides:
        return overrides[service].rstrip("/")
    parts = urlsplit(url.rstrip("/"))
    if service != "token" and parts.port and parts.hostname in ("localhost", "127.0.0.1", "::1"):
        return f"{parts.scheme}://{parts.hostname}:{parts.port + _SERVICES[service]}"
    return url.rstrip("/")


class _AdminCalls:
    """The calls; ``_call`` runs one."""

    def _call(self, call: Call) -> Any:
        raise NotImplementedError

    def create_tenant(self, name: str) -> Any:
        """Platform admin: a new tenant."""
        return self._call(Call("POST", "identity", "/v1/tenants", {"name": name}))

    def register_agent(self, name: str, owner_email: str, permissions: List[str], *, description: Optional[str] = None,
                       metadata: Optional[Mapping[str, Any]] = None, tier: Optional[str] = None) -> Any:
        """``{agent, credentials: {api_key}}``; the key is shown once."""
        body: Dict[str, Any] = {"name": name, "owner_email": owner_email, "permissions": permissions}
        if description is not None:
            body["description"] = description
        if metadata is not None:
            body["metadata"] = dict(metadata)
        if tier is not None:
            body["tier"] = tier
        return self._call(Call("POST", "identity", "/v1/agents", body))

    def get_agent(self, agent_id: str) -> Any:
        return self._call(Call("GET", "identity", f"/v1/agents/{agent_id}"))

    def list_agents(self, *, status: Optional[str] = None, limit: int = 50, cursor: Optional[str] = None) -> Any:
        return self._call(Call("GET", "identity", "/v1/agents", query={"status": status, "limit": limit,
                                                                        "cursor": cursor}))

    def suspend_agent(self, agent_id: str) -> Any:
        return self._call(Call("POST", "identity", f"/v1/agents/{agent_id}/suspend"))

    def reactivate_agent(self, agent_id: str) -> Any:
        return self._call(Call("POST", "identity", f"/v1/agents/{agent_id}/reactivate"))

    def revoke_agent(self, agent_id: str) -> Any:
        """For good: its tokens stop working everywhere within a second."""
        return self._call(Call("POST", "identity", f"/v1/agents/{agent_id}/revoke"))

    def add_public_key(self, agent_id: str, jwk: Mapping[str, Any]) -> Any:
        """Registers a public JWK (never send the private part) for private_key_jwt."""
        public = {name: value for name, value in jwk.items() if name not in ("d", "p", "q", "dp", "dq", "qi")}
        return self._call(Call("POST", "identity", f"/v1/agents/{agent_id}/credentials/public-keys", {"jwk": public}))

    def verify(self, agent_id: str, api_key: str, scope: Optional[str] = None) -> Any:
        """AgentAuth's verify: the agent and a token pair (with a refresh token) for its API key."""
        body = {"agent_id": agent_id, "api_key": api_key}
        if scope:
            body["scope"] = scope
        return self._call(Call("POST", "token", "/v1/auth/verify", body, authenticated=False))

    def refresh(self, refresh_token: str, scope: Optional[str] = None) -> Any:
        """A new token pair; the refresh token given is used up (a reused one ends its family)."""
        body = {"refresh_token": refresh_token}
        if scope:
            body["scope"] = scope
        return self._call(Call("POST", "token", "/v1/auth/refresh", body, authenticated=False))

    def revoke_tokens(self, agent_id: str, api_key: str) -> Any:
        """Every token the agent holds, refused from now on."""
        return self._call(Call("POST", "token", "/v1/auth/revoke-tokens", {"agent_id": agent_id, "api_key": api_key},
                               authenticated=False))

    def activity(self, agent_id: str, *, limit: int = 50) -> Any:
        """The agent's audit trail, newest first."""
        return self._call(Call("GET", "audit", f"/v1/agents/{agent_id}/activity", query={"limit": limit}))

    def create_webhook(self, url: str, events: List[str], *, description: Optional[str] = None) -> Any:
        """The endpoint and its signing secret (``whsec_…``, shown once)."""
        body: Dict[str, Any] = {"url": url, "events": events}
        if description is not None:
            body["description"] = description
        return self._call(Call("POST", "webhook", "/v1/webhooks", body))

    def list_webhooks(self) -> Any:
        return self._call(Call("GET", "webhook", "/v1/webhooks"))

    def test_webhook(self, webhook_id: str) -> Any:
        return self._call(Call("POST", "webhook", f"/v1/webhooks/{webhook_id}/test"))

    def delete_webhook(self, webhook_id: str) -> Any:
        return self._call(Call("DELETE", "webhook", f"/v1/webhooks/{webhook_id}"))


class _Settings:
    def __init__(self, url: str, token: Optional[str], tenant: Optional[str], services: Optional[Mapping[str, str]]):
        self.url = url
        self.token = token
        self.tenant = tenant
        self.services = dict(services or {})

    def request(self, http: Any, call: Call) -> Any:
        headers = {"Accept": "application/json"}
        if call.authenticated:
            if not self.token:
                raise ValueError("this call needs a token (a person's, or the platform admin's)")
            headers["Authorization"] = f"Bearer {self.token}"
        if self.tenant:
            headers["Mandate-Tenant"] = self.tenant
        query = {k: v for k, v in (call.query or {}).items() if v is not None}
        return http.build_request(call.method, endpoint(self.url, call.service, self.services) + call.path,
                                  headers=headers, params=query or None,
                                  content=None if call.body is None else json.dumps(call.body).encode("utf-8"))


def _answer(response: httpx.Response) -> Any:
    return protocol.json_or_error(response.status_code, response.headers, response.text)


class Admin(_AdminCalls):
    """The administrative calls as a person or the platform admin (``token``), in ``tenant`` when given."""

    def __init__(self, url: str, token: Optional[str] = None, *, tenant: Optional[str] = None,
                 services: Optional[Mapping[str, str]] = None, http: Optional[httpx.Client] = None) -> None:
        self._settings = _Settings(url, token, tenant, services)
        self._http = http or httpx.Client(timeout=30.0, headers={"Content-Type": "application/json"})

    def _call(self, call: Call) -> Any:
        return _answer(self._http.send(self._settings.request(self._http, call)))

    def close(self) -> None:
        self._http.close()


class AsyncAdmin(_AdminCalls):
    """:class:`Admin` for asyncio: every call returns an awaitable."""

    def __init__(self, url: str, token: Optional[str] = None, *, tenant: Optional[str] = None,
                 services: Optional[Mapping[str, str]] = None, http: Optional[httpx.AsyncClient] = None) -> None:
        self._settings = _Settings(url, token, tenant, services)
        self._http = http or httpx.AsyncClient(timeout=30.0, headers={"Content-Type": "application/json"})

    async def _call(self, call: Call) -> Any:  # type: ignore[override]
        return _answer(await self._http.send(self._settings.request(self._http, call)))

    async def close(self) -> None:
        await self._http.aclose()
