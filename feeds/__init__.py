"""Fetching, parsing, matching and scheduling of sources (imports storage, never bot)."""
