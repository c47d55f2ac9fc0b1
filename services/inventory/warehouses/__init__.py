"""Warehouses and the locations (bins) inside them."""
