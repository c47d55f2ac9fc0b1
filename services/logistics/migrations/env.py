"""Alembic environment of the logistics service."""

from services.logistics.app import definition
from shared.migrations import run_env

run_env(definition.metadata)
