"""The operations service."""
