"""Writes to the graph: each function is one step of the request's single transaction, audited."""
