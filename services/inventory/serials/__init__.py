"""Serials: one number per unit of a serial-tracked item, where it is and what moved it."""
