"""SQL functions compiled reads build their JSON with: global IDs, cursors, timestamps, enum names.

Revision ID: 0011
Revises: 0010
Create Date: 2026-12-02 09:00:00.000000

Each writes a value exactly as the GraphQL layer serializes it in Python (schema/relay.py for IDs and
cursors, `datetime.isoformat()` for timestamps, upper-case names for enums), so that a query answered by
one compiled statement returns the same JSON as the resolvers. They are single-expression SQL functions,
which PostgreSQL inlines. `maillage_absent` fails the statement where a non-null field has no row, so that
the resolvers, not a JSON null, answer such a query.
"""

from collections.abc import Sequence

from alembic import op

revision: str = "0011"
down_revision: str | None = "0010"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

FUNCTIONS = {
    # base64url without padding, of "Type:key" in UTF-8 (encode() wraps its output every 76 characters).
    "maillage_global_id(type_name text, key text)": (
        "text",
        "IMMUTABLE",
        "SELECT rtrim(translate(encode(convert_to(type_name || ':' || key, 'UTF8'), 'base64'), E'+/\\n', '-_'), '=')",
    ),
    "maillage_cursor(place bigint)": (
        "text",
        "IMMUTABLE STRICT",
        "SELECT rtrim(translate(encode(convert_to('cursor:' || place, 'UTF8'), 'base64'), E'+/\\n', '-_'), '=')",
    ),
    # ISO 8601 in UTC as Python writes an aware datetime: microseconds only when there are some.
    "maillage_timestamp(instant timestamptz)": (
        "text",
        "STABLE STRICT",
        "SELECT to_char(instant AT TIME ZONE 'UTC', 'YYYY-MM-DD\"T\"HH24:MI:SS')"
        " || CASE WHEN to_char(instant AT TIME ZONE 'UTC', 'US') = '000000' THEN ''"
        " ELSE '.' || to_char(instant AT TIME ZONE 'UTC', 'US') END || '+00:00'",
    ),
    "maillage_enum_names(stored text[])": (
        "text[]",
        "IMMUTABLE STRICT",
        "SELECT ARRAY(SELECT upper(item) FROM unnest(stored) WITH ORDINALITY AS u(item, n) ORDER BY n)",
    ),
}

ABSENT = """
CREATE FUNCTION maillage_absent(type_name text) RETURNS json LANGUAGE plpgsql VOLATILE AS $$
BEGIN
  RAISE EXCEPTION 'a required % is not visible', type_name USING ERRCODE = 'MA001';
END
$$
"""


def upgrade() -> None:
    for signature, (returns, qualities, body) in FUNCTIONS.items():
        op.execute(f"CREATE FUNCTION {signature} RETURNS {returns} LANGUAGE sql {qualities} AS $$ {body} $$")
    op.execute(ABSENT)


def downgrade() -> None:
    op.execute("DROP FUNCTION maillage_absent(text)")
    for signature in reversed(FUNCTIONS):
        name, arguments = signature.rstrip(")").split("(")
        types = ", ".join(argument.split()[1] for argument in arguments.split(", "))
        op.execute(f"DROP FUNCTION {name}({types})")
