"""Committed changes, as PostgreSQL announces them (migration 0019), fanned out to the process's subscribers."""
