"""What the sync and async clients do alike, without I/O: token requests, answers, nonces, renewal."""
from __future__ import annotations

import json
from typing import Any, Dict, Mapping, Optional, Tuple
from urllib.parse import urlencode, urlsplit

from .errors import MandateError, from_response
from .tokens import DELEGATION_TOKEN_TYPE, TOKEN_EXCHANGE, AccessToken, Credentials, DpopKey

REPEATABLE = {"GET", "HEAD", "PUT", "DELETE", "OPTIONS"}


def well_known(issuer: str) -> str:
    """RFC 8414: the metadata URL, the well-known segment between host and path."""
    parts = urlsplit(issuer.rstrip("/"))
    return f"{parts.scheme}://{parts.netloc}/.well-known/oauth-authorization-server{parts.path}"


def token_endpoint_from(issuer: str, metadata: Mapping[str, Any]) -> str:
    if metadata.get("issuer") != issuer.rstrip("/"):
        raise MandateError(200, "invalid_metadata", f"the metadata names issuer {metadata.get('issuer')}, not {issuer}")
    endpoint = metadata.get("token_endpoint")
    if not isinstance(endpoint, str):
        raise MandateError(200, "invalid_metadata", "the metadata has no token_endpoint")
    return endpoint


def client_credentials(scope: Optional[str], resource: Optional[str]) -> Dict[str, str]:
    params = {"grant_type": "client_credentials"}
    if scope:
        params["scope"] = scope
    if resource:
        params["resource"] = resource
    return params


def exchange(delegation_token: str, scope: Optional[str], resource: Optional[str]) -> Dict[str, str]:
    params = {"grant_type": TOKEN_EXCHANGE, "subject_token": delegation_token,
              "subject_token_type": DELEGATION_TOKEN_TYPE}
    if scope:
        params["scope"] = scope
    if resource:
        params["resource"] = resource
    return params


def token_request(credentials: Credentials, dpop: Optional[DpopKey], endpoint: str,
                  params: Mapping[str, str]) -> Tuple[Dict[str, str], bytes]:
    """Headers and form body of one attempt (a DPoP proof and an assertion are good once)."""
    headers = {"Content-Type": "application/x-www-form-urlencoded", "Accept": "application/json"}
    form = dict(params)
    credentials.apply(headers, form, endpoint)
    if dpop is not None:
        headers["DPoP"] = dpop.proof("POST", endpoint)
    return headers, urlencode(form).encode("ascii")


def token_answer(status: int, headers: Mapping[str, str], text: str, now: float) -> AccessToken:
    if status // 100 != 2:
        raise from_response(status, headers, text)
    return AccessToken.from_answer(json.loads(text), now)


def asks_for_token_nonce(status: int, headers: Mapping[str, str], text: str) -> bool:
    return status == 400 and from_response(status, headers, text).error == "use_dpop_nonce"


def api_headers(token: AccessToken, dpop: Optional[DpopKey], method: str, url: str) -> Dict[str, str]:
    headers = {"Authorization": token.authorization}
    if token.dpop_bound:
        if dpop is None:
            raise ValueError("a DPoP-bound token needs the client's DPoP key")
        headers["DPoP"] = dpop.proof(method, url, token.value)
    return headers


def challenge(status: int, headers: Mapping[str, str]) -> str:
    return headers.get("www-authenticate", "") if status == 401 else ""


def json_or_error(status: int, headers: Mapping[str, str], text: str) -> Any:
    if status // 100 != 2:
        raise from_response(status, headers, text)
    return json.loads(text) if text.strip() else None
