"""Production orders: what to make, how much, by when, and how it went."""
