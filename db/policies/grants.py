"""The grant tables: their sources, the functions that keep them, and the triggers that call those.

Each grantor (action, scheme, organisation) has a view `<grantor>_grant_source` saying, branch by branch,
who relates how to each of its rows (the relations of auth/rules.py); its grant table is that view kept as
rows, so that a permission is one indexed probe rather than a computation over the national tables.
`refresh_grants(...)` recomputes the rows of some objects from their sources, writing only what changed;
row triggers on the tables the sources read call it for the objects a change touches. A scheme's grants read
action rows, an action's read scheme rows, and an organisation's read both grant tables: so schemes and
actions are refreshed first, then the organisations they lead to.

Bulk loads (the demo, the benchmark's generator) set `maillage.bulk_load` to `on`, which the triggers honour
for any role but the service's, and call `rebuild_grants()` once at the end.
"""

from __future__ import annotations

from auth.rules import Grantor, Key, Relation, dominating, read_only
from db.policies.keys import DEFINER, key_sql

PUBLISHED_KINDS = "('COG', 'CPOG', 'SDSF', 'SDAVS', 'EDUCATION_CHARTER')"
LOCAL_KINDS = "('CTG', 'CEJ')"


def _r(relation: Relation) -> str:
    return f"'{relation.value}'::text"


# Who changes a scheme, from its own columns: usable before the row exists (the INSERT policy) and by the
# source of its STEWARD grants alike.
STEWARD_KEY = f"""
CREATE FUNCTION scheme_steward_key(p_kind text, p_scope text, p_department text) RETURNS text
LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
  SELECT CASE WHEN p_scope = 'national' OR p_kind = 'CPOG' THEN {key_sql(Key.CNAF_EDITOR)}
              ELSE {key_sql(Key.CAF, "p_department")} END
$$"""

# The local authorities of a CTG or CEJ: its signatory local authority, and those whose territory it covers.
SCHEME_PLACE = f"""
CREATE VIEW scheme_place AS
  SELECT s.id AS scheme_id, {key_sql(Key.EPCI, "s.epci_siren")} AS grantee, {_r(Relation.LOCAL_AUTHORITY)} AS relation
  FROM scheme s WHERE s.kind IN {LOCAL_KINDS} AND s.scope = 'epci'
  UNION ALL
  SELECT s.id, {key_sql(Key.EPCI_AREA, "s.epci_siren")}, {_r(Relation.TERRITORY)}
  FROM scheme s WHERE s.kind IN {LOCAL_KINDS} AND s.scope = 'epci'
  UNION ALL
  SELECT l.scheme_id, {key_sql(Key.COMMUNE, "l.commune_insee_code")}, {_r(Relation.LOCAL_AUTHORITY)}
  FROM scheme_commune l JOIN scheme s ON s.id = l.scheme_id WHERE s.kind IN {LOCAL_KINDS} AND s.scope = 'communes'
  UNION ALL
  SELECT l.scheme_id, {key_sql(Key.EPCI, "c.epci_siren")}, {_r(Relation.TERRITORY)}
  FROM scheme_commune l JOIN scheme s ON s.id = l.scheme_id JOIN commune c ON c.insee_code = l.commune_insee_code
  WHERE s.kind IN {LOCAL_KINDS} AND s.scope = 'communes' AND c.epci_siren IS NOT NULL
  UNION ALL
  SELECT s.id, {key_sql(Key.COUNCIL, "s.department_code")}, {_r(Relation.LOCAL_AUTHORITY)}
  FROM scheme s WHERE s.kind IN {LOCAL_KINDS} AND s.scope = 'department'
  UNION ALL
  SELECT s.id, {key_sql(Key.DEPARTMENT_AREA, "s.department_code")}, {_r(Relation.TERRITORY)}
  FROM scheme s WHERE s.kind IN {LOCAL_KINDS} AND s.scope = 'department'
"""

ACTION_SOURCE = f"""
CREATE VIEW action_grant_source AS
  SELECT a.id AS action_id, {key_sql(Key.CAF, "s.department_code")} AS grantee, {_r(Relation.CAF)} AS relation
  FROM action a JOIN scheme s ON s.id = a.ctg_id WHERE s.department_code IS NOT NULL
  UNION ALL
  SELECT a.id, p.grantee, p.relation FROM action a JOIN scheme_place p ON p.scheme_id = a.ctg_id
  UNION ALL
  SELECT a.id, {key_sql(Key.ORGANISATION, "a.carrier_id")}, {_r(Relation.CARRIER)} FROM action a
  UNION ALL
  SELECT p.action_id, {key_sql(Key.ORGANISATION, "p.organisation_id")}, {_r(Relation.PARTNER)} FROM action_partner p
  UNION ALL
  SELECT a.id, {key_sql(Key.COSIGNATORY, "g.organisation_id")}, {_r(Relation.COSIGNATORY)}
  FROM action a JOIN signature g ON g.scheme_id = a.ctg_id
"""

