"""Row-level security alone: raw SQL as `maillage_service`, no filter of the application's in the way.

Each test takes the service's role (`SET LOCAL ROLE`, as the service's connections run as it from the
start) and sets a caller's scope as the service does (`set_config(..., true)`), reads the demo's rows, and
compares them with the rows the owner, unrestricted, computes from the data.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from datetime import UTC, datetime
from typing import Any

import pytest
from sqlalchemy import Select, select, text
from sqlalchemy.engine import URL
from sqlalchemy.exc import DBAPIError
from sqlalchemy.ext.asyncio import AsyncConnection, AsyncEngine

from db import models
from db.engine import create_engine
from db.graph.mapping import COVERAGE

ROLE = "maillage_service"

PARENTS_ENSEMBLE = "demo:association:parents-ensemble-31"
TOULOUSE_METROPOLE = "243100518"
COUNCIL_44 = "seed:departement:44"

SCOPED_TABLES = (
    "organisation",
    "scheme",
    "scheme_commune",
    "scheme_objective",
    "signature",
    "ctg",
    "governance_body",
    "action",
    "action_partner",
    "action_objective",
    "indicator",
    "indicator_value",
    "habilitation",
    "facility",
    "facility_action",
    "funding_line",
    "reporting_campaign",
    "campaign_ctg",
    "campaign_reminder",
    "governance_meeting",
    "meeting_decision",
)

PUBLISHED_SCHEMES = (
    "SELECT id FROM scheme WHERE kind IN ('COG', 'CPOG', 'SDSF', 'SDAVS', 'EDUCATION_CHARTER') AND status <> 'draft'"
)
INVOLVED_ACTIONS = """
SELECT id FROM action WHERE carrier_id = :org
UNION SELECT action_id FROM action_partner WHERE organisation_id = :org
"""
VALUES_OF_ACTIONS = """
SELECT v.id FROM indicator_value AS v JOIN indicator AS i ON i.id = v.indicator_id
WHERE i.action_id = ANY(CAST(:actions AS bigint[]))
"""

# One statement sets every setting, as the service does.
SET_SCOPE = """
SELECT set_config('maillage.' || name, value, true)
FROM unnest(CAST(:names AS text[]), CAST(:values AS text[])) AS setting(name, value)
"""

HABILITATION = """
INSERT INTO habilitation (issuer, subject, organisation_id, role, status, expires_at)
VALUES ('https://issuer.example', :subject, (SELECT id FROM organisation WHERE ref = :org), :role, :status, :expires)
"""


@pytest.fixture(scope="module")
async def owner(demo_database: URL) -> AsyncIterator[AsyncEngine]:
    """The demo database as its owner sees it: every row, no policy."""
    engine = create_engine(demo_database, pool_size=2)
    yield engine
    await engine.dispose()


async def scope_to(connection: AsyncConnection, **scope: str) -> None:
    """Turns the connection's transaction into the service's, for a caller with `scope`."""
    await connection.execute(text(f"SET LOCAL ROLE {ROLE}"))
    await connection.execute(text(SET_SCOPE), {"names": list(scope), "values": list(scope.values())})


@asynccontextmanager
async def as_service(engine: AsyncEngine, **scope: str) -> AsyncIterator[AsyncConnection]:
    async with engine.connect() as connection:
        transaction = await connection.begin()
        try:
            await scope_to(connection, **scope)
            yield connection
        finally:
            await transaction.rollback()


async def seen(engine: AsyncEngine, statement: str, **scope: str) -> set[Any]:
    """The values of `statement`'s first column, as the service sees them for a caller with `scope`."""
    async with as_service(engine, **scope) as connection:
        return set(await connection.scalars(text(statement)))


async def truth(engine: AsyncEngine, statement: str | Select[Any], **parameters: Any) -> set[Any]:
    """The same as the owner computes it."""
    async with engine.connect() as connection:
        query = text(statement) if isinstance(statement, str) else statement
        return set(await connection.scalars(query, parameters))


