"""Routings: the operations that make a product, on which work centers, how long."""
