"""The access rules as one SQL script: functions, grant sources and triggers, policies, privileges.

`install_script()` is what a migration runs whenever the rules change; it is frozen into the migration's
folder (`db/migrations/versions/<revision>_access_rules.sql`), and a test checks that the frozen script is
still what the rules generate, so that a change of auth/rules.py or of this package cannot go unmigrated.
`uninstall_script()` removes everything it installed, in reverse.
"""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import Any

from sqlalchemy import ColumnElement, Select, Table, literal_column, select
from sqlalchemy.dialects import postgresql

from db import models
from db.policies import grants, keys
from db.policies.conditions import NATIONAL_READS, TABLES, TableRules, _table

ROLE = "maillage_service"

ACCESS_KEYS = """
CREATE FUNCTION access_keys() RETURNS text[] LANGUAGE sql STABLE PARALLEL SAFE AS $$
  SELECT coalesce(string_to_array(nullif(current_setting('maillage.keys', true), ''), ','), '{}'::text[])
         || ARRAY['public']
$$"""

ACCESS_NATIONAL = """
CREATE FUNCTION access_national() RETURNS boolean LANGUAGE sql STABLE PARALLEL SAFE AS $$
  SELECT 'national' = ANY(access_keys())
$$"""

# Whether an organisation is archived, whoever may see it: an identity's own habilitations in an organisation
# it no longer sees leave its reads when the organisation is archived, like every child of an archived row.
ORGANISATION_ARCHIVED = f"""
CREATE FUNCTION organisation_archived(p_organisation bigint) RETURNS boolean
LANGUAGE sql STABLE {keys.DEFINER} AS $$
  SELECT EXISTS (SELECT FROM organisation WHERE id = p_organisation AND archived_at IS NOT NULL)
$$"""

GRANT_TABLES = ("action_grant", "scheme_grant", "organisation_grant", "facility_grant")

# Functions the service calls, in policies or to resolve its caller; the others only the owner runs.
SERVICE_FUNCTIONS = (
    "access_keys()",
    "access_national()",
    "membership_keys(bigint, text)",
    "caller_access(text, text, text, text, text, text[])",
    "confers_within(text[], text[])",
    "scheme_steward_key(text, text, text)",
    "organisation_archived(bigint)",
)
ALL_FUNCTIONS = (
    "access_keys()",
    "access_national()",
    "organisation_archived(bigint)",
    "membership_keys(bigint, text)",
    "caller_access(text, text, text, text, text, text[])",
    *grants.FUNCTIONS,
)
_DIALECT = postgresql.dialect()  # type: ignore[no-untyped-call]


def sql(condition: ColumnElement[bool], table: Table) -> str:
    """A condition on `table` as PostgreSQL reads it in one of its policies. It is compiled inside a query of
    the table, so that its sub-queries correlate to the policy's row rather than read the table afresh."""
    statement: Select[Any] = select(literal_column("1")).select_from(table).where(condition)
    text = str(statement.compile(dialect=_DIALECT, compile_kwargs={"literal_binds": True}))
    head = f"SELECT 1 \nFROM {table.name} \nWHERE "
    assert text.startswith(head), text
    return text.removeprefix(head)


def _policies(name: str, rules: TableRules) -> list[str]:
    table = _table(_MODELS[name])
    read = sql(rules.read(table), table)
    if name in NATIONAL_READS:
        read = f"(SELECT access_national()) OR ({read})"
    statements = [f"CREATE POLICY {name}_read ON {name} FOR SELECT TO {ROLE} USING ({read})"]
    if rules.insert is not None:
        statements.append(
            f"CREATE POLICY {name}_insert ON {name} FOR INSERT TO {ROLE} WITH CHECK ({sql(rules.insert(table), table)})"
        )
    if rules.update is not None:
        check = rules.update_check or rules.update
        statements.append(
            f"CREATE POLICY {name}_update ON {name} FOR UPDATE TO {ROLE} "
            f"USING ({sql(rules.update(table), table)}) WITH CHECK ({sql(check(table), table)})"
        )
    if rules.delete is not None:
        statements.append(
            f"CREATE POLICY {name}_delete ON {name} FOR DELETE TO {ROLE} USING ({sql(rules.delete(table), table)})"
        )
    return statements