async def organisation_id_on(connection: AsyncConnection, ref: str) -> int:
    found: int = await connection.scalar(text("SELECT id FROM organisation WHERE ref = :ref"), {"ref": ref})
    return found


async def organisation_id(engine: AsyncEngine, ref: str) -> int:
    async with engine.connect() as connection:
        return await organisation_id_on(connection, ref)


async def keys_of(engine: AsyncEngine, *memberships: tuple[str, str]) -> str:
    """The `maillage.keys` setting of a caller holding these (organisation ref, role) memberships, as the
    database derives them from the rules (`membership_keys`)."""
    keys: set[str] = set()
    async with engine.connect() as connection:
        for ref, role in memberships:
            found = await connection.scalar(
                text("SELECT membership_keys(id, :role) FROM organisation WHERE ref = :ref"), {"ref": ref, "role": role}
            )
            assert found, (ref, role)
            keys |= set(found)
    return ",".join(sorted(keys))


async def test_an_association_sees_only_the_actions_it_carries_or_partners(owner: AsyncEngine) -> None:
    # given Parents ensemble 31's staff
    association = await organisation_id(owner, PARENTS_ENSEMBLE)
    expected_actions = await truth(owner, INVOLVED_ACTIONS, org=association)
    expected_ctgs = await truth(owner, "SELECT ctg_id FROM action WHERE id = ANY(:ids)", ids=list(expected_actions))
    assert expected_actions
    scope = {"keys": await keys_of(owner, (PARENTS_ENSEMBLE, "association_member"))}

    # when it reads actions, CTGs and indicator values
    actions = await seen(owner, "SELECT id FROM action", **scope)
    ctgs = await seen(owner, "SELECT scheme_id FROM ctg", **scope)
    values = await seen(owner, "SELECT id FROM indicator_value", **scope)

    # then it sees those actions, their CTGs and their values, and nothing else
    assert actions == expected_actions
    assert ctgs == expected_ctgs
    assert values == await truth(owner, VALUES_OF_ACTIONS, actions=list(expected_actions))


async def test_an_association_sees_the_organisations_it_works_with_and_not_others(owner: AsyncEngine) -> None:
    association = await organisation_id(owner, PARENTS_ENSEMBLE)
    actions = list(await truth(owner, INVOLVED_ACTIONS, org=association))
    colleagues = await truth(
        owner,
        "SELECT carrier_id FROM action WHERE id = ANY(:ids)"
        " UNION SELECT organisation_id FROM action_partner WHERE action_id = ANY(:ids)",
        ids=actions,
    )
    unrelated = await organisation_id(owner, "demo:association:jeunes-en-campagne")

    keys = await keys_of(owner, (PARENTS_ENSEMBLE, "association_member"))
    organisations = await seen(owner, "SELECT id FROM organisation", keys=keys)

    assert colleagues <= organisations
    assert unrelated not in organisations


async def test_epci_staff_see_every_action_of_the_ctgs_covering_their_territory(owner: AsyncEngine) -> None:
    # given Toulouse Métropole's staff, and the CTGs covering one of its communes (the graph's own coverage)
    epci = await organisation_id(owner, f"epci:{TOULOUSE_METROPOLE}")
    action, commune = models.Action.__table__, models.Commune.__table__  # type: ignore[attr-defined]
    covering = select(COVERAGE.c.scheme_id).where(
        COVERAGE.c.commune_insee_code.in_(
            select(commune.c.insee_code).where(commune.c.epci_siren == TOULOUSE_METROPOLE)
        )
    )
    expected = await truth(owner, select(action.c.id).where(action.c.ctg_id.in_(covering)))
    expected |= await truth(owner, INVOLVED_ACTIONS, org=epci)
    elsewhere = await truth(owner, "SELECT id FROM action") - expected
    assert expected
    assert elsewhere

    # when they read actions
    keys = await keys_of(owner, (f"epci:{TOULOUSE_METROPOLE}", "local_authority_staff"))
    actions = await seen(owner, "SELECT id FROM action", keys=keys)

    # then they see those actions, and none of the other CTGs'
    assert actions == expected
    assert not actions & elsewhere


