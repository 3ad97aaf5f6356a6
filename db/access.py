"""The database side of access: who an identity is in Maillage, and the scope a transaction runs in."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from sqlalchemy import text

from db.session import RequestDatabase

# The role every request's statements run as: it owns nothing, and row-level security applies to it.
SERVICE_ROLE = "maillage_service"

# Organisations the token names (by one of their keys, or as the Caf of a department, or the Cnaf),
# and the identity's habilitations. Run before the transaction takes the service role: it reads
# organisations the caller may not yet be known to see.
_MEMBERSHIPS = """
SELECT o.id, o.kind, o.department_code, o.epci_siren, o.commune_insee_code, NULL AS role
FROM organisation o
WHERE (CAST(:key AS text) = 'ref' AND o.ref = :value)
   OR (CAST(:key AS text) = 'siret' AND o.siret = :value)
   OR (CAST(:key AS text) = 'siren' AND o.siren = :value)
   OR (CAST(:key AS text) = 'id' AND CAST(o.id AS text) = :value)
   OR (o.kind = 'caf' AND o.department_code = :caf)
UNION ALL
SELECT o.id, o.kind, o.department_code, o.epci_siren, o.commune_insee_code, h.role
FROM identity_memberships(:issuer, :subject) AS h JOIN organisation o ON o.id = h.organisation_id
"""


async def organisations_and_habilitations(
    database: RequestDatabase,
    *,
    issuer: str,
    subject: str,
    organisation_key: str | None,
    organisation_value: str | None,
    caf_department: str | None,
) -> Sequence[Any]:
    """Rows (id, kind, department_code, epci_siren, commune_insee_code, role): role is None for the
    organisations the token names, the habilitation's role otherwise."""
    return await database.rows(
        text(_MEMBERSHIPS),
        {
            "key": organisation_key,
            "value": organisation_value,
            "caf": caf_department,
            "issuer": issuer,
            "subject": subject,
        },
    )


async def enter_scope(database: RequestDatabase, settings: dict[str, str]) -> None:
    """Give the transaction the caller's scope and the service role, in one statement."""
    names = sorted(settings)
    calls = ", ".join(f"set_config(:name{i}, :value{i}, true)" for i in range(len(names)))
    parameters: dict[str, Any] = {"role": SERVICE_ROLE}
    for i, name in enumerate(names):
        parameters[f"name{i}"] = name
        parameters[f"value{i}"] = settings[name]
    await database.rows(text(f"SELECT {calls}, set_config('role', :role, true)"), parameters)
    database.national = settings.get("maillage.national") == "true"
