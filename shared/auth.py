"""JWT bearer auth with scopes: HS256 with a shared secret, or RS256 through a JWKS URL."""

from __future__ import annotations

import time
from dataclasses import dataclass, field
from typing import Annotated, Any

import jwt
from fastapi import Depends, Request, Security
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer

from shared.errors import Forbidden, Unauthorized
from shared.jwks import JwksKeys
from shared.settings import Settings

ALL_SCOPES = (
    "production:read production:write operations:read operations:write operations:supervise "
    "inventory:read inventory:write logistics:read logistics:write admin"
).split()

# Where a middleware leaves (token, principal) once it verified the request's token.
VERIFIED_STATE_KEY = "verified_token"

bearer = HTTPBearer(
    auto_error=False,
    description="A JWT with `scope` claims; `python -m shared.launcher token` mints one.",
)


@dataclass(frozen=True)
class Principal:
    """Who is calling and what they may do."""

    subject: str
    scopes: frozenset[str] = field(default_factory=frozenset)

    def allows(self, scope: str) -> bool:
        """True if the principal holds the scope or admin."""
        return scope in self.scopes or "admin" in self.scopes


class TokenVerifier:
    """Checks bearer tokens: HS256 with the shared secret, or RS256 with the keys of a JWKS URL."""

    def __init__(self, settings: Settings) -> None:
        self.secret = settings.jwt_secret
        self.audience = settings.jwt_audience
        self.jwks = JwksKeys(settings.jwt_jwks_url) if settings.jwt_jwks_url else None

    async def authenticate(self, token: str) -> Principal:
        """Decode and validate a token, fetching signing keys if needed, or raise Unauthorized."""
        if self.jwks is None:
            return self.verify(token)
        return self._decode(token, await self.jwks.key(_key_id(token)), "RS256")

    async def aclose(self) -> None:
        """Release what fetching keys holds."""
        if self.jwks is not None:
            await self.jwks.aclose()

    def verify(self, token: str) -> Principal:
        """Decode and validate a token with the secret or the JWKS keys already fetched."""
        if self.jwks is None:
            return self._decode(token, self.secret, "HS256")
        return self._decode(token, self.jwks.cached(_key_id(token)), "RS256")

    def _decode(self, token: str, key: Any, algorithm: str) -> Principal:
        try:
            claims = jwt.decode(
                token,
                key,
                algorithms=[algorithm],
                audience=self.audience,
                options={"require": ["exp", "sub"]},
            )
        except jwt.ExpiredSignatureError as exc:
            raise Unauthorized("The token has expired.") from exc
        except jwt.PyJWTError as exc:
            raise Unauthorized("The token is not valid.") from exc
        scopes = claims.get("scope", "")
        if not isinstance(scopes, str):
            raise Unauthorized("The token's scope claim must be a space-separated string.")
        return Principal(subject=str(claims["sub"]), scopes=frozenset(scopes.split()))


def _key_id(token: str) -> str | None:
    try:
        kid = jwt.get_unverified_header(token).get("kid")
    except jwt.PyJWTError as exc:
        raise Unauthorized("The token is not valid.") from exc
    return kid if isinstance(kid, str) else None


def bearer_token(authorization: str) -> str | None:
    """The token of an `Authorization: Bearer <token>` header value, or None."""
    scheme, _, token = authorization.partition(" ")
    if scheme.lower() != "bearer" or not token.strip():
        return None
    return token.strip()


def mint_token(
    secret: str,
    scopes: list[str] | str,
    subject: str = "developer",
    ttl_seconds: int = 3600 * 12,
    *,
    algorithm: str = "HS256",
    key_id: str | None = None,
    audience: str | None = None,
) -> str:
    """A token: HS256 with a shared secret (development), or RS256 with a private key (PEM)."""
    scope = scopes if isinstance(scopes, str) else " ".join(scopes)
    now = int(time.time())
    claims: dict[str, Any] = {"sub": subject, "scope": scope, "iat": now, "exp": now + ttl_seconds}
    if audience:
        claims["aud"] = audience
    headers = {"kid": key_id} if key_id else None
    return jwt.encode(claims, secret, algorithm=algorithm, headers=headers)


async def current_principal(
    request: Request,
    credentials: Annotated[HTTPAuthorizationCredentials | None, Security(bearer)],
) -> Principal:
    """The caller, from the bearer token."""
    if credentials is None or credentials.scheme.lower() != "bearer":
        raise Unauthorized("A bearer token is required.")
    # The Idempotency-Key middleware may have verified this very token already.
    verified: tuple[str, Principal] | None = getattr(request.state, VERIFIED_STATE_KEY, None)
    if verified is not None and verified[0] == credentials.credentials:
        principal = verified[1]
    else:
        verifier: TokenVerifier = request.app.state.token_verifier
        principal = await verifier.authenticate(credentials.credentials)
    request.state.principal = principal
    return principal


CurrentPrincipal = Annotated[Principal, Depends(current_principal)]


def require_scope(scope: str) -> Depends:  # type: ignore[valid-type]
    """A dependency that demands a scope."""

    async def _check(principal: CurrentPrincipal) -> Principal:
        if not principal.allows(scope):
            raise Forbidden(f"This call needs the scope '{scope}'.", required_scope=scope)
        return principal

    # Read by middleware that must know a route's scope before it runs (see shared.routing).
    _check.required_scope = scope  # type: ignore[attr-defined]
    return Depends(_check)
