"""Digests and alerts: what each subscriber is due (outbox_writer), how it reads (digest), how it is sent (sender, ratelimit)."""
