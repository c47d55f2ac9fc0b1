"""Plantline services."""
