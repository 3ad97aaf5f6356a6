"""History: the audit trail of an entity, and the feed of what was deleted."""
