"""Compiled reads, on the GraphQL side: from a validated query to the plan `db.compiled` renders as SQL."""
