"""What row-level security cannot say, said by triggers from the same rules: which columns an update changes.

A policy judges a row, never which of its columns moved. So for a table whose rules name `fixed` columns, limit
some callers to some fields (`Partly`) or keep some fields to some callers (`Reserved`), a BEFORE UPDATE trigger
compares the row as it was and as it becomes, and refuses what the rules refuse with PostgreSQL's own
"insufficient privilege". It applies where row-level security does (`row_security_active`): to the service,
never to the owner's migrations and loads (nor to the owner's triggers, such as an action's funding totals).
The service's table privileges are also derived here from the rules: a table it may not delete from grants
no DELETE, whatever policy it has.
"""

from __future__ import annotations

from sqlalchemy import Table

from db.policies.conditions import TABLES, TableRules, table_of
from db.policies.sql import ROLE, sql

# Columns every update may move: bookkeeping, and the ones PostgreSQL computes (NULL in a BEFORE trigger).
_BOOKKEEPING = frozenset({"version", "updated_at"})


def _computed(table: Table) -> frozenset[str]:
    return frozenset(column.name for column in table.columns if column.computed is not None)


def _function(name: str) -> str:
    return f"{name}_changes_limited"


def _limited(rules: TableRules) -> bool:
    return bool(rules.fixed) or rules.partly is not None or rules.reserved is not None


def limit_names() -> list[tuple[str, str]]:
    """(table, trigger) of every limit trigger; each trigger's function has the trigger's name."""
    return [(name, _function(name)) for name, rules in TABLES.items() if _limited(rules)]


def _refuse(message: str) -> str:
    return f"RAISE EXCEPTION 'refused by the access rules: {message}' USING ERRCODE = 'insufficient_privilege';"


def _body(name: str, rules: TableRules) -> str:
    table = table_of(name)
    checks = []
    if rules.fixed:
        moved = " OR ".join(f"NEW.{column} IS DISTINCT FROM OLD.{column}" for column in sorted(rules.fixed))
        columns = ", ".join(sorted(rules.fixed))
        checks.append(f"IF {moved} THEN\n    {_refuse(f'{columns} of table {name} never change')}\n  END IF;")
    if rules.partly is not None:
        free = "ARRAY[" + ", ".join(f"'{c}'" for c in sorted(rules.partly.fields | _BOOKKEEPING | _computed(table)))
        free += "]"
        whole = sql(rules.partly.whole(table), table)
        fields = ", ".join(sorted(rules.partly.fields))
        checks.append(
            f"IF (to_jsonb(NEW) - {free}) IS DISTINCT FROM (to_jsonb(OLD) - {free})\n"
            f"     AND NOT (EXISTS (SELECT FROM (SELECT OLD.*) AS {name} WHERE {whole})\n"
            f"              AND EXISTS (SELECT FROM (SELECT NEW.*) AS {name} WHERE {whole})) THEN\n"
            f"    {_refuse(f'you may change only {fields} of this row of table {name}')}\n  END IF;"
        )
    if rules.reserved is not None:
        moved = " OR ".join(f"NEW.{column} IS DISTINCT FROM OLD.{column}" for column in sorted(rules.reserved.fields))
        who = sql(rules.reserved.who(table), table)
        fields = ", ".join(sorted(rules.reserved.fields))
        checks.append(
            f"IF ({moved})\n"
            f"     AND NOT (EXISTS (SELECT FROM (SELECT OLD.*) AS {name} WHERE {who})\n"
            f"              AND EXISTS (SELECT FROM (SELECT NEW.*) AS {name} WHERE {who})) THEN\n"
            f"    {_refuse(f'only its Caf changes {fields} of this row of table {name}')}\n  END IF;"
        )
    return "\n  ".join(checks)


def limit_statements() -> list[str]:
    statements = []
    for name, function in limit_names():
        statements.append(f"""
CREATE FUNCTION {function}() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF NOT row_security_active('{name}') THEN
    RETURN NEW;
  END IF;
  {_body(name, TABLES[name])}
  RETURN NEW;
END
$$""")
        statements.append(
            f"CREATE TRIGGER {function} BEFORE UPDATE ON {name} FOR EACH ROW EXECUTE FUNCTION {function}()"
        )
    return statements


def privileges(rules: TableRules) -> list[str]:
    """What the service may do to a table's rows, as SQL privileges."""
    granted = ["SELECT"]
    for privilege, rule in (("INSERT", rules.insert), ("UPDATE", rules.update), ("DELETE", rules.delete)):
        if rule is not None:
            granted.append(privilege)
    return granted


def privilege_statements() -> list[str]:
    return [
        statement
        for name, rules in TABLES.items()
        for statement in (
            f"REVOKE INSERT, UPDATE, DELETE ON {name} FROM {ROLE}",
            f"GRANT {', '.join(privileges(rules))} ON {name} TO {ROLE}",
        )
    ]
