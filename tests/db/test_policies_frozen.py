"""The access rules a migration installs are the ones auth/rules.py and db/policies generate today.

A change of the rules must come with a migration that installs them (`python -m db.policies.ddl REVISION`
writes its scripts): otherwise a database would run yesterday's policies under today's application.
"""

from __future__ import annotations

import re

from db.policies.ddl import install_script, latest_frozen, split_script, uninstall_script

CREATED = re.compile(r"CREATE (FUNCTION|VIEW|TRIGGER|POLICY) (\w+)")
DROPPED = re.compile(r"DROP (FUNCTION|VIEW|TRIGGER|POLICY) (\w+)")


def test_the_newest_migration_installs_the_rules_as_they_are_written() -> None:
    frozen = latest_frozen()
    down = frozen.with_name(frozen.name.replace("_access_rules.sql", "_access_rules_down.sql"))

    assert frozen.read_text() == install_script(), f"run: python -m db.policies.ddl <new revision> ({frozen.name})"
    assert down.read_text() == uninstall_script()


def test_every_installed_object_is_removed_by_the_uninstall_script() -> None:
    installed = split_script(install_script())
    removed = split_script(uninstall_script())

    created = [match.groups() for statement in installed if (match := CREATED.match(statement.strip()))]
    dropped = {match.groups() for statement in removed if (match := DROPPED.match(statement.strip()))}
    assert created
    assert set(created) == dropped
