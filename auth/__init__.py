"""Identity and access: token validation, the Principal and the access policy."""
