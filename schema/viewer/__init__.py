"""Who the caller is, as the service understood its token."""
