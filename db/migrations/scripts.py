"""SQL scripts frozen beside the migrations that run them: the access rules' install and uninstall scripts
(written by `python -m db.policies.ddl REVISION`) and the like."""

from __future__ import annotations

from pathlib import Path

from alembic import op

VERSIONS = Path(__file__).parent / "versions"
# Statements are separated by a line holding only `--`, as db/policies/ddl.py writes them.
SEPARATOR = "\n--\n"


def run_script(name: str) -> None:
    """Run each statement of the script `name` of the versions folder, in order."""
    for statement in (VERSIONS / name).read_text().split(SEPARATOR):
        if statement.strip():
            op.execute(statement)
