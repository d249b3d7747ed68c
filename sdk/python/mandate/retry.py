"""When to try a request again: exponential backoff with full jitter, honouring Retry-After."""
from __future__ import annotations

import email.utils
import random
import time
from dataclasses import dataclass
from typing import Optional


@dataclass(frozen=True)
class RetryPolicy:
    """Up to ``max_attempts`` in all, after no answer, a 429 or a 5xx.

    The wait before attempt n+1 is ``random(0, min(max_delay, base_delay * 2**(n-1)))``, and at least what the
    server's ``Retry-After`` says; a request the server asks to delay longer than ``max_delay`` is not retried.
    """

    max_attempts: int = 4
    base_delay: float = 0.2
    max_delay: float = 20.0

    def delay_after(self, attempt: int, retry_after: Optional[float] = None) -> Optional[float]:
        """Seconds to wait before the next attempt, or None when there is none."""
        if attempt >= self.max_attempts or (retry_after is not None and retry_after > self.max_delay):
            return None
        ceiling = min(self.max_delay, self.base_delay * (2 ** min(attempt - 1, 20)))
        return max(retry_after or 0.0, random.uniform(0, ceiling))


NO_RETRIES = RetryPolicy(max_attempts=1, base_delay=0, max_delay=0)


def retryable(status: int) -> bool:
    """What may go better next time: no answer (0), 408, 425, 429 and every 5xx except 501."""
    return status in (0, 408, 425, 429) or (status >= 500 and status != 501)


def worth_another(status: int, repeatable: bool) -> bool:
    """429 and 503 are always retried (the server did nothing); other failures only when the request may repeat."""
    return status in (429, 503) or (repeatable and retryable(status))


def parse_retry_after(value: Optional[str], now: Optional[float] = None) -> Optional[float]:
    """A Retry-After value (delay-seconds or an HTTP-date) in seconds, or None if absent or unreadable."""
    if value is None or not value.strip():
        return None
    text = value.strip()
    if text.isdigit():
        return float(text)
    try:
        when = email.utils.parsedate_to_datetime(text)
    except (TypeError, ValueError):
        return None
    if when is None:
        return None
    return max(0.0, when.timestamp() - (time.time() if now is None else now))
