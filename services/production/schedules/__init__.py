"""Stored production schedules: solved plans of released orders on work centers, in versions."""
