"""Capable to promise: the earliest date a quantity can be delivered, and what limits it."""
