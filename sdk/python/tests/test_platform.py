"""The SDK against a running Mandate: tokens every way, a person's delegation, a renewal storm, typed errors, the
AgentAuth-style calls, and a real webhook delivery verified."""
from __future__ import annotations

import asyncio
import http.server
import os
import threading
import time
import uuid
from concurrent.futures import ThreadPoolExecutor
from typing import Any, Callable, Dict, List

import httpx
import pytest

from conftest import eventually, services
from mandate import (Admin, ApiProblem, AsyncAdmin, AsyncMandateClient, ClientSecret, DpopKey, MandateClient,
                     MandateError, OAuthError, PrivateKeyJwt, RetryPolicy)
from mandate._jose import EcKey, decode_unverified
from mandate.admin import endpoint
from mandate.webhooks import WebhookVerificationError, verify

pytestmark = pytest.mark.platform
PASSWORD = "correct horse battery staple"


def test_an_agent_gets_a_token_sync_and_async(url: str, agent: Callable[..., Dict[str, str]]) -> None:
    bot = agent("reports:read")
    with MandateClient(url, ClientSecret(bot["id"], bot["api_key"])) as client:
        token = client.token()
        assert token.scopes == ["reports:read"] and token.token_type == "Bearer"
        assert decode_unverified(token.value)[1]["sub"] == bot["id"]
        assert client.token() is token, "kept while fresh"
        me = client.request("GET", endpoint(url, "identity", services()) + "/v1/agents/me")
        assert me.status_code == 200 and me.json()["id"] == bot["id"]

    async def run() -> str:
        async with AsyncMandateClient(url, ClientSecret(bot["id"], bot["api_key"])) as client:
            token = await client.token()
            response = await client.request("GET", endpoint(url, "identity", services()) + "/v1/agents/me")
            assert response.status_code == 200
            return token.value

    assert decode_unverified(asyncio.run(run()))[1]["client_id"] == bot["id"]


def test_a_dpop_bound_token_answers_the_token_endpoints_nonce_and_goes_with_proofs(
        url: str, agent: Callable[..., Dict[str, str]]) -> None:
    bot = agent("reports:read")
    key = DpopKey()
    # A nonce token-service does not accept: it answers use_dpop_nonce with its own, and the client tries again.
    key.remember_nonce(url + "/oauth2/token", "stale-nonce")
    with MandateClient(url, ClientSecret(bot["id"], bot["api_key"]), dpop=key) as client:
        token = client.token()
        assert token.dpop_bound and client.token_requests == 1
        assert decode_unverified(token.value)[1]["cnf"]["jkt"] == key.thumbprint
        me = endpoint(url, "identity", services()) + "/v1/agents/me"
        assert client.request("GET", me).status_code == 200
        without_proof = httpx.get(me, headers={"Authorization": "DPoP " + token.value})
        assert without_proof.status_code == 401


def test_private_key_jwt_signs_the_agent_in(url: str, admin: Admin, agent: Callable[..., Dict[str, str]]) -> None:
    bot = agent("reports:read")
    key = EcKey.generate()
    admin.add_public_key(bot["id"], key.private_jwk())  # only the public part leaves
    with MandateClient(url, PrivateKeyJwt(bot["id"], key)) as client:
        token = eventually(client.token)
        assert token.scopes == ["reports:read"]


def test_a_persons_delegation_is_exchanged_for_a_token_that_acts_for_them(
        url: str, admin: Admin, tenant: str, agent: Callable[..., Dict[str, str]]) -> None:
    bot = agent("reports:read")
    username = f"py{uuid.uuid4().hex[:10]}"
    identity, delegation = endpoint(url, "identity", services()), endpoint(url, "delegation", services())
    headers = {"Authorization": f"Bearer {os.environ['MANDATE_ADMIN_TOKEN']}", "Mandate-Tenant": tenant}
    created = httpx.post(identity + "/v1/users", headers=headers, json={
        "username": username, "email": f"{username}@example.com", "password": PASSWORD, "roles": ["owner"],
        "permissions": ["reports:read"]})
    assert created.status_code == 201, created.text
    person = created.json()["id"]

    def login() -> str:
        answer = httpx.post(url + "/v1/auth/login", json={"username": username, "password": PASSWORD})
        if answer.status_code != 200:
            raise MandateError(answer.status_code, "not_yet")
        return answer.json()["token"]

    human = eventually(login)

    def lend() -> Dict[str, Any]:
        answer = httpx.post(delegation + "/v1/delegations", headers={"Authorization": f"Bearer {human}"},
                            json={"agent_id": bot["id"], "scopes": ["reports:read"], "expires_in": 600})
        if answer.status_code != 201:
            raise MandateError(answer.status_code, "not_yet", answer.text)
        return answer.json()

    grant = eventually(lend)
    with MandateClient(url, ClientSecret(bot["id"], bot["api_key"])) as client:
        token = client.exchange(grant["delegation_token"])
        claims = decode_unverified(token.value)[1]
        assert claims["sub"] == person and claims["act"]["sub"] == bot["id"]
        assert client.exchange(grant["delegation_token"]) is token, "kept like any other"