SCHEME_SOURCE = f"""
CREATE VIEW scheme_grant_source AS
  SELECT s.id AS scheme_id, {key_sql(Key.PUBLIC)} AS grantee, {_r(Relation.PUBLIC)} AS relation
  FROM scheme s WHERE s.kind IN {PUBLISHED_KINDS} AND s.status <> 'draft'
  UNION ALL
  SELECT s.id, {key_sql(Key.CAF, "s.department_code")}, {_r(Relation.CAF)}
  FROM scheme s WHERE s.department_code IS NOT NULL
  UNION ALL
  SELECT s.id, scheme_steward_key(s.kind, s.scope, s.department_code), {_r(Relation.STEWARD)} FROM scheme s
  WHERE scheme_steward_key(s.kind, s.scope, s.department_code) IS NOT NULL
  UNION ALL
  SELECT p.scheme_id, p.grantee, p.relation FROM scheme_place p
  UNION ALL
  SELECT g.scheme_id, {key_sql(Key.ORGANISATION, "g.organisation_id")}, {_r(Relation.SIGNATORY)} FROM signature g
  UNION ALL
  SELECT a.ctg_id, {key_sql(Key.ORGANISATION, "a.carrier_id")}, {_r(Relation.PARTICIPANT)}
  FROM action a WHERE a.archived_at IS NULL
  UNION ALL
  SELECT a.ctg_id, {key_sql(Key.ORGANISATION, "p.organisation_id")}, {_r(Relation.PARTICIPANT)}
  FROM action_partner p JOIN action a ON a.id = p.action_id WHERE a.archived_at IS NULL
"""

# Facilities: their Caf, their manager, the local authorities of their territory. Everyone reads an open one (its
# public data only: the schema shows the rest to these relations, Can.SEE_DETAILS) by its status, not by a grant
# (conditions.facility_readable): a public grant of nearly every facility made every caller's grants national.
FACILITY_SOURCE = f"""
CREATE VIEW facility_grant_source AS
  SELECT f.id AS facility_id, {key_sql(Key.CAF, "f.department_code")} AS grantee, {_r(Relation.CAF)} AS relation
  FROM facility f WHERE f.department_code IS NOT NULL
  UNION ALL
  SELECT f.id, {key_sql(Key.ORGANISATION, "f.manager_id")}, {_r(Relation.MANAGER)} FROM facility f
  UNION ALL
  SELECT f.id, {key_sql(Key.COMMUNE, "f.commune_insee_code")}, {_r(Relation.TERRITORY)} FROM facility f
  UNION ALL
  SELECT f.id, {key_sql(Key.EPCI, "f.epci_siren")}, {_r(Relation.TERRITORY)}
  FROM facility f WHERE f.epci_siren IS NOT NULL
  UNION ALL
  SELECT f.id, {key_sql(Key.COUNCIL, "f.department_code")}, {_r(Relation.TERRITORY)}
  FROM facility f WHERE f.department_code IS NOT NULL
"""

