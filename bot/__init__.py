"""Dozor's Telegram bot and command line (imports feeds and storage)."""
