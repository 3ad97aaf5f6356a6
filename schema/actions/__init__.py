"""GraphQL face of the actions domain."""