ORGANISATION_SOURCE = f"""
CREATE VIEW organisation_grant_source AS
  SELECT o.id AS organisation_id, {key_sql(Key.PUBLIC)} AS grantee, {_r(Relation.PUBLIC)} AS relation
  FROM organisation o WHERE o.kind IN ('caf', 'cnaf')
  UNION ALL
  SELECT g.organisation_id, {key_sql(Key.PUBLIC)}, {_r(Relation.PUBLIC)}
  FROM signature g JOIN scheme s ON s.id = g.scheme_id
  WHERE s.kind IN {PUBLISHED_KINDS} AND s.status <> 'draft' AND s.archived_at IS NULL
  UNION ALL
  SELECT o.id, {key_sql(Key.ORGANISATION, "o.id")}, {_r(Relation.MEMBER)} FROM organisation o
  UNION ALL
  SELECT o.id, {key_sql(Key.CAF, "o.department_code")}, {_r(Relation.CAF)} FROM organisation o
  WHERE o.department_code IS NOT NULL
  UNION ALL
  SELECT o.id, {key_sql(Key.EPCI, "o.epci_siren")}, {_r(Relation.TERRITORY)} FROM organisation o
  WHERE o.epci_siren IS NOT NULL
  UNION ALL
  SELECT o.id, {key_sql(Key.COMMUNE, "o.commune_insee_code")}, {_r(Relation.TERRITORY)} FROM organisation o
  WHERE o.commune_insee_code IS NOT NULL
  UNION ALL
  SELECT o.id, {key_sql(Key.EPCI, "c.epci_siren")}, {_r(Relation.TERRITORY)}
  FROM organisation o JOIN commune c ON c.insee_code = o.commune_insee_code WHERE c.epci_siren IS NOT NULL
  UNION ALL
  SELECT r.organisation_id, r.grantee, {_r(Relation.RELATED)}
  FROM (
    SELECT a.carrier_id AS organisation_id, g.grantee
    FROM action a JOIN action_grant g ON g.action_id = a.id WHERE a.archived_at IS NULL
    UNION ALL
    SELECT p.organisation_id, g.grantee
    FROM action_partner p JOIN action a ON a.id = p.action_id JOIN action_grant g ON g.action_id = a.id
    WHERE a.archived_at IS NULL
    UNION ALL
    SELECT sg.organisation_id, g.grantee
    FROM signature sg JOIN scheme s ON s.id = sg.scheme_id JOIN scheme_grant g ON g.scheme_id = s.id
    WHERE s.archived_at IS NULL
    UNION ALL
    SELECT c.coordinator_organisation_id, g.grantee
    FROM ctg c JOIN scheme s ON s.id = c.scheme_id JOIN scheme_grant g ON g.scheme_id = s.id
    WHERE c.coordinator_organisation_id IS NOT NULL AND s.archived_at IS NULL
    UNION ALL
    SELECT f.manager_id, g.grantee
    FROM facility f JOIN facility_grant g ON g.facility_id = f.id
    WHERE f.archived_at IS NULL AND g.relation <> {_r(Relation.PUBLIC)}
  ) AS r
  -- The Cafs and the Cnaf are public: who else reaches them does not matter.
  WHERE NOT EXISTS (SELECT FROM organisation o WHERE o.id = r.organisation_id AND o.kind IN ('caf', 'cnaf'))
"""

SOURCES = (SCHEME_PLACE, ACTION_SOURCE, SCHEME_SOURCE, FACILITY_SOURCE, ORGANISATION_SOURCE)
VIEWS = (
    "organisation_grant_source",
    "facility_grant_source",
    "scheme_grant_source",
    "action_grant_source",
    "scheme_place",
)

# (grant table, its object column, its source view)
GRANT_TABLES = (
    ("scheme_grant", "scheme_id", "scheme_grant_source"),
    ("action_grant", "action_id", "action_grant_source"),
    ("facility_grant", "facility_id", "facility_grant_source"),
    ("organisation_grant", "organisation_id", "organisation_grant_source"),
)


def _sync(table: str, column: str, source: str) -> str:
    """Make the grant rows of the objects in `p_<table>` those of the source, touching only what changed."""
    return f"""
  IF cardinality(p_{table}) > 0 THEN
    WITH fresh AS (SELECT DISTINCT {column}, grantee, relation FROM {source} WHERE {column} = ANY(p_{table})),
    gone AS (
      DELETE FROM {table} AS t WHERE t.{column} = ANY(p_{table}) AND NOT EXISTS (
        SELECT FROM fresh AS f WHERE f.{column} = t.{column} AND f.grantee = t.grantee AND f.relation = t.relation
      )
    )
    INSERT INTO {table} ({column}, grantee, relation) SELECT {column}, grantee, relation FROM fresh
    ON CONFLICT DO NOTHING;
  END IF;"""


