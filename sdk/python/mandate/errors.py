"""What Mandate refused, typed by the kind of endpoint that answered."""
from __future__ import annotations

import json
import re
from typing import Any, Mapping, Optional

from .retry import parse_retry_after


class MandateError(Exception):
    """Mandate refused a request or could not be reached.

    ``status`` is the HTTP status (0 when no answer came), ``error`` the server's error code
    (``invalid_client``, ``agent_not_found``, ...; ``unreachable`` without an answer), ``description``
    what the server said, ``retry_after`` the seconds it asked to wait (429, 503), if it said.
    """

    def __init__(self, status: int, error: str, description: Optional[str] = None,
                 retry_after: Optional[float] = None) -> None:
        head = error if status == 0 else f"{status} {error}"
        super().__init__(f"{head}: {description}" if description else head)
        self.status = status
        self.error = error
        self.description = description
        self.retry_after = retry_after


class OAuthError(MandateError):
    """An OAuth endpoint's error answer (RFC 6749 section 5.2): ``invalid_client``, ``invalid_scope``, ..."""


class ApiProblem(MandateError):
    """A Mandate API's problem+json answer (RFC 9457); ``error`` is its ``code``, ``problem`` the whole document."""

    def __init__(self, status: int, problem: Mapping[str, Any], retry_after: Optional[float] = None) -> None:
        code = problem.get("code") if isinstance(problem.get("code"), str) else f"http_{status}"
        detail = problem.get("detail") or problem.get("title")
        super().__init__(status, code, detail if isinstance(detail, str) else None, retry_after)
        self.problem = dict(problem)


_CHALLENGE_ERROR = re.compile(r'error="([^"]*)"')
_CHALLENGE_DESCRIPTION = re.compile(r'error_description="([^"]*)"')


def from_response(status: int, headers: Mapping[str, str], text: str) -> MandateError:
    """The error an answer carries: problem+json, an OAuth error, a challenge, or a bare status."""
    retry_after = parse_retry_after(headers.get("retry-after"))
    try:
        body = json.loads(text) if text and text.lstrip().startswith("{") else {}
    except ValueError:
        body = {}
    if isinstance(body.get("code"), str) or headers.get("content-type", "").startswith("application/problem+json"):
        return ApiProblem(status, body, retry_after)
    if isinstance(body.get("error"), str):
        description = body.get("error_description")
        return OAuthError(status, body["error"], description if isinstance(description, str) else None, retry_after)
    challenge = headers.get("www-authenticate", "")
    found = _CHALLENGE_ERROR.search(challenge)
    if found:
        described = _CHALLENGE_DESCRIPTION.search(challenge)
        return OAuthError(status, found.group(1), described.group(1) if described else None, retry_after)
    return MandateError(status, f"http_{status}", None, retry_after)
