"""What logistics knows of items, from inventory events."""
