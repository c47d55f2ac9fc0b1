"""One settings object per service, read from PLANTLINE_* environment variables."""

from __future__ import annotations

import os
from pathlib import Path

from pydantic import Field, field_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

from shared.timestamps import plant_zone

SERVICE_PORTS: dict[str, int] = {
    "production": 8001,
    "operations": 8002,
    "inventory": 8003,
    "logistics": 8004,
}
SERVICES: tuple[str, ...] = tuple(SERVICE_PORTS)

DEVELOPMENT_JWT_SECRET = "plantline-development-secret-change-me-in-production"
# HS256 keys shorter than the hash (RFC 7518, section 3.2) can be brute-forced.
MIN_JWT_SECRET_BYTES = 32


class InsecureSettings(ValueError):
    """The settings would run the service with a key anyone can know or guess."""


class Settings(BaseSettings):
    """Settings shared by every service; a service may subclass to add its own."""

    model_config = SettingsConfigDict(env_prefix="PLANTLINE_", extra="ignore")

    service: str = Field("inventory", description="Which service this process runs.")
    data_dir: Path = Field(Path("./var"), description="Folder for the embedded SQLite files.")
    database_url: str | None = Field(
        None, description="SQLAlchemy async URL; default is SQLite under data_dir."
    )
    kafka_bootstrap: str = "127.0.0.1:9092"
    topic_prefix: str = "plantline"
    # The embedded broker auto-creates a missing topic with 4 partitions (e.g. when a producer
    # sends right after a restart); using the same count keeps every key on the same partition.
    topic_partitions: int = 4
    dev_mode: bool = Field(
        False,
        description="Development: the built-in JWT secret (or a short one) is accepted. "
        "`make run` and the tests set it; a deployment never does.",
    )
    jwt_secret: str = DEVELOPMENT_JWT_SECRET
    jwt_jwks_url: str | None = None
    jwt_audience: str | None = None
    jwt_private_key: str | None = Field(
        None,
        description="PEM RSA private key: this service signs its calls to the others RS256 with "
        "it (their keys from PLANTLINE_JWT_JWKS_URL must hold its public key).",
    )
    jwt_key_id: str | None = Field(
        None, description="The `kid` of jwt_private_key's public key in the JWKS."
    )
    http_host: str = "127.0.0.1"
    http_port: int | None = None
    log_level: str = "INFO"
    log_json: bool = True
    tracing: bool = Field(
        True, description="Record OpenTelemetry spans of requests, SQL and events."
    )
    otlp_endpoint: str | None = Field(
        None,
        description="OTLP/HTTP collector (e.g. http://127.0.0.1:4318); without it, spans go to a "
        "JSON-lines file per service under trace_dir.",
    )
    trace_dir: Path | None = Field(None, description="Folder of the span files; data_dir/traces.")
    max_body_bytes: int = 1_048_576
    consumer_retries: int = 3
    consumer_fetch_wait_ms: int = 25
    consumer_session_timeout_ms: int = Field(
        10000, description="Kafka group session timeout; the embedded broker joins in half of it."
    )
    consumer_retry_backoff_seconds: float = 0.2
    consumer_stall_max_backoff_seconds: float = Field(
        5.0,
        description="Longest wait between retries of an event held back by a passing failure "
        "(the database away, a deadlock); such an event is retried until it applies.",
    )
    peer_calls_in_flight: int = Field(
        4,
        ge=1,
        description="Calls at most in flight from this service to another one; more wait here.",
    )
    relay_poll_seconds: float = 1.0
    relay_max_backoff_seconds: float = 5.0
    relay_batch_size: int = 500
    relay_resend_window_seconds: float = Field(
        300,
        description="After losing the broker, events published this long before are sent again "
        "(a memory-only broker restarts empty; consumers ignore the duplicates).",
    )
    enable_messaging: bool = True
    retention_days: float = Field(
        7,
        gt=0,
        description="Published outbox rows, inbox rows and idempotency keys are deleted after "
        "this long; an event delivered again later (a dead-letter replay) would be applied again.",
    )
    retention_check_seconds: float = Field(
        3600, gt=0, description="How often a service prunes those rows."
    )
    idempotency_stale_claim_seconds: float = Field(
        60,
        description="A keyed request that died before its effect committed may be retried after.",
    )
    plant_timezone: str = Field(
        "UTC",
        description="IANA time zone of the plant: a plain date given where a date and time is "
        "asked means the start of that day there, and a time without a zone is read there.",
    )

    @field_validator("plant_timezone")
    @classmethod
    def _known_timezone(cls, value: str) -> str:
        plant_zone(value)
        return value

    def check_secrets(self) -> None:
        """Refuse, outside development, a JWT secret anyone can know or guess."""
        if self.dev_mode or (self.jwt_jwks_url and self.jwt_private_key):
            return  # development, or the secret is not used: RS256 both ways
        if self.jwt_secret == DEVELOPMENT_JWT_SECRET:
            raise InsecureSettings(
                "PLANTLINE_JWT_SECRET is the built-in development secret: set a secret of at "
                "least 32 random bytes (e.g. `openssl rand -base64 48`), or "
                "PLANTLINE_DEV_MODE=true for development."
            )
        if len(self.jwt_secret.encode()) < MIN_JWT_SECRET_BYTES:
            raise InsecureSettings(
                f"PLANTLINE_JWT_SECRET is shorter than {MIN_JWT_SECRET_BYTES} bytes: set a "
                "secret of at least 32 random bytes (e.g. `openssl rand -base64 48`), or "
                "PLANTLINE_DEV_MODE=true for development."
            )

    @property
    def resolved_database_url(self) -> str:
        """The database URL: per-service override, the general setting, or embedded SQLite."""
        specific = os.environ.get(f"PLANTLINE_{self.service.upper()}_DATABASE_URL")
        if specific:
            return specific
        if self.database_url:
            return self.database_url
        path = (self.data_dir / f"{self.service}.db").resolve()
        return f"sqlite+aiosqlite:///{path}"

    @property
    def resolved_trace_dir(self) -> Path:
        """Where spans are written when no OTLP endpoint is set."""
        return self.trace_dir or self.data_dir / "traces"

    @property
    def port(self) -> int:
        """HTTP port: explicit setting or the service's documented default."""
        return self.http_port or SERVICE_PORTS.get(self.service, 8000)

    def events_topic(self, service: str | None = None) -> str:
        """Topic a service publishes its events to."""
        return f"{self.topic_prefix}.{service or self.service}.events"

    @property
    def consumer_group(self) -> str:
        """Consumer group shared by every replica of this service."""
        return f"{self.topic_prefix}.{self.service}"
