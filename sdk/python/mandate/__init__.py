"""Mandate for Python agents.

- :class:`MandateClient` / :class:`AsyncMandateClient`: tokens (client credentials, private_key_jwt, DPoP with
  nonces, token exchange of delegations), kept and renewed once however many callers, retries that honour
  Retry-After, typed errors; calls to APIs with the token.
- :class:`Admin` / :class:`AsyncAdmin`: register, verify, refresh, revoke, list agents, activity, webhooks.
- :func:`mandate.webhooks.verify`: is a delivery genuinely from Mandate (Standard Webhooks)?
"""
from .admin import Admin, AsyncAdmin
from .aio import AsyncMandateClient
from .client import MandateClient
from .errors import ApiProblem, MandateError, OAuthError
from .retry import NO_RETRIES, RetryPolicy
from .tokens import AccessToken, ClientSecret, DpopKey, PrivateKeyJwt
from .webhooks import WebhookVerificationError

__all__ = ["AccessToken", "Admin", "ApiProblem", "AsyncAdmin", "AsyncMandateClient", "ClientSecret", "DpopKey",
           "MandateClient", "MandateError", "NO_RETRIES", "OAuthError", "PrivateKeyJwt", "RetryPolicy",
           "WebhookVerificationError"]
__version__ = "0.1.0"
