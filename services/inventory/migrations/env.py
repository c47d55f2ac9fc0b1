"""Alembic environment of the inventory service."""

from services.inventory.app import definition
from shared.migrations import run_env

run_env(definition.metadata)
