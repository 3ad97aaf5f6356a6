"""Errors the data layer reports to an operator: one clear line each, no stack trace."""


class DatabaseSetupError(Exception):
    """The database cannot be reached, created or prepared; the message says what to do."""


class ReferenceDataError(Exception):
    """A reference data file is missing or malformed; nothing was written."""