# Objects touched: some actions and schemes (`p_deep_schemes`: schemes whose own place, signatories or
# department changed, so their actions' grants change too), some organisations. Everything their grants lead
# to follows: the organisations carrying, partnering, signing or coordinating them.
REFRESH = f"""
CREATE FUNCTION refresh_grants(
  p_actions bigint[], p_schemes bigint[], p_deep_schemes bigint[], p_organisations bigint[],
  p_facilities bigint[] DEFAULT NULL
) RETURNS void LANGUAGE plpgsql VOLATILE {DEFINER} AS $$
DECLARE
  p_scheme_grant bigint[];
  p_action_grant bigint[];
  p_organisation_grant bigint[];
  p_facility_grant bigint[];
BEGIN
  p_scheme_grant := ARRAY(
    SELECT DISTINCT x FROM unnest(coalesce(p_schemes, '{{}}') || coalesce(p_deep_schemes, '{{}}')) AS x
    WHERE x IS NOT NULL
  );
  p_action_grant := ARRAY(
    SELECT x FROM unnest(coalesce(p_actions, '{{}}')) AS x WHERE x IS NOT NULL
    UNION SELECT a.id FROM action a WHERE a.ctg_id = ANY(coalesce(p_deep_schemes, '{{}}'))
  );
  {_sync("scheme_grant", "scheme_id", "scheme_grant_source")}
  {_sync("action_grant", "action_id", "action_grant_source")}
  p_facility_grant := ARRAY(SELECT x FROM unnest(coalesce(p_facilities, '{{}}')) AS x WHERE x IS NOT NULL);
  {_sync("facility_grant", "facility_id", "facility_grant_source")}
  p_organisation_grant := ARRAY(
    SELECT x FROM unnest(coalesce(p_organisations, '{{}}')) AS x WHERE x IS NOT NULL
    UNION SELECT a.carrier_id FROM action a WHERE a.id = ANY(p_action_grant)
    UNION SELECT p.organisation_id FROM action_partner p WHERE p.action_id = ANY(p_action_grant)
    UNION SELECT g.organisation_id FROM signature g WHERE g.scheme_id = ANY(p_scheme_grant)
    UNION SELECT c.coordinator_organisation_id FROM ctg c
      WHERE c.scheme_id = ANY(p_scheme_grant) AND c.coordinator_organisation_id IS NOT NULL
    UNION SELECT f.manager_id FROM facility f WHERE f.id = ANY(p_facility_grant)
  );
  {_sync("organisation_grant", "organisation_id", "organisation_grant_source")}
END
$$"""

REBUILD = f"""
CREATE FUNCTION rebuild_grants() RETURNS void LANGUAGE plpgsql VOLATILE {DEFINER} AS $$
BEGIN
  TRUNCATE scheme_grant, action_grant, facility_grant, organisation_grant;
  INSERT INTO scheme_grant SELECT DISTINCT scheme_id, grantee, relation FROM scheme_grant_source;
  INSERT INTO action_grant SELECT DISTINCT action_id, grantee, relation FROM action_grant_source;
  INSERT INTO facility_grant SELECT DISTINCT facility_id, grantee, relation FROM facility_grant_source;
  ANALYZE scheme_grant, action_grant, facility_grant;
  INSERT INTO organisation_grant SELECT DISTINCT organisation_id, grantee, relation FROM organisation_grant_source;
  ANALYZE organisation_grant;
END
$$"""

# A bulk load by the owner defers grants to one rebuild; the service never may.
_DEFERRED = (
    "IF current_setting('maillage.bulk_load', true) = 'on' AND current_user <> 'maillage_service' THEN\n"
    "    RETURN NULL;\n  END IF;"
)


def _trigger_function(name: str, body: str) -> str:
    return f"""
CREATE FUNCTION {name}() RETURNS trigger LANGUAGE plpgsql {DEFINER} AS $$
BEGIN
  {_DEFERRED}
  {body}
  RETURN NULL;
END
$$"""


def _changed(*columns: str) -> str:
    """The WHEN of an UPDATE trigger firing only when one of these columns changes."""
    return "WHEN (" + " OR ".join(f"OLD.{column} IS DISTINCT FROM NEW.{column}" for column in columns) + ")"


