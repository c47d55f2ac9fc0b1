"""Alembic environment of the operations service."""

from services.operations.app import definition
from shared.migrations import run_env

run_env(definition.metadata)
