"""Labels of the enums' values, in the request's language (db/labels.py)."""
