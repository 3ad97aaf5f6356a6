"""GraphQL face of the ctgs domain."""
