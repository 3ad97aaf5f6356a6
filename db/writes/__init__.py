"""Writes to the graph: each function is one step of the request's single transaction, audited.

The pipeline every write shares lives here: input checks (`checks`), refusals (`outcome`), inserting and
updating rows under row-level security (`rows`), optimistic concurrency (`versions`), the caller's
capabilities (`access`), references to rows the caller sees (`references`), the audit trail (`audit`) and
idempotent creation (`idempotency`). Each domain's writes are in its folder: `actions/`, `schemes/` (CTGs
too), `organisations/` (habilitations too).
"""
