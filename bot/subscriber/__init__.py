"""Subscribers' commands: topics, subscriptions, delivery settings, digests on demand, the language (/lang)."""
