"""Pure stock logic with no I/O."""
