"""Volunteers' commands over the archive: search, latest, items, sources, trends, analyses."""
