"""Tasks: the operations of scheduled orders on dispatch lists, and their execution."""
