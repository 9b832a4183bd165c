"""Subscribers' commands: topics, subscriptions, delivery settings, digests on demand."""
