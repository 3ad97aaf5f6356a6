"""A caller's keys, computed by PostgreSQL from `auth.rules.ROLES`.

`membership_keys(organisation, role)` gives the keys one role gives in one organisation; `caller_access(...)`
finds who a token's identity is in Maillage (the organisation its token names, the Caf of its `caf` claim,
its habilitations in force) and returns each membership with its keys. The same function serves the
habilitation rules: what a role would give is compared with what its granter holds (`db.policies.grants`).
"""

from __future__ import annotations

from collections.abc import Iterable

from auth.rules import ANY_KIND, CAF_CLAIM_ROLES, EVERY_MEMBERSHIP, ROLES, Fact, Key, KeyTemplate

DEFINER = "SECURITY DEFINER SET search_path = public, pg_temp"

# Each fact about the organisation `o`, as SQL; EPCI_DEPARTMENTS is a set.
_FACTS = {
    Fact.ID: "o.id::text",
    Fact.DEPARTMENT: "o.department_code::text",
    Fact.EPCI: "o.epci_siren::text",
    Fact.COMMUNE: "o.commune_insee_code::text",
    Fact.COMMUNE_EPCI: "(SELECT c.epci_siren::text FROM commune c WHERE c.insee_code = o.commune_insee_code)",
}
_EPCI_DEPARTMENTS = "SELECT DISTINCT c.department_code::text FROM commune c WHERE c.epci_siren = o.epci_siren"


def key_sql(kind: Key, value_sql: str | None = None) -> str:
    """The key `kind:value` as an SQL expression (NULL when the value is)."""
    return f"'{kind.value}'" if value_sql is None else f"('{kind.value}:' || {value_sql})"


def _array(templates: tuple[KeyTemplate, ...]) -> str:
    """The keys of `templates` as an SQL array over the organisation `o` (NULL items for missing facts)."""
    single = [
        key_sql(kind, None if fact is None else _FACTS[fact])
        for kind, fact in templates
        if fact in _FACTS or fact is None
    ]
    parts = ["ARRAY[" + ", ".join(single) + "]::text[]"]
    parts += [
        f"ARRAY(SELECT {key_sql(kind, 'd')} FROM ({_EPCI_DEPARTMENTS}) AS x(d))"
        for kind, fact in templates
        if fact is Fact.EPCI_DEPARTMENTS
    ]
    return " || ".join(parts)


def _kinds(kinds: Iterable[str]) -> str:
    return "(" + ", ".join(f"'{kind}'" for kind in sorted(kinds)) + ")"


def _cases() -> list[str]:
    """One WHEN per role and organisation kind with keys of their own, then one per role for its other kinds."""
    cases: list[str] = []
    for role, rule in ROLES.items():
        specific = sorted(kind for kind in rule.keys if kind != ANY_KIND)
        for kind in specific:
            cases.append(f"WHEN p_role = '{role.value}' AND o.kind = '{kind}' THEN {_array(rule.templates(kind))}")
        others = None if rule.kinds is None else rule.kinds - set(specific)
        if others is not None and not others:
            continue
        condition = f"p_role = '{role.value}'"
        if others is not None:
            condition += f" AND o.kind IN {_kinds(others)}"
        elif specific:
            condition += f" AND o.kind NOT IN {_kinds(specific)}"
        templates = (*EVERY_MEMBERSHIP, *rule.keys.get(ANY_KIND, ()))
        cases.append(f"WHEN {condition} THEN {_array(templates)}")
    return cases


def membership_keys_function() -> str:
    cases = "\n      ".join(_cases())
    return f"""
CREATE FUNCTION membership_keys(p_organisation bigint, p_role text) RETURNS text[]
LANGUAGE sql STABLE {DEFINER} AS $$
  SELECT coalesce(array_remove(CASE
      {cases}
      ELSE '{{}}'::text[]
    END, NULL), '{{}}'::text[])
  FROM organisation o WHERE o.id = p_organisation AND o.archived_at IS NULL
$$"""


_ROW = "o.id, o.kind::text, o.department_code::text, o.epci_siren::text, o.commune_insee_code::text"
_CAF_ROLES = "ARRAY[" + ", ".join(f"'{role.value}'" for role in sorted(CAF_CLAIM_ROLES)) + "]"

# Each key an organisation may be named by in a token, and the branch that finds it by its unique index.
_NAMED = {
    "ref": "o.ref = p_value",
    "siret": "o.siret = p_value",
    "siren": "o.siren = p_value",
}


def caller_access_function() -> str:
    """Who a token's identity is: rows (id, kind, department_code, epci_siren, commune_insee_code, role, keys),
    one per membership that counts. PL/pgSQL, so that its plans are kept for the session; one branch per key
    an organisation may be named by, each answered by its unique index. Archived organisations count for
    nobody."""
    named = "\n  ".join(
        f"{'IF' if i == 0 else 'ELSIF'} p_key = '{name}' THEN\n"
        f"    RETURN QUERY SELECT {_ROW}, r.role, membership_keys(o.id, r.role)\n"
        f"    FROM organisation o, unnest(p_roles) AS r(role) WHERE {condition} AND o.archived_at IS NULL;"
        for i, (name, condition) in enumerate(_NAMED.items())
    )
    return f"""
CREATE FUNCTION caller_access(
  p_key text, p_value text, p_caf text, p_issuer text, p_subject text, p_roles text[]
) RETURNS TABLE (
  id bigint, kind text, department_code text, epci_siren text, commune_insee_code text, role text, keys text[]
)
LANGUAGE plpgsql STABLE {DEFINER} AS $$
BEGIN
  -- The organisation the token names, by the one key it names it by, with each of the token's roles.
  {named}
  ELSIF p_key = 'id' AND p_value ~ '^[0-9]{{1,18}}$' THEN
    RETURN QUERY SELECT {_ROW}, r.role, membership_keys(o.id, r.role)
    FROM organisation o, unnest(p_roles) AS r(role) WHERE o.id = p_value::bigint AND o.archived_at IS NULL;
  END IF;
  -- The Caf of the token's `caf` claim, for its Caf roles only, when the token names no organisation.
  IF p_caf IS NOT NULL AND (p_key IS NULL OR p_value IS NULL) THEN
    RETURN QUERY SELECT {_ROW}, r.role, membership_keys(o.id, r.role)
    FROM organisation o, unnest(p_roles) AS r(role)
    WHERE o.kind = 'caf' AND o.department_code = p_caf AND o.archived_at IS NULL AND r.role = ANY({_CAF_ROLES});
  END IF;
  -- The identity's habilitations in force, each with its own role.
  RETURN QUERY SELECT {_ROW}, h.role::text, membership_keys(o.id, h.role)
  FROM habilitation AS h JOIN organisation o ON o.id = h.organisation_id
  WHERE h.issuer = p_issuer AND h.subject = p_subject AND o.archived_at IS NULL
    AND h.status = 'active' AND (h.expires_at IS NULL OR h.expires_at > now());
END
$$"""


# How the application calls it: the arguments, in order, are those of `db.access.MembershipQuery`.
CALLER_ACCESS = "caller_access"
CALLER_ACCESS_ARGUMENTS = 6
