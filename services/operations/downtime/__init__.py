"""Downtime of work centers and the maintenance plans that schedule it."""