async def test_a_caf_31_agent_sees_department_31_and_none_of_44(owner: AsyncEngine) -> None:
    # given an agent of the Caf de la Haute-Garonne
    caf = await organisation_id(owner, "caf:31")
    scope = {"keys": await keys_of(owner, ("caf:31", "caf_agent"))}
    published = await truth(owner, PUBLISHED_SCHEMES)
    expected_schemes = published | await truth(
        owner,
        "SELECT id FROM scheme WHERE department_code = '31'"
        " UNION SELECT scheme_id FROM signature WHERE organisation_id = :caf",
        caf=caf,
    )
    expected_actions = await truth(
        owner, "SELECT a.id FROM action AS a JOIN scheme AS s ON s.id = a.ctg_id WHERE s.department_code = '31'"
    ) | await truth(owner, INVOLVED_ACTIONS, org=caf)
    hidden_44 = await truth(owner, "SELECT id FROM scheme WHERE department_code = '44'") - published
    actions_44 = await truth(
        owner, "SELECT a.id FROM action AS a JOIN scheme AS s ON s.id = a.ctg_id WHERE s.department_code = '44'"
    )
    assert hidden_44
    assert actions_44

    # when the agent reads schemes and actions
    schemes = await seen(owner, "SELECT id FROM scheme", **scope)
    actions = await seen(owner, "SELECT id FROM action", **scope)

    # then they are department 31's, with the published ones, and none of 44's
    assert schemes == expected_schemes
    assert actions == expected_actions
    assert not schemes & hidden_44
    assert not actions & actions_44


async def test_a_count_reveals_no_hidden_row(owner: AsyncEngine) -> None:
    scope = {"keys": await keys_of(owner, ("caf:31", "caf_agent"))}

    async with as_service(owner, **scope) as connection:
        counted = await connection.scalar(text("SELECT count(*) FROM action"))
        rows = set(await connection.scalars(text("SELECT id FROM action")))

    assert counted == len(rows)
    assert counted < len(await truth(owner, "SELECT id FROM action"))


async def test_a_cosignatory_sees_every_action_of_the_ctgs_it_signed(owner: AsyncEngine) -> None:
    council = await organisation_id(owner, COUNCIL_44)
    expected = await truth(
        owner,
        "SELECT a.id FROM action AS a JOIN signature AS g ON g.scheme_id = a.ctg_id WHERE g.organisation_id = :org",
        org=council,
    ) | await truth(owner, INVOLVED_ACTIONS, org=council)
    assert expected

    actions = await seen(owner, "SELECT id FROM action", keys=await keys_of(owner, (COUNCIL_44, "cosignatory")))

    assert actions == expected


@pytest.mark.parametrize("table", SCOPED_TABLES)
async def test_the_cnaf_sees_everything(owner: AsyncEngine, table: str) -> None:
    statement = f"SELECT count(*) FROM {table}"  # noqa: S608 (a constant table name)

    async with as_service(owner, keys="national") as connection:
        counted = await connection.scalar(text(statement))

    async with owner.connect() as connection:
        assert counted == await connection.scalar(text(statement))


async def test_an_anonymous_caller_sees_the_published_schemes_and_no_action(owner: AsyncEngine) -> None:
    assert await seen(owner, "SELECT id FROM scheme") == await truth(owner, PUBLISHED_SCHEMES)
    for table in ("action", "ctg", "indicator", "indicator_value", "governance_body", "action_partner"):
        assert await seen(owner, f"SELECT 1 FROM {table}") == set(), table  # noqa: S608 (constant table names)
    published = list(await truth(owner, PUBLISHED_SCHEMES))
    assert await seen(owner, "SELECT id FROM organisation") == await truth(
        owner,
        "SELECT id FROM organisation WHERE kind IN ('caf', 'cnaf')"
        " UNION SELECT organisation_id FROM signature WHERE scheme_id = ANY(:published)",
        published=published,
    )