_MODELS = {
    "action": models.Action,
    "action_partner": models.ActionPartner,
    "action_objective": models.ActionObjective,
    "indicator": models.Indicator,
    "indicator_value": models.IndicatorValue,
    "scheme": models.Scheme,
    "ctg": models.Ctg,
    "scheme_objective": models.SchemeObjective,
    "signature": models.Signature,
    "scheme_commune": models.SchemeCommune,
    "governance_body": models.GovernanceBody,
    "organisation": models.Organisation,
    "habilitation": models.Habilitation,
    "facility": models.Facility,
    "facility_action": models.FacilityAction,
    "funding_line": models.FundingLine,
    "audit_event": models.AuditEvent,
    "idempotency_key": models.IdempotencyKey,
}


def policy_names() -> list[tuple[str, str]]:
    """(table, policy) of every policy `install_script` creates."""
    names = []
    for name, rules in TABLES.items():
        names.append((name, f"{name}_read"))
        names += [
            (name, f"{name}_{operation}")
            for operation, rule in (("insert", rules.insert), ("update", rules.update), ("delete", rules.delete))
            if rule is not None
        ]
    return names


def install_statements() -> list[str]:
    statements = [
        ACCESS_KEYS,
        ACCESS_NATIONAL,
        ORGANISATION_ARCHIVED,
        keys.membership_keys_function(),
        keys.caller_access_function(),
        grants.STEWARD_KEY,
        *grants.SOURCES,
        grants.REFRESH,
        grants.REBUILD,
        grants.confers_within_function(),
        *grants.trigger_statements(),
    ]
    for name, rules in TABLES.items():
        statements += _policies(name, rules)
    functions = ", ".join(ALL_FUNCTIONS)
    statements += [
        f"REVOKE EXECUTE ON FUNCTION {functions} FROM PUBLIC",
        f"GRANT EXECUTE ON FUNCTION {', '.join(SERVICE_FUNCTIONS)} TO {ROLE}",
        f"GRANT SELECT ON {', '.join(GRANT_TABLES)} TO {ROLE}",
    ]
    return statements


def uninstall_statements() -> list[str]:
    statements = [f"DROP POLICY {policy} ON {table}" for table, policy in reversed(policy_names())]
    statements += [f"DROP TRIGGER {trigger} ON {table}" for table, trigger in reversed(grants.trigger_names())]
    statements += [f"REVOKE SELECT ON {', '.join(GRANT_TABLES)} FROM {ROLE}"]
    statements += [f"DROP VIEW {view}" for view in grants.VIEWS]
    statements += [f"DROP FUNCTION {name}" for name in reversed(grants.FUNCTIONS)]
    statements += [
        "DROP FUNCTION caller_access(text, text, text, text, text, text[])",
        "DROP FUNCTION membership_keys(bigint, text)",
        "DROP FUNCTION organisation_archived(bigint)",
        "DROP FUNCTION access_national()",
        "DROP FUNCTION access_keys()",
    ]
    return statements


# The statements of a script are separated by a line holding only `--` (an empty SQL comment).
SEPARATOR = "\n--\n"


def _script(statements: list[str]) -> str:
    return SEPARATOR.join(statement.strip() for statement in statements) + "\n"


def install_script() -> str:
    return _script(install_statements())


def uninstall_script() -> str:
    return _script(uninstall_statements())


def split_script(script: str) -> list[str]:
    """A frozen script back into its statements."""
    return [statement for statement in script.split(SEPARATOR) if statement.strip()]


MIGRATIONS = Path(__file__).parent.parent / "migrations" / "versions"


def frozen(revision: str) -> tuple[Path, Path]:
    """The install and uninstall scripts a migration of `revision` runs."""
    return MIGRATIONS / f"{revision}_access_rules.sql", MIGRATIONS / f"{revision}_access_rules_down.sql"


def latest_frozen() -> Path:
    """The install script of the newest migration that installed the rules."""
    return max(MIGRATIONS.glob("*_access_rules.sql"))


def main() -> None:
    """`python -m db.policies.ddl REVISION`: write the scripts for a new migration of that revision, after a
    change to the rules (the migration itself runs them as 0013 does)."""
    parser = argparse.ArgumentParser(description=main.__doc__)
    parser.add_argument("revision")
    install, uninstall = frozen(parser.parse_args().revision)
    install.write_text(install_script())
    uninstall.write_text(uninstall_script())
    print(f"wrote {install} and {uninstall}")


if __name__ == "__main__":
    main()
