"""Reports over stock."""
