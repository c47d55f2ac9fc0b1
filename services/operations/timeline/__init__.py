"""The timeline of a production order: every event that names it, from every service."""
