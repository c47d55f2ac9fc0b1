"""Short-lived signed links: a page opened from a link needs no sign-in until the link expires.

The signature is an HMAC-SHA256 of the path and the expiry under a key derived from the
service's JWT secret, so whoever can mint tokens can mint links, and nobody else.
"""

from __future__ import annotations

import hashlib
import hmac
import math
import time
from urllib.parse import urlencode

from shared.settings import Settings

LINK_TTL_SECONDS = 3600
"""How long a signed link opens its page, at least."""

EXPIRY_STEP_SECONDS = 300
"""Expiries are rounded up to this step: the same page asked twice soon gives the same link."""


def link_secret(settings: Settings) -> str | None:
    """The secret links are signed with: the JWT secret, unless tokens come from a JWKS URL.

    With a JWKS URL the shared secret is not what callers are trusted by, so no link is signed
    and pages ask for sign-in.
    """
    return None if settings.jwt_jwks_url else settings.jwt_secret


def _key(secret: str) -> bytes:
    # A key of its own, so a link signature can never pass for a token signature.
    return hmac.new(secret.encode(), b"plantline signed page link", hashlib.sha256).digest()


def link_signature(secret: str, path: str, expires: int) -> str:
    """The signature of a path valid until an instant (seconds since the epoch)."""
    message = f"{path}\n{expires}".encode()
    return hmac.new(_key(secret), message, hashlib.sha256).hexdigest()


def signed_query(
    secret: str, path: str, ttl_seconds: int = LINK_TTL_SECONDS, now: float | None = None
) -> str:
    """The query string (`expires=...&signature=...`) that opens a path for a while."""
    earliest = (now if now is not None else time.time()) + ttl_seconds
    expires = math.ceil(earliest / EXPIRY_STEP_SECONDS) * EXPIRY_STEP_SECONDS
    return urlencode({"expires": expires, "signature": link_signature(secret, path, expires)})


def link_is_valid(
    secret: str, path: str, expires: int | None, signature: str | None, now: float | None = None
) -> bool:
    """True if the signature is the path's and the link has not expired."""
    if expires is None or not signature:
        return False
    if expires < (now if now is not None else time.time()):
        return False
    return hmac.compare_digest(link_signature(secret, path, expires), signature)
