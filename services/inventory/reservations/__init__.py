"""Reservations: stock promised to an order, all lines or none, until issued or released."""
