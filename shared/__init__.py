"""Mechanics every Plantline service uses once: settings, database, events, outbox, inbox, auth."""