async def test_habilitations_are_seen_by_their_organisation_and_its_caf(owner: AsyncEngine) -> None:
    async with owner.connect() as connection:
        transaction = await connection.begin()
        # given habilitations in a 31 association and a 44 one, one of them expired, one revoked
        for subject, org, status, expires in (
            ("camille", PARENTS_ENSEMBLE, "active", None),
            ("camille", "demo:association:clic-et-droits", "active", datetime(2001, 1, 1, tzinfo=UTC)),
            ("camille", "demo:association:creche-les-petits-pas", "revoked", None),
            ("yann", "demo:association:jeunes-en-campagne", "active", None),
        ):
            await connection.execute(
                text(HABILITATION),
                {"subject": subject, "org": org, "role": "association_member", "status": status, "expires": expires},
            )
        association = await organisation_id_on(connection, PARENTS_ENSEMBLE)
        caf_31 = await organisation_id_on(connection, "caf:31")
        await connection.execute(text("SAVEPOINT given"))

        # when the service looks them up for various callers
        await scope_to(connection)
        memberships = (
            await connection.execute(
                text("SELECT id, role FROM caller_access(NULL, NULL, NULL, 'https://issuer.example', 'camille', '{}')")
            )
        ).all()
        anonymous = set(await connection.scalars(text("SELECT subject FROM habilitation")))
        await connection.execute(text("ROLLBACK TO SAVEPOINT given"))
        await scope_to(connection, keys=f"org:{association}")
        member = set(await connection.scalars(text("SELECT organisation_id FROM habilitation")))
        await connection.execute(text("ROLLBACK TO SAVEPOINT given"))
        await scope_to(connection, keys=f"caf:31,org:{caf_31}")
        caf = set(await connection.scalars(text("SELECT subject FROM habilitation")))
        await transaction.rollback()

    # then only the active, unexpired membership resolves, and each caller sees its own share
    assert [tuple(row) for row in memberships] == [(association, "association_member")]
    assert anonymous == set()
    assert member == {association}
    assert caf == {"camille"}


async def test_a_national_reader_writes_nothing_and_the_service_deletes_no_entity(owner: AsyncEngine) -> None:
    scope = {"keys": "national"}

    async with as_service(owner, **scope) as connection:
        updated = await connection.execute(text("UPDATE action SET title = title"))
        assert updated.rowcount == 0

    async with as_service(owner, **scope) as connection:
        with pytest.raises(DBAPIError, match="row-level security"):
            await connection.execute(text("INSERT INTO organisation (kind, name) VALUES ('other', 'Intrus')"))

    for statement in ("DELETE FROM action", "UPDATE commune SET name = name", "DELETE FROM alembic_version"):
        async with as_service(owner, **scope) as connection:
            with pytest.raises(DBAPIError, match="permission denied"):
                await connection.execute(text(statement))


async def test_the_role_cannot_bypass_row_level_security_and_owns_nothing(owner: AsyncEngine) -> None:
    async with owner.connect() as connection:
        bypass = await connection.scalar(
            text("SELECT rolbypassrls FROM pg_roles WHERE rolname = :role"), {"role": ROLE}
        )
        owned = await connection.scalar(
            text("SELECT count(*) FROM pg_class WHERE relowner = (SELECT oid FROM pg_roles WHERE rolname = :role)"),
            {"role": ROLE},
        )
        forced = set(
            await connection.scalars(text("SELECT relname FROM pg_class WHERE relrowsecurity AND relforcerowsecurity"))
        )
        secured = set(await connection.scalars(text("SELECT relname FROM pg_class WHERE relrowsecurity")))

    assert bypass is False
    assert owned == 0
    assert forced == set()
    # the partner tables, the audit trail (migration 0006), which follows what the caller may see, and the
    # idempotency keys (0008), each identity's own
    assert secured == {*SCOPED_TABLES, "audit_event", "idempotency_key"}
