"""GraphQL face of the organisations domain."""
