"""Pytest fixtures: a real broker, throwaway databases, services running in-process."""
