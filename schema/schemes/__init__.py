"""GraphQL face of the schemes domain."""
