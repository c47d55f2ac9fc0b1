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
    jwt_secret: str = DEVELOPMENT_JWT_SECRET
    jwt_jwks_url: str | None = None
    jwt_audience: str | None = None
    http_host: str = "127.0.0.1"
    http_port: int | None = None
    log_level: str = "INFO"
    log_json: bool = True
    max_body_bytes: int = 1_048_576
    consumer_retries: int = 3
    consumer_fetch_wait_ms: int = 25
    consumer_session_timeout_ms: int = Field(
        10000, description="Kafka group session timeout; the embedded broker joins in half of it."
    )
    consumer_retry_backoff_seconds: float = 0.2
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
