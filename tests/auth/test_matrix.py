"""The authorization matrix as data (auth/matrix.py): it names every mutation of the schema, and the README's
section "Who may change what" is what it renders. Its rows are played over HTTP by
tests/schema/test_authorization_matrix.py."""

from __future__ import annotations

import re
from pathlib import Path

from graphql import build_schema

from auth import matrix as m

_HEADING = re.compile(r"^#{1,3} ")


def _readme_section(readme: str) -> str:
    """The README's section under the matrix's heading, up to the next heading of its level or above."""
    lines = readme.splitlines()
    start = lines.index(m.HEADING)
    end = next((i for i in range(start + 1, len(lines)) if _HEADING.match(lines[i])), len(lines))
    return "\n".join(lines[start:end]).rstrip("\n") + "\n"


def test_the_readme_shows_the_matrix_as_the_data_renders_it(project_root: Path) -> None:
    readme = (project_root / "README.md").read_text(encoding="utf-8")

    section = _readme_section(readme)

    assert section == m.markdown(), "README.md's matrix is stale: replace its section by `python -m auth.matrix`"


def test_the_matrix_names_every_mutation_of_the_schema(project_root: Path) -> None:
    schema = build_schema((project_root / "schema.graphql").read_text(encoding="utf-8"))
    assert schema.mutation_type is not None

    in_matrix = {row.mutation.name for row in m.ROWS}

    assert in_matrix == set(schema.mutation_type.fields)


def test_each_row_says_one_outcome_and_a_refusal_names_a_field_or_none() -> None:
    keys = [row.key for row in m.ROWS]

    assert len(keys) == len(set(keys))
    assert all(row.field is None for row in m.ROWS if row.outcome is m.ALLOWED)
    refused_on = {row.field for row in m.ROWS if row.outcome is not m.ALLOWED}
    assert refused_on >= {"id", "title", "status", "subject", "role", None}


def test_every_kind_of_caller_appears_in_every_family_it_may_act_in() -> None:
    callers = {
        family.title: {line.persona for line in family.lines} for family in m.FAMILIES if family is not m.HABILITATIONS
    }

    expected = {m.ANONYMOUS, m.MEMBER, m.EPCI_STAFF, m.CAF_AGENT, m.CAF_MANAGER, m.CNAF_ANALYST, m.CNAF_MANAGER}
    assert all(expected <= personas for personas in callers.values()), callers
    assert {m.COMMUNE_STAFF, m.COSIGNATORY, m.ADMIN} <= callers[m.ACTIONS.title]
