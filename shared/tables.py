"""Tables every service database holds for the shared mechanics: outbox, inbox, idempotency."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import (
    JSON,
    BigInteger,
    Column,
    Index,
    Integer,
    MetaData,
    String,
    Table,
    Text,
)

from shared.db import UtcDateTime


@dataclass(frozen=True)
class MechanicsTables:
    """The shared tables of one service's metadata."""

    outbox: Table
    inbox: Table
    aggregate_sequences: Table
    idempotency_keys: Table
    relay_lease: Table


def define_mechanics_tables(metadata: MetaData) -> MechanicsTables:
    """Add the shared tables to a service's metadata."""
    outbox = Table(
        "outbox",
        metadata,
        Column(
            "id", BigInteger().with_variant(Integer, "sqlite"), primary_key=True, autoincrement=True
        ),
        Column("event_id", String(36), nullable=False, unique=True),
        Column("key", String(200), nullable=False),
        Column("event_type", String(200), nullable=False),
        Column("sequence", BigInteger, nullable=False),
        Column("envelope", Text, nullable=False),
        Column("created_at", UtcDateTime, nullable=False),
        Column("published_at", UtcDateTime, nullable=True),
    )
    Index("ix_outbox_unpublished", outbox.c.published_at, outbox.c.id)
    inbox = Table(
        "inbox",
        metadata,
        Column("event_id", String(36), primary_key=True),
        Column("event_type", String(200), nullable=False),
        Column("source", String(200), nullable=False),
        Column("applied_at", UtcDateTime, nullable=False),
    )
    aggregate_sequences = Table(
        "aggregate_sequences",
        metadata,
        Column("aggregate", String(250), primary_key=True),
        Column("last_sequence", BigInteger, nullable=False),
    )
    idempotency_keys = Table(
        "idempotency_keys",
        metadata,
        Column("scope", String(300), primary_key=True),
        Column("key", String(200), primary_key=True),
        Column("request_hash", String(64), nullable=False),
        Column("state", String(20), nullable=False),
        Column("status_code", Integer, nullable=True),
        Column("response_headers", JSON, nullable=True),
        Column("response_body", Text, nullable=True),
        Column("created_at", UtcDateTime, nullable=False),
    )
    relay_lease = Table(
        "relay_lease",
        metadata,
        Column("name", String(50), primary_key=True),
        Column("owner", String(64), nullable=False),
        Column("expires_at", UtcDateTime, nullable=False),
    )
    return MechanicsTables(outbox, inbox, aggregate_sequences, idempotency_keys, relay_lease)


def mechanics_tables(metadata: MetaData) -> MechanicsTables:
    """The shared tables already defined on a metadata."""
    t = metadata.tables
    return MechanicsTables(
        t["outbox"], t["inbox"], t["aggregate_sequences"], t["idempotency_keys"], t["relay_lease"]
    )
