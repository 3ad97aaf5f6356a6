"""Committed changes, as PostgreSQL announces them (migration 0018), fanned out to the process's subscribers."""
