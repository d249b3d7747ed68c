"""Fixtures for the tests against a running Mandate (e2e's PythonSdkIT starts one and sets the environment).

MANDATE_URL is token-service's URL (the other services on the next ports, as on the local stack, or
MANDATE_<SERVICE>_URL), MANDATE_ADMIN_TOKEN the platform admin's bootstrap token.
"""
from __future__ import annotations

import os
import time
import uuid
from typing import Any, Callable, Dict, List

import pytest

from mandate import Admin, MandateError


def pytest_collection_modifyitems(config: Any, items: List[Any]) -> None:
    if os.environ.get("MANDATE_URL") and os.environ.get("MANDATE_ADMIN_TOKEN"):
        return
    skip = pytest.mark.skip(reason="no running Mandate: set MANDATE_URL and MANDATE_ADMIN_TOKEN "
                                   "(e2e PythonSdkIT does), or run the offline tests alone")
    for item in items:
        if "platform" in item.keywords:
            item.add_marker(skip)


def pytest_configure(config: Any) -> None:
    config.addinivalue_line("markers", "platform: needs a running Mandate")


def services() -> Dict[str, str]:
    found = {}
    for service in ("identity", "delegation", "audit", "webhook"):
        value = os.environ.get(f"MANDATE_{service.upper()}_URL")
        if value:
            found[service] = value
    return found


@pytest.fixture(scope="session")
def url() -> str:
    return os.environ["MANDATE_URL"]


@pytest.fixture(scope="session")
def tenant(url: str) -> str:
    platform = Admin(url, os.environ["MANDATE_ADMIN_TOKEN"], services=services())
    try:
        return platform.create_tenant(f"python sdk {uuid.uuid4().hex[:10]}")["id"]
    finally:
        platform.close()


@pytest.fixture
def admin(url: str, tenant: str) -> Admin:
    return Admin(url, os.environ["MANDATE_ADMIN_TOKEN"], tenant=tenant, services=services())


def eventually(attempt: Callable[[], Any], timeout: float = 30.0) -> Any:
    """Retries ``attempt`` until it stops raising MandateError (token-service learns of agents through Kafka)."""
    deadline = time.monotonic() + timeout
    while True:
        try:
            return attempt()
        except MandateError:
            if time.monotonic() > deadline:
                raise
            time.sleep(0.2)


@pytest.fixture
def agent(admin: Admin) -> Callable[..., Dict[str, str]]:
    """Registers an agent holding ``permissions`` and waits until token-service knows it: ``{id, api_key}``."""

    def register(*permissions: str) -> Dict[str, str]:
        made = admin.register_agent(f"py-{uuid.uuid4().hex[:8]}", "owner@example.com", list(permissions))
        found = {"id": made["agent"]["id"], "api_key": made["credentials"]["api_key"]}
        eventually(lambda: admin.verify(found["id"], found["api_key"]))
        return found

    return register
