"""Errors the data layer reports to an operator: one clear line each, no stack trace."""


class DatabaseSetupError(Exception):
    """The database cannot be reached, created or prepared; the message says what to do."""


class ReferenceDataError(Exception):
    """A reference data file is missing or malformed; nothing was written."""


# PostgreSQL's codes for "this server is going away or not there yet": admin, crash and cannot-connect-now
# shutdowns (class 57P); every connection exception (class 08) too.
_GOING_AWAY = frozenset({"57P01", "57P02", "57P03"})
_STATEMENT_TIMEOUT = "57014"


def _chain(error: BaseException) -> list[BaseException]:
    """The error and what caused it: SQLAlchemy wraps the driver's error, which wraps asyncpg's."""
    seen: list[BaseException] = []
    current: BaseException | None = error
    while current is not None and current not in seen:
        seen.append(current)
        current = getattr(current, "orig", None) or current.__cause__ or current.__context__
    return seen


def _sqlstates(error: BaseException) -> set[str]:
    return {code for link in _chain(error) if isinstance(code := getattr(link, "sqlstate", None), str)}


def is_database_unavailable(error: BaseException) -> bool:
    """The database cannot be reached, or dropped the connection: a retry later may well succeed."""
    from sqlalchemy.exc import DBAPIError
    from sqlalchemy.exc import TimeoutError as PoolTimeout

    for link in _chain(error):
        # OSError includes TimeoutError: a connection or a round trip that got no answer in time.
        if isinstance(link, OSError | PoolTimeout) or (isinstance(link, DBAPIError) and link.connection_invalidated):
            return True
    return any(code in _GOING_AWAY or code.startswith("08") for code in _sqlstates(error))


def is_statement_timeout(error: BaseException) -> bool:
    """PostgreSQL cancelled a statement that ran longer than the transaction's statement_timeout."""
    return _STATEMENT_TIMEOUT in _sqlstates(error)
