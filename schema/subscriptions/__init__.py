"""Subscriptions over WebSocket: the changes a caller may see, and its tasks as they appear."""