# table → (trigger function body, events and conditions). In the bodies, NEW and OLD are the row's.
TRIGGERS: dict[str, tuple[str, tuple[tuple[str, str], ...]]] = {
    "action": (
        "IF TG_OP = 'INSERT' THEN\n"
        "    PERFORM refresh_grants(ARRAY[NEW.id], ARRAY[NEW.ctg_id], NULL, NULL);\n"
        "  ELSIF TG_OP = 'UPDATE' THEN\n"
        "    PERFORM refresh_grants(ARRAY[NEW.id], ARRAY[OLD.ctg_id, NEW.ctg_id], NULL, ARRAY[OLD.carrier_id]);\n"
        "  ELSE\n"
        "    PERFORM refresh_grants(NULL, ARRAY[OLD.ctg_id], NULL, ARRAY[OLD.carrier_id]);\n"
        "  END IF;",
        (
            ("INSERT", ""),
            (
                "UPDATE",
                _changed("ctg_id", "carrier_id", "archived_at"),
            ),
            ("DELETE", ""),
        ),
    ),
    "action_partner": (
        "IF TG_OP = 'DELETE' THEN\n"
        "    PERFORM refresh_grants(ARRAY[OLD.action_id],"
        " (SELECT array_agg(ctg_id) FROM action WHERE id = OLD.action_id), NULL, ARRAY[OLD.organisation_id]);\n"
        "  ELSE\n"
        "    PERFORM refresh_grants(ARRAY[NEW.action_id],"
        " (SELECT array_agg(ctg_id) FROM action WHERE id = NEW.action_id), NULL, ARRAY[NEW.organisation_id]);\n"
        "  END IF;",
        (("INSERT", ""), ("DELETE", "")),
    ),
    "scheme": (
        "PERFORM refresh_grants(NULL, NULL, ARRAY[NEW.id], NULL);",
        (
            ("INSERT", ""),
            (
                "UPDATE",
                _changed("kind", "scope", "status", "department_code", "epci_siren", "archived_at"),
            ),
        ),
    ),
    "scheme_commune": (
        "IF TG_OP = 'DELETE' THEN\n"
        "    PERFORM refresh_grants(NULL, NULL, ARRAY[OLD.scheme_id], NULL);\n"
        "  ELSE\n"
        "    PERFORM refresh_grants(NULL, NULL, ARRAY[NEW.scheme_id], NULL);\n"
        "  END IF;",
        (("INSERT", ""), ("DELETE", "")),
    ),
    "signature": (
        "IF TG_OP = 'DELETE' THEN\n"
        "    PERFORM refresh_grants(NULL, NULL, ARRAY[OLD.scheme_id], ARRAY[OLD.organisation_id]);\n"
        "  ELSIF TG_OP = 'UPDATE' THEN\n"
        "    PERFORM refresh_grants(NULL, NULL, ARRAY[OLD.scheme_id, NEW.scheme_id], ARRAY[OLD.organisation_id]);\n"
        "  ELSE\n"
        "    PERFORM refresh_grants(NULL, NULL, ARRAY[NEW.scheme_id], NULL);\n"
        "  END IF;",
        (
            ("INSERT", ""),
            (
                "UPDATE",
                _changed("scheme_id", "organisation_id"),
            ),
            ("DELETE", ""),
        ),
    ),
    "ctg": (
        "IF TG_OP = 'INSERT' THEN\n"
        "    PERFORM refresh_grants(NULL, NULL, NULL, ARRAY[NEW.coordinator_organisation_id]);\n"
        "  ELSE\n"
        "    PERFORM refresh_grants(NULL, NULL, NULL,"
        " ARRAY[OLD.coordinator_organisation_id, NEW.coordinator_organisation_id]);\n"
        "  END IF;",
        (
            ("INSERT", ""),
            ("UPDATE", _changed("coordinator_organisation_id")),
        ),
    ),
    "organisation": (
        "PERFORM refresh_grants(NULL, NULL, NULL, ARRAY[NEW.id]);",
        (
            ("INSERT", ""),
            (
                "UPDATE",
                _changed("kind", "department_code", "epci_siren", "commune_insee_code"),
            ),
        ),
    ),
    "facility": (
        "IF TG_OP = 'INSERT' THEN\n"
        "    PERFORM refresh_grants(NULL, NULL, NULL, ARRAY[NEW.manager_id], ARRAY[NEW.id]);\n"
        "  ELSE\n"
        "    PERFORM refresh_grants(NULL, NULL, NULL, ARRAY[OLD.manager_id, NEW.manager_id], ARRAY[NEW.id]);\n"
        "  END IF;",
        (
            ("INSERT", ""),
            (
                "UPDATE",
                _changed("status", "manager_id", "department_code", "epci_siren", "commune_insee_code", "archived_at"),
            ),
        ),
    ),
    # A commune moving to another EPCI moves the territory of what lies in it or lists it.
    "commune": (
        "PERFORM refresh_grants(NULL, NULL,"
        " ARRAY(SELECT scheme_id FROM scheme_commune WHERE commune_insee_code = NEW.insee_code),"
        " ARRAY(SELECT id FROM organisation WHERE commune_insee_code = NEW.insee_code));",
        (("UPDATE", _changed("epci_siren")),),
    ),
}


