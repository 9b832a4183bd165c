"""Digests and alerts: who follows what and how (subscriptions), what each subscriber is due (outbox_writer),
how it reads (digest), how it is sent (sender, ratelimit)."""
