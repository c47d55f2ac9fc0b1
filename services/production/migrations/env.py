"""Alembic environment of the production service."""

from services.production.app import definition
from shared.migrations import run_env

run_env(definition.metadata)