def trigger_statements() -> list[str]:
    statements: list[str] = []
    for table, (body, events) in TRIGGERS.items():
        function = f"{table}_grants_changed"
        statements.append(_trigger_function(function, body))
        for event, condition in events:
            statements.append(
                f"CREATE TRIGGER {table}_grants_{event.lower()} AFTER {event} ON {table} FOR EACH ROW "
                f"{condition} EXECUTE FUNCTION {function}()".replace("  ", " ")
            )
    return statements


def trigger_names() -> list[tuple[str, str]]:
    """(table, trigger) of every trigger above, for dropping them."""
    return [
        (table, f"{table}_grants_{event.lower()}") for table, (_body, events) in TRIGGERS.items() for event, _ in events
    ]


FUNCTIONS = (
    "scheme_steward_key(text, text, text)",
    "confers_within(text[], text[])",
    "refresh_grants(bigint[], bigint[], bigint[], bigint[], bigint[])",
    "rebuild_grants()",
    *(f"{table}_grants_changed()" for table in TRIGGERS),
)


def _quoted(relations: frozenset[Relation]) -> str:
    return ", ".join(f"'{relation.value}'" for relation in sorted(relations))


def _reach_dominated(grantor: Grantor, table: str, column: str) -> str:
    """No object of `table` that `p_new` reaches in a relation `p_granter` does not reach as far: any relation
    of the granter's will do where the new one only reads; otherwise one that allows at least as much."""
    only_reading = read_only(grantor)
    reading = _quoted(only_reading) or "NULL"
    cases = " ".join(
        f"WHEN '{relation.value}' THEN ARRAY[{_quoted(dominating(grantor, relation))}]"
        for relation in Relation
        if relation not in only_reading
    )
    as_strong = f"g.relation = ANY(CASE n.relation::text {cases} END)" if cases else "false"
    return f"""NOT EXISTS (
      SELECT FROM {table} AS n
      WHERE n.grantee = ANY(p_new) AND n.grantee <> ALL(p_granter)
        AND NOT (n.relation IN ({reading}) AND {key_sql(Key.NATIONAL)} = ANY(p_granter))
        AND NOT EXISTS (
          SELECT FROM {table} AS g
          WHERE g.{column} = n.{column} AND g.grantee = ANY(p_granter)
            AND (n.relation IN ({reading}) OR {as_strong})
        )
    )"""


def confers_within_function() -> str:
    """Whether keys `p_new` (what a role would give) reach nothing beyond keys `p_granter` (what its granter
    holds): every object a new key reaches, the granter reaches in a relation that allows at least as much.
    Keys no grant table holds are capabilities: only their holders confer them (an organisation's admin
    rights, also the Caf managers of its department); the Cnaf's managers confer anything."""
    reaches = "\n    AND ".join(
        _reach_dominated(grantor, table, column)
        for grantor, (table, column) in (
            (Grantor.ACTION, ("action_grant", "action_id")),
            (Grantor.SCHEME, ("scheme_grant", "scheme_id")),
            (Grantor.ORGANISATION, ("organisation_grant", "organisation_id")),
            (Grantor.FACILITY, ("facility_grant", "facility_id")),
        )
    )
    admin_prefix = len(f"{Key.ADMIN.value}:")
    return f"""
CREATE FUNCTION confers_within(p_new text[], p_granter text[]) RETURNS boolean
LANGUAGE sql STABLE {DEFINER} AS $$
  SELECT {key_sql(Key.CNAF_EDITOR)} = ANY(p_granter) OR (
    NOT EXISTS (
      SELECT FROM unnest(p_new) AS k(key)
      WHERE k.key <> ALL(p_granter) AND (
        k.key IN ({key_sql(Key.NATIONAL)}, {key_sql(Key.CNAF_EDITOR)})
        OR k.key LIKE '{Key.CAF_MANAGER.value}:%'
        OR (k.key LIKE '{Key.ADMIN.value}:%' AND NOT EXISTS (
          SELECT FROM organisation o
          WHERE o.id::text = substr(k.key, {admin_prefix + 1})
            AND {key_sql(Key.CAF_MANAGER, "o.department_code")} = ANY(p_granter)
        ))
      )
    )
    AND {reaches}
  )
$$"""
