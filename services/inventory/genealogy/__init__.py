"""Genealogy: which component lots went into which made lot, and where bought lots came from."""
