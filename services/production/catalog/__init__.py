"""What production knows of items, from inventory events."""
