"""Running a mutation: its input read and checked, then its writes made as one change, by the request's caller.

Expected refusals are part of each payload (`errors`), never GraphQL errors: a client reads them like data.
Each mutation's writes run in a savepoint (`RequestDatabase.change`): a refused mutation leaves nothing
behind, even next to a successful one in the same operation.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import TypeVar

from db.session import RequestDatabase
from db.writes.audit import Actor
from db.writes.checks import Invalid
from db.writes.outcome import Outcome
from schema.context import Info
from schema.loaders import GraphLoaders

T = TypeVar("T")


def actor_of(info: Info) -> Actor:
    """Who the audit trail will say made the change."""
    identity = info.context.identity
    organisations = sorted({membership.organisation_id for membership in info.context.principal.memberships})
    return Actor(
        issuer=identity.issuer if identity else None,
        subject=identity.subject if identity else None,
        organisation_id=organisations[0] if len(organisations) == 1 else None,
    )


async def run(
    info: Info,
    build: Callable[[], T],
    write: Callable[[RequestDatabase, T, Actor], Awaitable[Outcome]],
) -> Outcome:
    """The outcome of one mutation.

    `build` reads and checks the input, before any SQL, raising `Invalid` on the first bad value; `write`
    makes the change from what `build` made, in the savepoint of `RequestDatabase.change`, as the request's
    caller. An `Invalid` raised by either is the mutation's refusal, and nothing `write` did is kept.
    """
    database = info.context.database
    try:
        value = build()
        outcome = await database.change(lambda: write(database, value, actor_of(info)))
    except Invalid as invalid:
        return invalid.outcome
    if not outcome.refused:
        # The payload, and the mutations after this one, read what it wrote: not rows the loaders cached before.
        info.context.graph = GraphLoaders(database)
    return outcome
