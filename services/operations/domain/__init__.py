"""Pure logic of the operations service, with no I/O."""
