"""GET /export/<listing>.csv and .xlsx: a listing's rows as a file, under the same token and rules as /graphql."""
