"""Telegram handlers: thin glue between updates and Dozor's services."""
