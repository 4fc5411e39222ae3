"""Webhook delivery tasks (built out by the outgoing-webhooks work)."""
