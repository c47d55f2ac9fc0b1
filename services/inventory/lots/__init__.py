"""Lots: where a lot came from, where it went, where it is."""