def test_fifty_threads_and_fifty_tasks_renew_a_stale_token_with_one_request(
        url: str, agent: Callable[..., Dict[str, str]]) -> None:
    bot = agent("reports:read")
    now = [time.time()]
    with MandateClient(url, ClientSecret(bot["id"], bot["api_key"]), clock=lambda: now[0]) as client:
        first = client.token()
        now[0] += 16 * 60
        with ThreadPoolExecutor(max_workers=50) as pool:
            seen = set(pool.map(lambda _: client.access_token(), range(50)))
        assert len(seen) == 1 and first.value not in seen
        assert client.token_requests == 2

    async def storm() -> int:
        clock = [time.time()]
        async with AsyncMandateClient(url, ClientSecret(bot["id"], bot["api_key"]), clock=lambda: clock[0]) as client:
            await client.token()
            clock[0] += 16 * 60
            values = await asyncio.gather(*(client.access_token() for _ in range(50)))
            assert len(set(values)) == 1
            return client.token_requests

    assert asyncio.run(storm()) == 2


def test_refusals_are_typed_with_the_servers_code(url: str, admin: Admin, agent: Callable[..., Dict[str, str]]) -> None:
    bot = agent("reports:read")
    with pytest.raises(OAuthError) as refused:
        MandateClient(url, ClientSecret(bot["id"], "not-the-key")).token()
    assert refused.value.status == 401 and refused.value.error == "invalid_client"
    with pytest.raises(OAuthError) as not_held:
        MandateClient(url, ClientSecret(bot["id"], bot["api_key"])).token(scope="reports:write")
    assert not_held.value.error == "invalid_scope"
    with pytest.raises(ApiProblem) as missing:
        admin.get_agent("agt_nobody")
    assert missing.value.status == 404 and missing.value.error == "agent_not_found"
    with pytest.raises(MandateError) as unreachable:
        MandateClient("http://127.0.0.1:9", ClientSecret(bot["id"], bot["api_key"]),
                      retry=RetryPolicy(max_attempts=2, base_delay=0.01, max_delay=0.05)).token()
    assert unreachable.value.status == 0 and unreachable.value.error == "unreachable"


def test_the_agentauth_calls(url: str, admin: Admin, tenant: str, agent: Callable[..., Dict[str, str]]) -> None:
    bot = agent("reports:read")
    pair = admin.verify(bot["id"], bot["api_key"])
    assert pair["verified"] and pair["agent"]["id"] == bot["id"] and pair["token"]["refresh_token"]
    renewed = admin.refresh(pair["token"]["refresh_token"])
    assert renewed["access_token"] != pair["token"]["access_token"]
    with pytest.raises(MandateError) as reused:
        admin.refresh(pair["token"]["refresh_token"])
    assert reused.value.error == "invalid_grant"
    assert bot["id"] in [a["id"] for a in admin.list_agents()["items"]]
    admin.suspend_agent(bot["id"])
    eventually(lambda: _refused(lambda: admin.verify(bot["id"], bot["api_key"])))
    admin.reactivate_agent(bot["id"])
    eventually(lambda: admin.verify(bot["id"], bot["api_key"]))
    types = eventually(lambda: _with(admin.activity(bot["id"])["activities"], "agent.suspended"))
    assert "agent.registered" in types

    async def revoke() -> str:
        remote = AsyncAdmin(url, os.environ["MANDATE_ADMIN_TOKEN"], tenant=tenant, services=services())
        try:
            return (await remote.revoke_agent(bot["id"]))["status"]
        finally:
            await remote.close()

    assert asyncio.run(revoke()) == "revoked"
    eventually(lambda: _refused(lambda: admin.verify(bot["id"], bot["api_key"])))


def test_a_real_webhook_delivery_verifies(admin: Admin) -> None:
    received: List[Any] = []

    class Receiver(http.server.BaseHTTPRequestHandler):
        def do_POST(self) -> None:  # noqa: N802 - the standard library's name
            received.append((dict(self.headers), self.rfile.read(int(self.headers["content-length"]))))
            self.send_response(204)
            self.end_headers()

        def log_message(self, *args: Any) -> None:
            pass

    server = http.server.HTTPServer(("127.0.0.1", 0), Receiver)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        hook = admin.create_webhook(f"http://127.0.0.1:{server.server_port}/hook", ["agent.*"])
        assert hook["secret"].startswith("whsec_")
        assert hook["id"] in [h["id"] for h in admin.list_webhooks()["items"]]
        admin.test_webhook(hook["id"])
        deadline = time.monotonic() + 30
        while not received and time.monotonic() < deadline:
            time.sleep(0.1)
        headers, body = received[0]
        verify(hook["secret"], headers, body)
        with pytest.raises(WebhookVerificationError):
            verify(hook["secret"], headers, body + b" ")
        admin.delete_webhook(hook["id"])
    finally:
        server.shutdown()


def _refused(call: Callable[[], Any]) -> None:
    try:
        call()
    except MandateError:
        return
    raise MandateError(200, "still_accepted")


def _with(activities: List[Dict[str, Any]], wanted: str) -> List[str]:
    types = [a["type"] for a in activities]
    if wanted not in types:
        raise MandateError(200, "not_yet")
    return types
