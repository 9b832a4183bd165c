"""Digests and alerts: who follows what and how (subscriptions), what each subscriber is due (outbox_writer),
how it reads (digest, change_alert for edits and deletions), how it is sent (sender, ratelimit)."""
