"""The committed schema.graphql is the schema the code serves."""

from __future__ import annotations

from pathlib import Path

from schema import schema


def test_schema_graphql_matches_the_code(project_root: Path) -> None:
    committed = (project_root / "schema.graphql").read_text(encoding="utf-8")

    assert committed == schema.as_str() + "\n", "schema.graphql is stale: run `maillage export-schema`"


def test_every_type_and_field_is_described() -> None:
    undocumented = []
    for name, graphql_type in schema._schema.type_map.items():
        if name.startswith("__") or name in {"String", "Int", "Float", "Boolean", "ID"}:
            continue
        if not graphql_type.description:
            undocumented.append(name)
        for field_name, field in getattr(graphql_type, "fields", {}).items():
            if not field.description:
                undocumented.append(f"{name}.{field_name}")

    assert undocumented == []
