"""JWT bearer auth with scopes: HS256 with a shared secret, or RS256 through a JWKS URL."""

from __future__ import annotations

import time
from dataclasses import dataclass, field
from typing import Annotated

import jwt
from fastapi import Depends, Request, Security
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer

from shared.errors import Forbidden, Unauthorized
from shared.settings import Settings

ALL_SCOPES = (
    "production:read production:write operations:read operations:write "
    "inventory:read inventory:write logistics:read logistics:write admin"
).split()

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
    """Checks bearer tokens against the configured key."""

    def __init__(self, settings: Settings) -> None:
        self.secret = settings.jwt_secret
        self.audience = settings.jwt_audience
        self.jwks = jwt.PyJWKClient(settings.jwt_jwks_url) if settings.jwt_jwks_url else None

    def verify(self, token: str) -> Principal:
        """Decode and validate a token, or raise Unauthorized."""
        try:
            if self.jwks is not None:
                key = self.jwks.get_signing_key_from_jwt(token).key
                claims = jwt.decode(
                    token,
                    key,
                    algorithms=["RS256"],
                    audience=self.audience,
                    options={"require": ["exp", "sub"]},
                )
            else:
                claims = jwt.decode(
                    token,
                    self.secret,
                    algorithms=["HS256"],
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


def mint_token(
    secret: str, scopes: list[str] | str, subject: str = "developer", ttl_seconds: int = 3600 * 12
) -> str:
    """A development HS256 token."""
    scope = scopes if isinstance(scopes, str) else " ".join(scopes)
    now = int(time.time())
    return jwt.encode(
        {"sub": subject, "scope": scope, "iat": now, "exp": now + ttl_seconds},
        secret,
        algorithm="HS256",
    )


async def current_principal(
    request: Request,
    credentials: Annotated[HTTPAuthorizationCredentials | None, Security(bearer)],
) -> Principal:
    """The caller, from the bearer token."""
    if credentials is None or credentials.scheme.lower() != "bearer":
        raise Unauthorized("A bearer token is required.")
    verifier: TokenVerifier = request.app.state.token_verifier
    principal = verifier.verify(credentials.credentials)
    request.state.principal = principal
    return principal


CurrentPrincipal = Annotated[Principal, Depends(current_principal)]


def require_scope(scope: str) -> Depends:  # type: ignore[valid-type]
    """A dependency that demands a scope."""

    async def _check(principal: CurrentPrincipal) -> Principal:
        if not principal.allows(scope):
            raise Forbidden(f"This call needs the scope '{scope}'.", required_scope=scope)
        return principal

    _check.required_scope = scope  # type: ignore[attr-defined]
    return Depends(_check)
