"""Holds: a lot kept from use (failed inspection, suspicion) until released or scrapped."""
