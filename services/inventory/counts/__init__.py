"""Cycle counts: a physical count of one place and lot, booked as an adjustment when it differs."""
