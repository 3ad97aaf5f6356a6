CREATE FUNCTION access_keys() RETURNS text[] LANGUAGE sql STABLE PARALLEL SAFE AS $$
  SELECT coalesce(string_to_array(nullif(current_setting('maillage.keys', true), ''), ','), '{}'::text[])
         || ARRAY['public']
$$
--
CREATE FUNCTION access_national() RETURNS boolean LANGUAGE sql STABLE PARALLEL SAFE AS $$
  SELECT 'national' = ANY(access_keys())
$$
--
CREATE FUNCTION organisation_archived(p_organisation bigint) RETURNS boolean
LANGUAGE sql STABLE SECURITY DEFINER SET search_path = public, pg_temp AS $$
  SELECT EXISTS (SELECT FROM organisation WHERE id = p_organisation AND archived_at IS NOT NULL)
$$
--
CREATE FUNCTION membership_keys(p_organisation bigint, p_role text) RETURNS text[]
LANGUAGE sql STABLE SECURITY DEFINER SET search_path = public, pg_temp AS $$
  SELECT coalesce(array_remove(CASE
      WHEN p_role = 'cnaf_analyst' AND o.kind IN ('cnaf') THEN ARRAY[('org:' || o.id::text), 'national']::text[]
      WHEN p_role = 'cnaf_manager' AND o.kind IN ('cnaf') THEN ARRAY[('org:' || o.id::text), 'national', 'cnaf-editor']::text[]
      WHEN p_role = 'caf_agent' AND o.kind IN ('caf') THEN ARRAY[('org:' || o.id::text), ('caf:' || o.department_code::text)]::text[]
      WHEN p_role = 'caf_manager' AND o.kind IN ('caf') THEN ARRAY[('org:' || o.id::text), ('caf:' || o.department_code::text), ('caf-manager:' || o.department_code::text)]::text[]
      WHEN p_role = 'local_authority_staff' AND o.kind = 'commune' THEN ARRAY[('org:' || o.id::text), ('commune:' || o.commune_insee_code::text), ('epci-area:' || (SELECT c.epci_siren::text FROM commune c WHERE c.insee_code = o.commune_insee_code)), ('dep-area:' || o.department_code::text)]::text[]
      WHEN p_role = 'local_authority_staff' AND o.kind = 'departmental_council' THEN ARRAY[('org:' || o.id::text), ('council:' || o.department_code::text), ('dep-area:' || o.department_code::text)]::text[]
      WHEN p_role = 'local_authority_staff' AND o.kind = 'epci' THEN ARRAY[('org:' || o.id::text), ('epci:' || o.epci_siren::text), ('epci-area:' || o.epci_siren::text)]::text[] || ARRAY(SELECT ('dep-area:' || d) FROM (SELECT DISTINCT c.department_code::text FROM commune c WHERE c.epci_siren = o.epci_siren) AS x(d))
      WHEN p_role = 'association_member' THEN ARRAY[('org:' || o.id::text)]::text[]
      WHEN p_role = 'cosignatory' THEN ARRAY[('org:' || o.id::text), ('cosig:' || o.id::text)]::text[]
      WHEN p_role = 'organisation_admin' THEN ARRAY[('org:' || o.id::text), ('admin:' || o.id::text)]::text[]
      ELSE '{}'::text[]
    END, NULL), '{}'::text[])
  FROM organisation o WHERE o.id = p_organisation AND o.archived_at IS NULL
$$
--
CREATE FUNCTION caller_access(
  p_key text, p_value text, p_caf text, p_issuer text, p_subject text, p_roles text[]
) RETURNS TABLE (
  id bigint, kind text, department_code text, epci_siren text, commune_insee_code text, role text, keys text[]
)
LANGUAGE plpgsql STABLE SECURITY DEFINER SET search_path = public, pg_temp AS $$
BEGIN
  -- The organisation the token names, by the one key it names it by, with each of the token's roles.
  IF p_key = 'ref' THEN
    RETURN QUERY SELECT o.id, o.kind::text, o.department_code::text, o.epci_siren::text, o.commune_insee_code::text, r.role, membership_keys(o.id, r.role)
    FROM organisation o, unnest(p_roles) AS r(role) WHERE o.ref = p_value AND o.archived_at IS NULL;
  ELSIF p_key = 'siret' THEN
    RETURN QUERY SELECT o.id, o.kind::text, o.department_code::text, o.epci_siren::text, o.commune_insee_code::text, r.role, membership_keys(o.id, r.role)
    FROM organisation o, unnest(p_roles) AS r(role) WHERE o.siret = p_value AND o.archived_at IS NULL;
  ELSIF p_key = 'siren' THEN
    RETURN QUERY SELECT o.id, o.kind::text, o.department_code::text, o.epci_siren::text, o.commune_insee_code::text, r.role, membership_keys(o.id, r.role)
    FROM organisation o, unnest(p_roles) AS r(role) WHERE o.siren = p_value AND o.archived_at IS NULL;
  ELSIF p_key = 'id' AND p_value ~ '^[0-9]{1,18}$' THEN
    RETURN QUERY SELECT o.id, o.kind::text, o.department_code::text, o.epci_siren::text, o.commune_insee_code::text, r.role, membership_keys(o.id, r.role)
    FROM organisation o, unnest(p_roles) AS r(role) WHERE o.id = p_value::bigint AND o.archived_at IS NULL;
  END IF;
  -- The Caf of the token's `caf` claim, for its Caf roles only, when the token names no organisation.
  IF p_caf IS NOT NULL AND (p_key IS NULL OR p_value IS NULL) THEN
    RETURN QUERY SELECT o.id, o.kind::text, o.department_code::text, o.epci_siren::text, o.commune_insee_code::text, r.role, membership_keys(o.id, r.role)
    FROM organisation o, unnest(p_roles) AS r(role)
    WHERE o.kind = 'caf' AND o.department_code = p_caf AND o.archived_at IS NULL AND r.role = ANY(ARRAY['caf_agent', 'caf_manager']);
  END IF;
  -- The identity's habilitations in force, each with its own role.
  RETURN QUERY SELECT o.id, o.kind::text, o.department_code::text, o.epci_siren::text, o.commune_insee_code::text, h.role::text, membership_keys(o.id, h.role)
  FROM habilitation AS h JOIN organisation o ON o.id = h.organisation_id
  WHERE h.issuer = p_issuer AND h.subject = p_subject AND o.archived_at IS NULL
    AND h.status = 'active' AND (h.expires_at IS NULL OR h.expires_at > now());
END
$$
--
CREATE FUNCTION scheme_steward_key(p_kind text, p_scope text, p_department text) RETURNS text
LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
  SELECT CASE WHEN p_scope = 'national' OR p_kind = 'CPOG' THEN 'cnaf-editor'
              ELSE ('caf:' || p_department) END
$$
--
CREATE VIEW scheme_place AS
  SELECT s.id AS scheme_id, ('epci:' || s.epci_siren) AS grantee, 'local_authority'::text AS relation
  FROM scheme s WHERE s.kind IN ('CTG', 'CEJ') AND s.scope = 'epci'
  UNION ALL
  SELECT s.id, ('epci-area:' || s.epci_siren), 'territory'::text
  FROM scheme s WHERE s.kind IN ('CTG', 'CEJ') AND s.scope = 'epci'
  UNION ALL
  SELECT l.scheme_id, ('commune:' || l.commune_insee_code), 'local_authority'::text
  FROM scheme_commune l JOIN scheme s ON s.id = l.scheme_id WHERE s.kind IN ('CTG', 'CEJ') AND s.scope = 'communes'
  UNION ALL
  SELECT l.scheme_id, ('epci:' || c.epci_siren), 'territory'::text
  FROM scheme_commune l JOIN scheme s ON s.id = l.scheme_id JOIN commune c ON c.insee_code = l.commune_insee_code
  WHERE s.kind IN ('CTG', 'CEJ') AND s.scope = 'communes' AND c.epci_siren IS NOT NULL
  UNION ALL
  SELECT s.id, ('council:' || s.department_code), 'local_authority'::text
  FROM scheme s WHERE s.kind IN ('CTG', 'CEJ') AND s.scope = 'department'
  UNION ALL
  SELECT s.id, ('dep-area:' || s.department_code), 'territory'::text
  FROM scheme s WHERE s.kind IN ('CTG', 'CEJ') AND s.scope = 'department'
--
CREATE VIEW action_grant_source AS
  SELECT a.id AS action_id, ('caf:' || s.department_code) AS grantee, 'caf'::text AS relation
  FROM action a JOIN scheme s ON s.id = a.ctg_id WHERE s.department_code IS NOT NULL
  UNION ALL
  SELECT a.id, p.grantee, p.relation FROM action a JOIN scheme_place p ON p.scheme_id = a.ctg_id
  UNION ALL
  SELECT a.id, ('org:' || a.carrier_id), 'carrier'::text FROM action a
  UNION ALL
  SELECT p.action_id, ('org:' || p.organisation_id), 'partner'::text FROM action_partner p
  UNION ALL
  SELECT a.id, ('cosig:' || g.organisation_id), 'cosignatory'::text
  FROM action a JOIN signature g ON g.scheme_id = a.ctg_id
--
CREATE VIEW scheme_grant_source AS
  SELECT s.id AS scheme_id, 'public' AS grantee, 'public'::text AS relation
  FROM scheme s WHERE s.kind IN ('COG', 'CPOG', 'SDSF', 'SDAVS', 'EDUCATION_CHARTER') AND s.status <> 'draft'
  UNION ALL
  SELECT s.id, ('caf:' || s.department_code), 'caf'::text
  FROM scheme s WHERE s.department_code IS NOT NULL
  UNION ALL
  SELECT s.id, scheme_steward_key(s.kind, s.scope, s.department_code), 'steward'::text FROM scheme s
  WHERE scheme_steward_key(s.kind, s.scope, s.department_code) IS NOT NULL
  UNION ALL
  SELECT p.scheme_id, p.grantee, p.relation FROM scheme_place p
  UNION ALL
  SELECT g.scheme_id, ('org:' || g.organisation_id), 'signatory'::text FROM signature g
  UNION ALL
  SELECT a.ctg_id, ('org:' || a.carrier_id), 'participant'::text
  FROM action a WHERE a.archived_at IS NULL
  UNION ALL
  SELECT a.ctg_id, ('org:' || p.organisation_id), 'participant'::text
  FROM action_partner p JOIN action a ON a.id = p.action_id WHERE a.archived_at IS NULL
--
CREATE VIEW facility_grant_source AS
  SELECT f.id AS facility_id, ('caf:' || f.department_code) AS grantee, 'caf'::text AS relation
  FROM facility f WHERE f.department_code IS NOT NULL
  UNION ALL
  SELECT f.id, ('org:' || f.manager_id), 'manager'::text FROM facility f
  UNION ALL
  SELECT f.id, ('commune:' || f.commune_insee_code), 'territory'::text FROM facility f
  UNION ALL
  SELECT f.id, ('epci:' || f.epci_siren), 'territory'::text
  FROM facility f WHERE f.epci_siren IS NOT NULL
  UNION ALL
  SELECT f.id, ('council:' || f.department_code), 'territory'::text
  FROM facility f WHERE f.department_code IS NOT NULL
--
CREATE VIEW organisation_grant_source AS
  SELECT o.id AS organisation_id, 'public' AS grantee, 'public'::text AS relation
  FROM organisation o WHERE o.kind IN ('caf', 'cnaf')
  UNION ALL
  SELECT g.organisation_id, 'public', 'public'::text
  FROM signature g JOIN scheme s ON s.id = g.scheme_id
  WHERE s.kind IN ('COG', 'CPOG', 'SDSF', 'SDAVS', 'EDUCATION_CHARTER') AND s.status <> 'draft' AND s.archived_at IS NULL
  UNION ALL
  SELECT o.id, ('org:' || o.id), 'member'::text FROM organisation o
  UNION ALL
  SELECT o.id, ('caf:' || o.department_code), 'caf'::text FROM organisation o
  WHERE o.department_code IS NOT NULL
  UNION ALL
  SELECT o.id, ('epci:' || o.epci_siren), 'territory'::text FROM organisation o
  WHERE o.epci_siren IS NOT NULL
  UNION ALL
  SELECT o.id, ('commune:' || o.commune_insee_code), 'territory'::text FROM organisation o
  WHERE o.commune_insee_code IS NOT NULL
  UNION ALL
  SELECT o.id, ('epci:' || c.epci_siren), 'territory'::text
  FROM organisation o JOIN commune c ON c.insee_code = o.commune_insee_code WHERE c.epci_siren IS NOT NULL
  UNION ALL
  SELECT r.organisation_id, r.grantee, 'related'::text
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
    WHERE f.archived_at IS NULL AND g.relation <> 'public'::text
  ) AS r
  -- The Cafs and the Cnaf are public: who else reaches them does not matter.
  WHERE NOT EXISTS (SELECT FROM organisation o WHERE o.id = r.organisation_id AND o.kind IN ('caf', 'cnaf'))
--
CREATE FUNCTION refresh_grants(
  p_actions bigint[], p_schemes bigint[], p_deep_schemes bigint[], p_organisations bigint[],
  p_facilities bigint[] DEFAULT NULL
) RETURNS void LANGUAGE plpgsql VOLATILE SECURITY DEFINER SET search_path = public, pg_temp AS $$
DECLARE
  p_scheme_grant bigint[];
  p_action_grant bigint[];
  p_organisation_grant bigint[];
  p_facility_grant bigint[];
BEGIN
  p_scheme_grant := ARRAY(
    SELECT DISTINCT x FROM unnest(coalesce(p_schemes, '{}') || coalesce(p_deep_schemes, '{}')) AS x
    WHERE x IS NOT NULL
  );
  p_action_grant := ARRAY(
    SELECT x FROM unnest(coalesce(p_actions, '{}')) AS x WHERE x IS NOT NULL
    UNION SELECT a.id FROM action a WHERE a.ctg_id = ANY(coalesce(p_deep_schemes, '{}'))
  );
  
  IF cardinality(p_scheme_grant) > 0 THEN
    WITH fresh AS (SELECT DISTINCT scheme_id, grantee, relation FROM scheme_grant_source WHERE scheme_id = ANY(p_scheme_grant)),
    gone AS (
      DELETE FROM scheme_grant AS t WHERE t.scheme_id = ANY(p_scheme_grant) AND NOT EXISTS (
        SELECT FROM fresh AS f WHERE f.scheme_id = t.scheme_id AND f.grantee = t.grantee AND f.relation = t.relation
      )
    )
    INSERT INTO scheme_grant (scheme_id, grantee, relation) SELECT scheme_id, grantee, relation FROM fresh
    ON CONFLICT DO NOTHING;
  END IF;
  
  IF cardinality(p_action_grant) > 0 THEN
    WITH fresh AS (SELECT DISTINCT action_id, grantee, relation FROM action_grant_source WHERE action_id = ANY(p_action_grant)),
    gone AS (
      DELETE FROM action_grant AS t WHERE t.action_id = ANY(p_action_grant) AND NOT EXISTS (
        SELECT FROM fresh AS f WHERE f.action_id = t.action_id AND f.grantee = t.grantee AND f.relation = t.relation
      )
    )
    INSERT INTO action_grant (action_id, grantee, relation) SELECT action_id, grantee, relation FROM fresh
    ON CONFLICT DO NOTHING;
  END IF;
  p_facility_grant := ARRAY(SELECT x FROM unnest(coalesce(p_facilities, '{}')) AS x WHERE x IS NOT NULL);
  
  IF cardinality(p_facility_grant) > 0 THEN
    WITH fresh AS (SELECT DISTINCT facility_id, grantee, relation FROM facility_grant_source WHERE facility_id = ANY(p_facility_grant)),
    gone AS (
      DELETE FROM facility_grant AS t WHERE t.facility_id = ANY(p_facility_grant) AND NOT EXISTS (
        SELECT FROM fresh AS f WHERE f.facility_id = t.facility_id AND f.grantee = t.grantee AND f.relation = t.relation
      )
    )
    INSERT INTO facility_grant (facility_id, grantee, relation) SELECT facility_id, grantee, relation FROM fresh
    ON CONFLICT DO NOTHING;
  END IF;
  p_organisation_grant := ARRAY(
    SELECT x FROM unnest(coalesce(p_organisations, '{}')) AS x WHERE x IS NOT NULL
    UNION SELECT a.carrier_id FROM action a WHERE a.id = ANY(p_action_grant)
    UNION SELECT p.organisation_id FROM action_partner p WHERE p.action_id = ANY(p_action_grant)
    UNION SELECT g.organisation_id FROM signature g WHERE g.scheme_id = ANY(p_scheme_grant)
    UNION SELECT c.coordinator_organisation_id FROM ctg c
      WHERE c.scheme_id = ANY(p_scheme_grant) AND c.coordinator_organisation_id IS NOT NULL
    UNION SELECT f.manager_id FROM facility f WHERE f.id = ANY(p_facility_grant)
  );
  
  IF cardinality(p_organisation_grant) > 0 THEN
    WITH fresh AS (SELECT DISTINCT organisation_id, grantee, relation FROM organisation_grant_source WHERE organisation_id = ANY(p_organisation_grant)),
    gone AS (
      DELETE FROM organisation_grant AS t WHERE t.organisation_id = ANY(p_organisation_grant) AND NOT EXISTS (
        SELECT FROM fresh AS f WHERE f.organisation_id = t.organisation_id AND f.grantee = t.grantee AND f.relation = t.relation
      )
    )
    INSERT INTO organisation_grant (organisation_id, grantee, relation) SELECT organisation_id, grantee, relation FROM fresh
    ON CONFLICT DO NOTHING;
  END IF;
END
$$
--
CREATE FUNCTION rebuild_grants() RETURNS void LANGUAGE plpgsql VOLATILE SECURITY DEFINER SET search_path = public, pg_temp AS $$
BEGIN
  TRUNCATE scheme_grant, action_grant, facility_grant, organisation_grant;
  INSERT INTO scheme_grant SELECT DISTINCT scheme_id, grantee, relation FROM scheme_grant_source;
  INSERT INTO action_grant SELECT DISTINCT action_id, grantee, relation FROM action_grant_source;
  INSERT INTO facility_grant SELECT DISTINCT facility_id, grantee, relation FROM facility_grant_source;
  ANALYZE scheme_grant, action_grant, facility_grant;
  INSERT INTO organisation_grant SELECT DISTINCT organisation_id, grantee, relation FROM organisation_grant_source;
  ANALYZE organisation_grant;
END
$$
--
CREATE FUNCTION confers_within(p_new text[], p_granter text[]) RETURNS boolean
LANGUAGE sql STABLE SECURITY DEFINER SET search_path = public, pg_temp AS $$
  SELECT 'cnaf-editor' = ANY(p_granter) OR (
    NOT EXISTS (
      SELECT FROM unnest(p_new) AS k(key)
      WHERE k.key <> ALL(p_granter) AND (
        k.key IN ('national', 'cnaf-editor')
        OR k.key LIKE 'caf-manager:%'
        OR (k.key LIKE 'admin:%' AND NOT EXISTS (
          SELECT FROM organisation o
          WHERE o.id::text = substr(k.key, 7)
            AND ('caf-manager:' || o.department_code) = ANY(p_granter)
        ))
      )
    )
    AND NOT EXISTS (
      SELECT FROM action_grant AS n
      WHERE n.grantee = ANY(p_new) AND n.grantee <> ALL(p_granter)
        AND NOT (n.relation IN ('cosignatory', 'manager', 'member', 'participant', 'partner', 'public', 'related', 'signatory', 'steward', 'territory') AND 'national' = ANY(p_granter))
        AND NOT EXISTS (
          SELECT FROM action_grant AS g
          WHERE g.action_id = n.action_id AND g.grantee = ANY(p_granter)
            AND (n.relation IN ('cosignatory', 'manager', 'member', 'participant', 'partner', 'public', 'related', 'signatory', 'steward', 'territory') OR g.relation = ANY(CASE n.relation::text WHEN 'caf' THEN ARRAY['caf'] WHEN 'local_authority' THEN ARRAY['caf', 'local_authority'] WHEN 'carrier' THEN ARRAY['caf', 'carrier', 'local_authority'] END))
        )
    )
    AND NOT EXISTS (
      SELECT FROM scheme_grant AS n
      WHERE n.grantee = ANY(p_new) AND n.grantee <> ALL(p_granter)
        AND NOT (n.relation IN ('carrier', 'cosignatory', 'manager', 'member', 'participant', 'partner', 'public', 'related', 'signatory', 'territory') AND 'national' = ANY(p_granter))
        AND NOT EXISTS (
          SELECT FROM scheme_grant AS g
          WHERE g.scheme_id = n.scheme_id AND g.grantee = ANY(p_granter)
            AND (n.relation IN ('carrier', 'cosignatory', 'manager', 'member', 'participant', 'partner', 'public', 'related', 'signatory', 'territory') OR g.relation = ANY(CASE n.relation::text WHEN 'caf' THEN ARRAY['caf', 'local_authority'] WHEN 'steward' THEN ARRAY['steward'] WHEN 'local_authority' THEN ARRAY['caf', 'local_authority'] END))
        )
    )
    AND NOT EXISTS (
      SELECT FROM organisation_grant AS n
      WHERE n.grantee = ANY(p_new) AND n.grantee <> ALL(p_granter)
        AND NOT (n.relation IN ('caf', 'carrier', 'cosignatory', 'local_authority', 'manager', 'member', 'participant', 'partner', 'public', 'related', 'signatory', 'steward', 'territory') AND 'national' = ANY(p_granter))
        AND NOT EXISTS (
          SELECT FROM organisation_grant AS g
          WHERE g.organisation_id = n.organisation_id AND g.grantee = ANY(p_granter)
            AND (n.relation IN ('caf', 'carrier', 'cosignatory', 'local_authority', 'manager', 'member', 'participant', 'partner', 'public', 'related', 'signatory', 'steward', 'territory') OR false)
        )
    )
    AND NOT EXISTS (
      SELECT FROM facility_grant AS n
      WHERE n.grantee = ANY(p_new) AND n.grantee <> ALL(p_granter)
        AND NOT (n.relation IN ('public') AND 'national' = ANY(p_granter))
        AND NOT EXISTS (
          SELECT FROM facility_grant AS g
          WHERE g.facility_id = n.facility_id AND g.grantee = ANY(p_granter)
            AND (n.relation IN ('public') OR g.relation = ANY(CASE n.relation::text WHEN 'member' THEN ARRAY['caf', 'carrier', 'cosignatory', 'local_authority', 'manager', 'member', 'participant', 'partner', 'related', 'signatory', 'steward', 'territory'] WHEN 'caf' THEN ARRAY['caf'] WHEN 'steward' THEN ARRAY['caf', 'carrier', 'cosignatory', 'local_authority', 'manager', 'member', 'participant', 'partner', 'related', 'signatory', 'steward', 'territory'] WHEN 'local_authority' THEN ARRAY['caf', 'carrier', 'cosignatory', 'local_authority', 'manager', 'member', 'participant', 'partner', 'related', 'signatory', 'steward', 'territory'] WHEN 'territory' THEN ARRAY['caf', 'carrier', 'cosignatory', 'local_authority', 'manager', 'member', 'participant', 'partner', 'related', 'signatory', 'steward', 'territory'] WHEN 'carrier' THEN ARRAY['caf', 'carrier', 'cosignatory', 'local_authority', 'manager', 'member', 'participant', 'partner', 'related', 'signatory', 'steward', 'territory'] WHEN 'manager' THEN ARRAY['caf', 'manager'] WHEN 'partner' THEN ARRAY['caf', 'carrier', 'cosignatory', 'local_authority', 'manager', 'member', 'participant', 'partner', 'related', 'signatory', 'steward', 'territory'] WHEN 'signatory' THEN ARRAY['caf', 'carrier', 'cosignatory', 'local_authority', 'manager', 'member', 'participant', 'partner', 'related', 'signatory', 'steward', 'territory'] WHEN 'cosignatory' THEN ARRAY['caf', 'carrier', 'cosignatory', 'local_authority', 'manager', 'member', 'participant', 'partner', 'related', 'signatory', 'steward', 'territory'] WHEN 'participant' THEN ARRAY['caf', 'carrier', 'cosignatory', 'local_authority', 'manager', 'member', 'participant', 'partner', 'related', 'signatory', 'steward', 'territory'] WHEN 'related' THEN ARRAY['caf', 'carrier', 'cosignatory', 'local_authority', 'manager', 'member', 'participant', 'partner', 'related', 'signatory', 'steward', 'territory'] END))
        )
    )
  )
$$
--
CREATE FUNCTION action_grants_changed() RETURNS trigger LANGUAGE plpgsql SECURITY DEFINER SET search_path = public, pg_temp AS $$
BEGIN
  IF current_setting('maillage.bulk_load', true) = 'on' AND current_user <> 'maillage_service' THEN
    RETURN NULL;
  END IF;
  IF TG_OP = 'INSERT' THEN
    PERFORM refresh_grants(ARRAY[NEW.id], ARRAY[NEW.ctg_id], NULL, NULL);
  ELSIF TG_OP = 'UPDATE' THEN
    PERFORM refresh_grants(ARRAY[NEW.id], ARRAY[OLD.ctg_id, NEW.ctg_id], NULL, ARRAY[OLD.carrier_id]);
  ELSE
    PERFORM refresh_grants(NULL, ARRAY[OLD.ctg_id], NULL, ARRAY[OLD.carrier_id]);
  END IF;
  RETURN NULL;
END
$$
--
CREATE TRIGGER action_grants_insert AFTER INSERT ON action FOR EACH ROW EXECUTE FUNCTION action_grants_changed()
--
CREATE TRIGGER action_grants_update AFTER UPDATE ON action FOR EACH ROW WHEN (OLD.ctg_id IS DISTINCT FROM NEW.ctg_id OR OLD.carrier_id IS DISTINCT FROM NEW.carrier_id OR OLD.archived_at IS DISTINCT FROM NEW.archived_at) EXECUTE FUNCTION action_grants_changed()
--
CREATE TRIGGER action_grants_delete AFTER DELETE ON action FOR EACH ROW EXECUTE FUNCTION action_grants_changed()
--
CREATE FUNCTION action_partner_grants_changed() RETURNS trigger LANGUAGE plpgsql SECURITY DEFINER SET search_path = public, pg_temp AS $$
BEGIN
  IF current_setting('maillage.bulk_load', true) = 'on' AND current_user <> 'maillage_service' THEN
    RETURN NULL;
  END IF;
  IF TG_OP = 'DELETE' THEN
    PERFORM refresh_grants(ARRAY[OLD.action_id], (SELECT array_agg(ctg_id) FROM action WHERE id = OLD.action_id), NULL, ARRAY[OLD.organisation_id]);
  ELSE
    PERFORM refresh_grants(ARRAY[NEW.action_id], (SELECT array_agg(ctg_id) FROM action WHERE id = NEW.action_id), NULL, ARRAY[NEW.organisation_id]);
  END IF;
  RETURN NULL;
END
$$
--
CREATE TRIGGER action_partner_grants_insert AFTER INSERT ON action_partner FOR EACH ROW EXECUTE FUNCTION action_partner_grants_changed()
--
CREATE TRIGGER action_partner_grants_delete AFTER DELETE ON action_partner FOR EACH ROW EXECUTE FUNCTION action_partner_grants_changed()
--
CREATE FUNCTION scheme_grants_changed() RETURNS trigger LANGUAGE plpgsql SECURITY DEFINER SET search_path = public, pg_temp AS $$
BEGIN
  IF current_setting('maillage.bulk_load', true) = 'on' AND current_user <> 'maillage_service' THEN
    RETURN NULL;
  END IF;
  PERFORM refresh_grants(NULL, NULL, ARRAY[NEW.id], NULL);
  RETURN NULL;
END
$$
--
CREATE TRIGGER scheme_grants_insert AFTER INSERT ON scheme FOR EACH ROW EXECUTE FUNCTION scheme_grants_changed()
--
CREATE TRIGGER scheme_grants_update AFTER UPDATE ON scheme FOR EACH ROW WHEN (OLD.kind IS DISTINCT FROM NEW.kind OR OLD.scope IS DISTINCT FROM NEW.scope OR OLD.status IS DISTINCT FROM NEW.status OR OLD.department_code IS DISTINCT FROM NEW.department_code OR OLD.epci_siren IS DISTINCT FROM NEW.epci_siren OR OLD.archived_at IS DISTINCT FROM NEW.archived_at) EXECUTE FUNCTION scheme_grants_changed()
--
CREATE FUNCTION scheme_commune_grants_changed() RETURNS trigger LANGUAGE plpgsql SECURITY DEFINER SET search_path = public, pg_temp AS $$
BEGIN
  IF current_setting('maillage.bulk_load', true) = 'on' AND current_user <> 'maillage_service' THEN
    RETURN NULL;
  END IF;
  IF TG_OP = 'DELETE' THEN
    PERFORM refresh_grants(NULL, NULL, ARRAY[OLD.scheme_id], NULL);
  ELSE
    PERFORM refresh_grants(NULL, NULL, ARRAY[NEW.scheme_id], NULL);
  END IF;
  RETURN NULL;
END
$$
--
CREATE TRIGGER scheme_commune_grants_insert AFTER INSERT ON scheme_commune FOR EACH ROW EXECUTE FUNCTION scheme_commune_grants_changed()
--
CREATE TRIGGER scheme_commune_grants_delete AFTER DELETE ON scheme_commune FOR EACH ROW EXECUTE FUNCTION scheme_commune_grants_changed()
--
CREATE FUNCTION signature_grants_changed() RETURNS trigger LANGUAGE plpgsql SECURITY DEFINER SET search_path = public, pg_temp AS $$
BEGIN
  IF current_setting('maillage.bulk_load', true) = 'on' AND current_user <> 'maillage_service' THEN
    RETURN NULL;
  END IF;
  IF TG_OP = 'DELETE' THEN
    PERFORM refresh_grants(NULL, NULL, ARRAY[OLD.scheme_id], ARRAY[OLD.organisation_id]);
  ELSIF TG_OP = 'UPDATE' THEN
    PERFORM refresh_grants(NULL, NULL, ARRAY[OLD.scheme_id, NEW.scheme_id], ARRAY[OLD.organisation_id]);
  ELSE
    PERFORM refresh_grants(NULL, NULL, ARRAY[NEW.scheme_id], NULL);
  END IF;
  RETURN NULL;
END
$$
--
CREATE TRIGGER signature_grants_insert AFTER INSERT ON signature FOR EACH ROW EXECUTE FUNCTION signature_grants_changed()
--
CREATE TRIGGER signature_grants_update AFTER UPDATE ON signature FOR EACH ROW WHEN (OLD.scheme_id IS DISTINCT FROM NEW.scheme_id OR OLD.organisation_id IS DISTINCT FROM NEW.organisation_id) EXECUTE FUNCTION signature_grants_changed()
--
CREATE TRIGGER signature_grants_delete AFTER DELETE ON signature FOR EACH ROW EXECUTE FUNCTION signature_grants_changed()
--
CREATE FUNCTION ctg_grants_changed() RETURNS trigger LANGUAGE plpgsql SECURITY DEFINER SET search_path = public, pg_temp AS $$
BEGIN
  IF current_setting('maillage.bulk_load', true) = 'on' AND current_user <> 'maillage_service' THEN
    RETURN NULL;
  END IF;
  IF TG_OP = 'INSERT' THEN
    PERFORM refresh_grants(NULL, NULL, NULL, ARRAY[NEW.coordinator_organisation_id]);
  ELSE
    PERFORM refresh_grants(NULL, NULL, NULL, ARRAY[OLD.coordinator_organisation_id, NEW.coordinator_organisation_id]);
  END IF;
  RETURN NULL;
END
$$
--
CREATE TRIGGER ctg_grants_insert AFTER INSERT ON ctg FOR EACH ROW EXECUTE FUNCTION ctg_grants_changed()
--
CREATE TRIGGER ctg_grants_update AFTER UPDATE ON ctg FOR EACH ROW WHEN (OLD.coordinator_organisation_id IS DISTINCT FROM NEW.coordinator_organisation_id) EXECUTE FUNCTION ctg_grants_changed()
--
CREATE FUNCTION organisation_grants_changed() RETURNS trigger LANGUAGE plpgsql SECURITY DEFINER SET search_path = public, pg_temp AS $$
BEGIN
  IF current_setting('maillage.bulk_load', true) = 'on' AND current_user <> 'maillage_service' THEN
    RETURN NULL;
  END IF;
  PERFORM refresh_grants(NULL, NULL, NULL, ARRAY[NEW.id]);
  RETURN NULL;
END
$$
--
CREATE TRIGGER organisation_grants_insert AFTER INSERT ON organisation FOR EACH ROW EXECUTE FUNCTION organisation_grants_changed()
--
CREATE TRIGGER organisation_grants_update AFTER UPDATE ON organisation FOR EACH ROW WHEN (OLD.kind IS DISTINCT FROM NEW.kind OR OLD.department_code IS DISTINCT FROM NEW.department_code OR OLD.epci_siren IS DISTINCT FROM NEW.epci_siren OR OLD.commune_insee_code IS DISTINCT FROM NEW.commune_insee_code) EXECUTE FUNCTION organisation_grants_changed()
--
CREATE FUNCTION facility_grants_changed() RETURNS trigger LANGUAGE plpgsql SECURITY DEFINER SET search_path = public, pg_temp AS $$
BEGIN
  IF current_setting('maillage.bulk_load', true) = 'on' AND current_user <> 'maillage_service' THEN
    RETURN NULL;
  END IF;
  IF TG_OP = 'INSERT' THEN
    PERFORM refresh_grants(NULL, NULL, NULL, ARRAY[NEW.manager_id], ARRAY[NEW.id]);
  ELSE
    PERFORM refresh_grants(NULL, NULL, NULL, ARRAY[OLD.manager_id, NEW.manager_id], ARRAY[NEW.id]);
  END IF;
  RETURN NULL;
END
$$
--
CREATE TRIGGER facility_grants_insert AFTER INSERT ON facility FOR EACH ROW EXECUTE FUNCTION facility_grants_changed()
--
CREATE TRIGGER facility_grants_update AFTER UPDATE ON facility FOR EACH ROW WHEN (OLD.status IS DISTINCT FROM NEW.status OR OLD.manager_id IS DISTINCT FROM NEW.manager_id OR OLD.department_code IS DISTINCT FROM NEW.department_code OR OLD.epci_siren IS DISTINCT FROM NEW.epci_siren OR OLD.commune_insee_code IS DISTINCT FROM NEW.commune_insee_code OR OLD.archived_at IS DISTINCT FROM NEW.archived_at) EXECUTE FUNCTION facility_grants_changed()
--
CREATE FUNCTION commune_grants_changed() RETURNS trigger LANGUAGE plpgsql SECURITY DEFINER SET search_path = public, pg_temp AS $$
BEGIN
  IF current_setting('maillage.bulk_load', true) = 'on' AND current_user <> 'maillage_service' THEN
    RETURN NULL;
  END IF;
  PERFORM refresh_grants(NULL, NULL, ARRAY(SELECT scheme_id FROM scheme_commune WHERE commune_insee_code = NEW.insee_code), ARRAY(SELECT id FROM organisation WHERE commune_insee_code = NEW.insee_code));
  RETURN NULL;
END
$$
--
CREATE TRIGGER commune_grants_update AFTER UPDATE ON commune FOR EACH ROW WHEN (OLD.epci_siren IS DISTINCT FROM NEW.epci_siren) EXECUTE FUNCTION commune_grants_changed()
--
CREATE POLICY action_read ON action FOR SELECT TO maillage_service USING ((SELECT access_national()) OR (EXISTS (SELECT 1 
FROM action_grant AS action_grant_1 
WHERE action_grant_1.action_id = action.id AND action_grant_1.grantee = ANY ((SELECT access_keys())::text[]))))
--
CREATE POLICY action_insert ON action FOR INSERT TO maillage_service WITH CHECK ((EXISTS (SELECT 1 
FROM scheme_grant AS scheme_grant_1 
WHERE scheme_grant_1.scheme_id = action.ctg_id AND scheme_grant_1.grantee = ANY ((SELECT access_keys())::text[]) AND scheme_grant_1.relation IN ('caf', 'local_authority'))) AND (EXISTS (SELECT 1 
FROM scheme AS scheme_1 
WHERE scheme_1.id = action.ctg_id AND scheme_1.archived_at IS NULL AND scheme_1.kind = 'CTG')))
--
CREATE POLICY action_update ON action FOR UPDATE TO maillage_service USING (action.archived_at IS NULL AND (EXISTS (SELECT 1 
FROM action_grant AS action_grant_1 
WHERE action_grant_1.action_id = action.id AND action_grant_1.grantee = ANY ((SELECT access_keys())::text[]) AND action_grant_1.relation IN ('caf', 'carrier', 'local_authority')))) WITH CHECK (EXISTS (SELECT 1 
FROM action_grant AS action_grant_1 
WHERE action_grant_1.action_id = action.id AND action_grant_1.grantee = ANY ((SELECT access_keys())::text[]) AND action_grant_1.relation IN ('caf', 'carrier', 'local_authority')))
--
CREATE POLICY action_partner_read ON action_partner FOR SELECT TO maillage_service USING ((SELECT access_national()) OR (EXISTS (SELECT 1 
FROM action_grant AS action_grant_1 
WHERE action_grant_1.action_id = action_partner.action_id AND action_grant_1.grantee = ANY ((SELECT access_keys())::text[]))))
--
CREATE POLICY action_partner_insert ON action_partner FOR INSERT TO maillage_service WITH CHECK ((EXISTS (SELECT 1 
FROM action_grant AS action_grant_1 
WHERE action_grant_1.action_id = action_partner.action_id AND action_grant_1.grantee = ANY ((SELECT access_keys())::text[]) AND action_grant_1.relation IN ('caf', 'local_authority'))) AND (EXISTS (SELECT 1 
FROM action AS action_1 
WHERE action_1.id = action_partner.action_id AND action_1.archived_at IS NULL)))
--
CREATE POLICY action_partner_update ON action_partner FOR UPDATE TO maillage_service USING ((EXISTS (SELECT 1 
FROM action_grant AS action_grant_1 
WHERE action_grant_1.action_id = action_partner.action_id AND action_grant_1.grantee = ANY ((SELECT access_keys())::text[]) AND action_grant_1.relation IN ('caf', 'local_authority'))) AND (EXISTS (SELECT 1 
FROM action AS action_1 
WHERE action_1.id = action_partner.action_id AND action_1.archived_at IS NULL))) WITH CHECK ((EXISTS (SELECT 1 
FROM action_grant AS action_grant_1 
WHERE action_grant_1.action_id = action_partner.action_id AND action_grant_1.grantee = ANY ((SELECT access_keys())::text[]) AND action_grant_1.relation IN ('caf', 'local_authority'))) AND (EXISTS (SELECT 1 
FROM action AS action_1 
WHERE action_1.id = action_partner.action_id AND action_1.archived_at IS NULL)))
--
CREATE POLICY action_partner_delete ON action_partner FOR DELETE TO maillage_service USING ((EXISTS (SELECT 1 
FROM action_grant AS action_grant_1 
WHERE action_grant_1.action_id = action_partner.action_id AND action_grant_1.grantee = ANY ((SELECT access_keys())::text[]) AND action_grant_1.relation IN ('caf', 'local_authority'))) AND (EXISTS (SELECT 1 
FROM action AS action_1 
WHERE action_1.id = action_partner.action_id AND action_1.archived_at IS NULL)))
--
CREATE POLICY action_objective_read ON action_objective FOR SELECT TO maillage_service USING ((SELECT access_national()) OR (EXISTS (SELECT 1 
FROM action_grant AS action_grant_1 
WHERE action_grant_1.action_id = action_objective.action_id AND action_grant_1.grantee = ANY ((SELECT access_keys())::text[]))))
--
CREATE POLICY action_objective_insert ON action_objective FOR INSERT TO maillage_service WITH CHECK ((EXISTS (SELECT 1 
FROM action_grant AS action_grant_1 
WHERE action_grant_1.action_id = action_objective.action_id AND action_grant_1.grantee = ANY ((SELECT access_keys())::text[]) AND action_grant_1.relation IN ('caf', 'local_authority'))) AND (EXISTS (SELECT 1 
FROM action AS action_1 
WHERE action_1.id = action_objective.action_id AND action_1.archived_at IS NULL)))
--
CREATE POLICY action_objective_update ON action_objective FOR UPDATE TO maillage_service USING ((EXISTS (SELECT 1 
FROM action_grant AS action_grant_1 
WHERE action_grant_1.action_id = action_objective.action_id AND action_grant_1.grantee = ANY ((SELECT access_keys())::text[]) AND action_grant_1.relation IN ('caf', 'local_authority'))) AND (EXISTS (SELECT 1 
FROM action AS action_1 
WHERE action_1.id = action_objective.action_id AND action_1.archived_at IS NULL))) WITH CHECK ((EXISTS (SELECT 1 
FROM action_grant AS action_grant_1 
WHERE action_grant_1.action_id = action_objective.action_id AND action_grant_1.grantee = ANY ((SELECT access_keys())::text[]) AND action_grant_1.relation IN ('caf', 'local_authority'))) AND (EXISTS (SELECT 1 
FROM action AS action_1 
WHERE action_1.id = action_objective.action_id AND action_1.archived_at IS NULL)))
--
CREATE POLICY action_objective_delete ON action_objective FOR DELETE TO maillage_service USING ((EXISTS (SELECT 1 
FROM action_grant AS action_grant_1 
WHERE action_grant_1.action_id = action_objective.action_id AND action_grant_1.grantee = ANY ((SELECT access_keys())::text[]) AND action_grant_1.relation IN ('caf', 'local_authority'))) AND (EXISTS (SELECT 1 
FROM action AS action_1 
WHERE action_1.id = action_objective.action_id AND action_1.archived_at IS NULL)))
--
CREATE POLICY indicator_read ON indicator FOR SELECT TO maillage_service USING ((SELECT access_national()) OR (EXISTS (SELECT 1 
FROM action_grant AS action_grant_1 
WHERE action_grant_1.action_id = indicator.action_id AND action_grant_1.grantee = ANY ((SELECT access_keys())::text[]))))
--
CREATE POLICY indicator_insert ON indicator FOR INSERT TO maillage_service WITH CHECK ((EXISTS (SELECT 1 
FROM action_grant AS action_grant_1 
WHERE action_grant_1.action_id = indicator.action_id AND action_grant_1.grantee = ANY ((SELECT access_keys())::text[]) AND action_grant_1.relation IN ('caf', 'local_authority'))) AND (EXISTS (SELECT 1 
FROM action AS action_1 
WHERE action_1.id = indicator.action_id AND action_1.archived_at IS NULL)))
--
CREATE POLICY indicator_update ON indicator FOR UPDATE TO maillage_service USING ((EXISTS (SELECT 1 
FROM action_grant AS action_grant_1 
WHERE action_grant_1.action_id = indicator.action_id AND action_grant_1.grantee = ANY ((SELECT access_keys())::text[]) AND action_grant_1.relation IN ('caf', 'local_authority'))) AND (EXISTS (SELECT 1 
FROM action AS action_1 
WHERE action_1.id = indicator.action_id AND action_1.archived_at IS NULL))) WITH CHECK ((EXISTS (SELECT 1 
FROM action_grant AS action_grant_1 
WHERE action_grant_1.action_id = indicator.action_id AND action_grant_1.grantee = ANY ((SELECT access_keys())::text[]) AND action_grant_1.relation IN ('caf', 'local_authority'))) AND (EXISTS (SELECT 1 
FROM action AS action_1 
WHERE action_1.id = indicator.action_id AND action_1.archived_at IS NULL)))
--
CREATE POLICY indicator_value_read ON indicator_value FOR SELECT TO maillage_service USING ((SELECT access_national()) OR (EXISTS (SELECT 1 
FROM indicator AS indicator_1 
WHERE indicator_1.id = indicator_value.indicator_id AND (EXISTS (SELECT 1 
FROM action_grant AS action_grant_1 
WHERE action_grant_1.action_id = indicator_1.action_id AND action_grant_1.grantee = ANY ((SELECT access_keys())::text[]))))))
--
CREATE POLICY indicator_value_insert ON indicator_value FOR INSERT TO maillage_service WITH CHECK (EXISTS (SELECT 1 
FROM indicator AS indicator_1 
WHERE indicator_1.id = indicator_value.indicator_id AND (EXISTS (SELECT 1 
FROM action_grant AS action_grant_1 
WHERE action_grant_1.action_id = indicator_1.action_id AND action_grant_1.grantee = ANY ((SELECT access_keys())::text[]) AND action_grant_1.relation IN ('caf', 'carrier', 'local_authority'))) AND (EXISTS (SELECT 1 
FROM action AS action_1 
WHERE action_1.id = indicator_1.action_id AND action_1.archived_at IS NULL))))
--
CREATE POLICY indicator_value_update ON indicator_value FOR UPDATE TO maillage_service USING (EXISTS (SELECT 1 
FROM indicator AS indicator_1 
WHERE indicator_1.id = indicator_value.indicator_id AND (EXISTS (SELECT 1 
FROM action_grant AS action_grant_1 
WHERE action_grant_1.action_id = indicator_1.action_id AND action_grant_1.grantee = ANY ((SELECT access_keys())::text[]) AND action_grant_1.relation IN ('caf', 'carrier', 'local_authority'))) AND (EXISTS (SELECT 1 
FROM action AS action_1 
WHERE action_1.id = indicator_1.action_id AND action_1.archived_at IS NULL)))) WITH CHECK (EXISTS (SELECT 1 
FROM indicator AS indicator_1 
WHERE indicator_1.id = indicator_value.indicator_id AND (EXISTS (SELECT 1 
FROM action_grant AS action_grant_1 
WHERE action_grant_1.action_id = indicator_1.action_id AND action_grant_1.grantee = ANY ((SELECT access_keys())::text[]) AND action_grant_1.relation IN ('caf', 'carrier', 'local_authority'))) AND (EXISTS (SELECT 1 
FROM action AS action_1 
WHERE action_1.id = indicator_1.action_id AND action_1.archived_at IS NULL))))
--
CREATE POLICY scheme_read ON scheme FOR SELECT TO maillage_service USING ((SELECT access_national()) OR (EXISTS (SELECT 1 
FROM scheme_grant AS scheme_grant_1 
WHERE scheme_grant_1.scheme_id = scheme.id AND scheme_grant_1.grantee = ANY ((SELECT access_keys())::text[]))))
--
CREATE POLICY scheme_insert ON scheme FOR INSERT TO maillage_service WITH CHECK (scheme_steward_key(scheme.kind, scheme.scope, scheme.department_code) = ANY ((SELECT access_keys())::text[]))
--
CREATE POLICY scheme_update ON scheme FOR UPDATE TO maillage_service USING (scheme.archived_at IS NULL AND (EXISTS (SELECT 1 
FROM scheme_grant AS scheme_grant_1 
WHERE scheme_grant_1.scheme_id = scheme.id AND scheme_grant_1.grantee = ANY ((SELECT access_keys())::text[]) AND scheme_grant_1.relation IN ('steward')))) WITH CHECK (scheme_steward_key(scheme.kind, scheme.scope, scheme.department_code) = ANY ((SELECT access_keys())::text[]))
--
CREATE POLICY ctg_read ON ctg FOR SELECT TO maillage_service USING ((SELECT access_national()) OR (EXISTS (SELECT 1 
FROM scheme_grant AS scheme_grant_1 
WHERE scheme_grant_1.scheme_id = ctg.scheme_id AND scheme_grant_1.grantee = ANY ((SELECT access_keys())::text[]))))
--
CREATE POLICY ctg_insert ON ctg FOR INSERT TO maillage_service WITH CHECK ((EXISTS (SELECT 1 
FROM scheme_grant AS scheme_grant_1 
WHERE scheme_grant_1.scheme_id = ctg.scheme_id AND scheme_grant_1.grantee = ANY ((SELECT access_keys())::text[]) AND scheme_grant_1.relation IN ('steward'))) AND (EXISTS (SELECT 1 
FROM scheme AS scheme_1 
WHERE scheme_1.id = ctg.scheme_id AND scheme_1.archived_at IS NULL)))
--
CREATE POLICY ctg_update ON ctg FOR UPDATE TO maillage_service USING ((EXISTS (SELECT 1 
FROM scheme_grant AS scheme_grant_1 
WHERE scheme_grant_1.scheme_id = ctg.scheme_id AND scheme_grant_1.grantee = ANY ((SELECT access_keys())::text[]) AND scheme_grant_1.relation IN ('steward'))) AND (EXISTS (SELECT 1 
FROM scheme AS scheme_1 
WHERE scheme_1.id = ctg.scheme_id AND scheme_1.archived_at IS NULL))) WITH CHECK ((EXISTS (SELECT 1 
FROM scheme_grant AS scheme_grant_1 
WHERE scheme_grant_1.scheme_id = ctg.scheme_id AND scheme_grant_1.grantee = ANY ((SELECT access_keys())::text[]) AND scheme_grant_1.relation IN ('steward'))) AND (EXISTS (SELECT 1 
FROM scheme AS scheme_1 
WHERE scheme_1.id = ctg.scheme_id AND scheme_1.archived_at IS NULL)))
--
CREATE POLICY scheme_objective_read ON scheme_objective FOR SELECT TO maillage_service USING ((SELECT access_national()) OR (EXISTS (SELECT 1 
FROM scheme_grant AS scheme_grant_1 
WHERE scheme_grant_1.scheme_id = scheme_objective.scheme_id AND scheme_grant_1.grantee = ANY ((SELECT access_keys())::text[]))))
--
CREATE POLICY scheme_objective_insert ON scheme_objective FOR INSERT TO maillage_service WITH CHECK ((EXISTS (SELECT 1 
FROM scheme_grant AS scheme_grant_1 
WHERE scheme_grant_1.scheme_id = scheme_objective.scheme_id AND scheme_grant_1.grantee = ANY ((SELECT access_keys())::text[]) AND scheme_grant_1.relation IN ('steward'))) AND (EXISTS (SELECT 1 
FROM scheme AS scheme_1 
WHERE scheme_1.id = scheme_objective.scheme_id AND scheme_1.archived_at IS NULL)))
--
CREATE POLICY scheme_objective_update ON scheme_objective FOR UPDATE TO maillage_service USING ((EXISTS (SELECT 1 
FROM scheme_grant AS scheme_grant_1 
WHERE scheme_grant_1.scheme_id = scheme_objective.scheme_id AND scheme_grant_1.grantee = ANY ((SELECT access_keys())::text[]) AND scheme_grant_1.relation IN ('steward'))) AND (EXISTS (SELECT 1 
FROM scheme AS scheme_1 
WHERE scheme_1.id = scheme_objective.scheme_id AND scheme_1.archived_at IS NULL))) WITH CHECK ((EXISTS (SELECT 1 
FROM scheme_grant AS scheme_grant_1 
WHERE scheme_grant_1.scheme_id = scheme_objective.scheme_id AND scheme_grant_1.grantee = ANY ((SELECT access_keys())::text[]) AND scheme_grant_1.relation IN ('steward'))) AND (EXISTS (SELECT 1 
FROM scheme AS scheme_1 
WHERE scheme_1.id = scheme_objective.scheme_id AND scheme_1.archived_at IS NULL)))
--
CREATE POLICY scheme_objective_delete ON scheme_objective FOR DELETE TO maillage_service USING ((EXISTS (SELECT 1 
FROM scheme_grant AS scheme_grant_1 
WHERE scheme_grant_1.scheme_id = scheme_objective.scheme_id AND scheme_grant_1.grantee = ANY ((SELECT access_keys())::text[]) AND scheme_grant_1.relation IN ('steward'))) AND (EXISTS (SELECT 1 
FROM scheme AS scheme_1 
WHERE scheme_1.id = scheme_objective.scheme_id AND scheme_1.archived_at IS NULL)))
--
CREATE POLICY signature_read ON signature FOR SELECT TO maillage_service USING ((SELECT access_national()) OR (EXISTS (SELECT 1 
FROM scheme_grant AS scheme_grant_1 
WHERE scheme_grant_1.scheme_id = signature.scheme_id AND scheme_grant_1.grantee = ANY ((SELECT access_keys())::text[]))))
--
CREATE POLICY signature_insert ON signature FOR INSERT TO maillage_service WITH CHECK ((EXISTS (SELECT 1 
FROM scheme_grant AS scheme_grant_1 
WHERE scheme_grant_1.scheme_id = signature.scheme_id AND scheme_grant_1.grantee = ANY ((SELECT access_keys())::text[]) AND scheme_grant_1.relation IN ('steward'))) AND (EXISTS (SELECT 1 
FROM scheme AS scheme_1 
WHERE scheme_1.id = signature.scheme_id AND scheme_1.archived_at IS NULL)))
--
CREATE POLICY signature_update ON signature FOR UPDATE TO maillage_service USING ((EXISTS (SELECT 1 
FROM scheme_grant AS scheme_grant_1 
WHERE scheme_grant_1.scheme_id = signature.scheme_id AND scheme_grant_1.grantee = ANY ((SELECT access_keys())::text[]) AND scheme_grant_1.relation IN ('steward'))) AND (EXISTS (SELECT 1 
FROM scheme AS scheme_1 
WHERE scheme_1.id = signature.scheme_id AND scheme_1.archived_at IS NULL))) WITH CHECK ((EXISTS (SELECT 1 
FROM scheme_grant AS scheme_grant_1 
WHERE scheme_grant_1.scheme_id = signature.scheme_id AND scheme_grant_1.grantee = ANY ((SELECT access_keys())::text[]) AND scheme_grant_1.relation IN ('steward'))) AND (EXISTS (SELECT 1 
FROM scheme AS scheme_1 
WHERE scheme_1.id = signature.scheme_id AND scheme_1.archived_at IS NULL)))
--
CREATE POLICY signature_delete ON signature FOR DELETE TO maillage_service USING ((EXISTS (SELECT 1 
FROM scheme_grant AS scheme_grant_1 
WHERE scheme_grant_1.scheme_id = signature.scheme_id AND scheme_grant_1.grantee = ANY ((SELECT access_keys())::text[]) AND scheme_grant_1.relation IN ('steward'))) AND (EXISTS (SELECT 1 
FROM scheme AS scheme_1 
WHERE scheme_1.id = signature.scheme_id AND scheme_1.archived_at IS NULL)))
--
CREATE POLICY scheme_commune_read ON scheme_commune FOR SELECT TO maillage_service USING ((SELECT access_national()) OR (EXISTS (SELECT 1 
FROM scheme_grant AS scheme_grant_1 
WHERE scheme_grant_1.scheme_id = scheme_commune.scheme_id AND scheme_grant_1.grantee = ANY ((SELECT access_keys())::text[]))))
--
CREATE POLICY scheme_commune_insert ON scheme_commune FOR INSERT TO maillage_service WITH CHECK ((EXISTS (SELECT 1 
FROM scheme_grant AS scheme_grant_1 
WHERE scheme_grant_1.scheme_id = scheme_commune.scheme_id AND scheme_grant_1.grantee = ANY ((SELECT access_keys())::text[]) AND scheme_grant_1.relation IN ('steward'))) AND (EXISTS (SELECT 1 
FROM scheme AS scheme_1 
WHERE scheme_1.id = scheme_commune.scheme_id AND scheme_1.archived_at IS NULL)))
--
CREATE POLICY scheme_commune_update ON scheme_commune FOR UPDATE TO maillage_service USING ((EXISTS (SELECT 1 
FROM scheme_grant AS scheme_grant_1 
WHERE scheme_grant_1.scheme_id = scheme_commune.scheme_id AND scheme_grant_1.grantee = ANY ((SELECT access_keys())::text[]) AND scheme_grant_1.relation IN ('steward'))) AND (EXISTS (SELECT 1 
FROM scheme AS scheme_1 
WHERE scheme_1.id = scheme_commune.scheme_id AND scheme_1.archived_at IS NULL))) WITH CHECK ((EXISTS (SELECT 1 
FROM scheme_grant AS scheme_grant_1 
WHERE scheme_grant_1.scheme_id = scheme_commune.scheme_id AND scheme_grant_1.grantee = ANY ((SELECT access_keys())::text[]) AND scheme_grant_1.relation IN ('steward'))) AND (EXISTS (SELECT 1 
FROM scheme AS scheme_1 
WHERE scheme_1.id = scheme_commune.scheme_id AND scheme_1.archived_at IS NULL)))
--
CREATE POLICY scheme_commune_delete ON scheme_commune FOR DELETE TO maillage_service USING ((EXISTS (SELECT 1 
FROM scheme_grant AS scheme_grant_1 
WHERE scheme_grant_1.scheme_id = scheme_commune.scheme_id AND scheme_grant_1.grantee = ANY ((SELECT access_keys())::text[]) AND scheme_grant_1.relation IN ('steward'))) AND (EXISTS (SELECT 1 
FROM scheme AS scheme_1 
WHERE scheme_1.id = scheme_commune.scheme_id AND scheme_1.archived_at IS NULL)))
--
CREATE POLICY governance_body_read ON governance_body FOR SELECT TO maillage_service USING ((SELECT access_national()) OR (EXISTS (SELECT 1 
FROM scheme_grant AS scheme_grant_1 
WHERE scheme_grant_1.scheme_id = governance_body.ctg_id AND scheme_grant_1.grantee = ANY ((SELECT access_keys())::text[]))))
--
CREATE POLICY governance_body_insert ON governance_body FOR INSERT TO maillage_service WITH CHECK ((EXISTS (SELECT 1 
FROM scheme_grant AS scheme_grant_1 
WHERE scheme_grant_1.scheme_id = governance_body.ctg_id AND scheme_grant_1.grantee = ANY ((SELECT access_keys())::text[]) AND scheme_grant_1.relation IN ('steward'))) AND (EXISTS (SELECT 1 
FROM scheme AS scheme_1 
WHERE scheme_1.id = governance_body.ctg_id AND scheme_1.archived_at IS NULL)))
--
CREATE POLICY governance_body_update ON governance_body FOR UPDATE TO maillage_service USING ((EXISTS (SELECT 1 
FROM scheme_grant AS scheme_grant_1 
WHERE scheme_grant_1.scheme_id = governance_body.ctg_id AND scheme_grant_1.grantee = ANY ((SELECT access_keys())::text[]) AND scheme_grant_1.relation IN ('steward'))) AND (EXISTS (SELECT 1 
FROM scheme AS scheme_1 
WHERE scheme_1.id = governance_body.ctg_id AND scheme_1.archived_at IS NULL))) WITH CHECK ((EXISTS (SELECT 1 
FROM scheme_grant AS scheme_grant_1 
WHERE scheme_grant_1.scheme_id = governance_body.ctg_id AND scheme_grant_1.grantee = ANY ((SELECT access_keys())::text[]) AND scheme_grant_1.relation IN ('steward'))) AND (EXISTS (SELECT 1 
FROM scheme AS scheme_1 
WHERE scheme_1.id = governance_body.ctg_id AND scheme_1.archived_at IS NULL)))
--
CREATE POLICY governance_body_delete ON governance_body FOR DELETE TO maillage_service USING ((EXISTS (SELECT 1 
FROM scheme_grant AS scheme_grant_1 
WHERE scheme_grant_1.scheme_id = governance_body.ctg_id AND scheme_grant_1.grantee = ANY ((SELECT access_keys())::text[]) AND scheme_grant_1.relation IN ('steward'))) AND (EXISTS (SELECT 1 
FROM scheme AS scheme_1 
WHERE scheme_1.id = governance_body.ctg_id AND scheme_1.archived_at IS NULL)))
--
CREATE POLICY organisation_read ON organisation FOR SELECT TO maillage_service USING ((SELECT access_national()) OR (EXISTS (SELECT 1 
FROM organisation_grant AS organisation_grant_1 
WHERE organisation_grant_1.organisation_id = organisation.id AND organisation_grant_1.grantee = ANY ((SELECT access_keys())::text[]))))
--
CREATE POLICY organisation_insert ON organisation FOR INSERT TO maillage_service WITH CHECK ('cnaf-editor' = ANY ((SELECT access_keys())::text[]) OR (organisation.kind NOT IN ('caf', 'cnaf')) AND ('caf:' || CAST(organisation.department_code AS TEXT)) = ANY ((SELECT access_keys())::text[]))
--
CREATE POLICY organisation_update ON organisation FOR UPDATE TO maillage_service USING (organisation.archived_at IS NULL AND ('cnaf-editor' = ANY ((SELECT access_keys())::text[]) OR (organisation.kind NOT IN ('caf', 'cnaf')) AND ('caf:' || CAST(organisation.department_code AS TEXT)) = ANY ((SELECT access_keys())::text[]) OR ('admin:' || CAST(organisation.id AS TEXT)) = ANY ((SELECT access_keys())::text[]))) WITH CHECK ('cnaf-editor' = ANY ((SELECT access_keys())::text[]) OR (organisation.kind NOT IN ('caf', 'cnaf')) AND ('caf:' || CAST(organisation.department_code AS TEXT)) = ANY ((SELECT access_keys())::text[]) OR ('admin:' || CAST(organisation.id AS TEXT)) = ANY ((SELECT access_keys())::text[]))
--
CREATE POLICY habilitation_read ON habilitation FOR SELECT TO maillage_service USING ((SELECT access_national()) OR (('org:' || CAST(habilitation.organisation_id AS TEXT)) = ANY ((SELECT access_keys())::text[]) OR (EXISTS (SELECT 1 
FROM organisation AS organisation_1 
WHERE organisation_1.id = habilitation.organisation_id AND ('caf:' || CAST(organisation_1.department_code AS TEXT)) = ANY ((SELECT access_keys())::text[]))) OR habilitation.issuer = (SELECT access_issuer() AS access_issuer_1) AND habilitation.subject = (SELECT access_subject() AS access_subject_1)))
--
CREATE POLICY habilitation_insert ON habilitation FOR INSERT TO maillage_service WITH CHECK ((('admin:' || CAST(habilitation.organisation_id AS TEXT)) = ANY ((SELECT access_keys())::text[]) OR (EXISTS (SELECT 1 
FROM organisation AS organisation_1 
WHERE organisation_1.id = habilitation.organisation_id AND ('caf-manager:' || CAST(organisation_1.department_code AS TEXT)) = ANY ((SELECT access_keys())::text[])))) AND (habilitation.status != 'active' OR NOT (habilitation.issuer = (SELECT access_issuer() AS access_issuer_1) AND habilitation.subject = (SELECT access_subject() AS access_subject_1))) AND confers_within(membership_keys(habilitation.organisation_id, habilitation.role), (SELECT access_keys())::text[]))
--
CREATE POLICY habilitation_update ON habilitation FOR UPDATE TO maillage_service USING (('admin:' || CAST(habilitation.organisation_id AS TEXT)) = ANY ((SELECT access_keys())::text[]) OR (EXISTS (SELECT 1 
FROM organisation AS organisation_1 
WHERE organisation_1.id = habilitation.organisation_id AND ('caf-manager:' || CAST(organisation_1.department_code AS TEXT)) = ANY ((SELECT access_keys())::text[])))) WITH CHECK ((('admin:' || CAST(habilitation.organisation_id AS TEXT)) = ANY ((SELECT access_keys())::text[]) OR (EXISTS (SELECT 1 
FROM organisation AS organisation_1 
WHERE organisation_1.id = habilitation.organisation_id AND ('caf-manager:' || CAST(organisation_1.department_code AS TEXT)) = ANY ((SELECT access_keys())::text[])))) AND (habilitation.status != 'active' OR NOT (habilitation.issuer = (SELECT access_issuer() AS access_issuer_1) AND habilitation.subject = (SELECT access_subject() AS access_subject_1))) AND confers_within(membership_keys(habilitation.organisation_id, habilitation.role), (SELECT access_keys())::text[]))
--
CREATE POLICY facility_read ON facility FOR SELECT TO maillage_service USING ((SELECT access_national()) OR (facility.status = 'open' OR (EXISTS (SELECT 1 
FROM facility_grant AS facility_grant_1 
WHERE facility_grant_1.facility_id = facility.id AND facility_grant_1.grantee = ANY ((SELECT access_keys())::text[])))))
--
CREATE POLICY facility_insert ON facility FOR INSERT TO maillage_service WITH CHECK (('caf:' || CAST(facility.department_code AS TEXT)) = ANY ((SELECT access_keys())::text[]))
--
CREATE POLICY facility_update ON facility FOR UPDATE TO maillage_service USING (facility.archived_at IS NULL AND ((EXISTS (SELECT 1 
FROM facility_grant AS facility_grant_1 
WHERE facility_grant_1.facility_id = facility.id AND facility_grant_1.grantee = ANY ((SELECT access_keys())::text[]) AND facility_grant_1.relation IN ('caf'))) OR (EXISTS (SELECT 1 
FROM facility_grant AS facility_grant_2 
WHERE facility_grant_2.facility_id = facility.id AND facility_grant_2.grantee = ANY ((SELECT access_keys())::text[]) AND facility_grant_2.relation IN ('caf', 'manager'))))) WITH CHECK ((EXISTS (SELECT 1 
FROM facility_grant AS facility_grant_1 
WHERE facility_grant_1.facility_id = facility.id AND facility_grant_1.grantee = ANY ((SELECT access_keys())::text[]) AND facility_grant_1.relation IN ('caf'))) AND ('caf:' || CAST(facility.department_code AS TEXT)) = ANY ((SELECT access_keys())::text[]) OR NOT (EXISTS (SELECT 1 
FROM facility_grant AS facility_grant_2 
WHERE facility_grant_2.facility_id = facility.id AND facility_grant_2.grantee = ANY ((SELECT access_keys())::text[]) AND facility_grant_2.relation IN ('caf'))) AND (EXISTS (SELECT 1 
FROM facility_grant AS facility_grant_3 
WHERE facility_grant_3.facility_id = facility.id AND facility_grant_3.grantee = ANY ((SELECT access_keys())::text[]) AND facility_grant_3.relation IN ('caf', 'manager'))))
--
CREATE POLICY facility_action_read ON facility_action FOR SELECT TO maillage_service USING ((SELECT access_national()) OR ((EXISTS (SELECT 1 
FROM facility_grant AS facility_grant_1 
WHERE facility_grant_1.facility_id = facility_action.facility_id AND facility_grant_1.grantee = ANY ((SELECT access_keys())::text[]) AND facility_grant_1.relation IN ('caf', 'carrier', 'cosignatory', 'local_authority', 'manager', 'member', 'participant', 'partner', 'related', 'signatory', 'steward', 'territory'))) OR (EXISTS (SELECT 1 
FROM action_grant AS action_grant_1 
WHERE action_grant_1.action_id = facility_action.action_id AND action_grant_1.grantee = ANY ((SELECT access_keys())::text[])))))
--
CREATE POLICY facility_action_insert ON facility_action FOR INSERT TO maillage_service WITH CHECK ((EXISTS (SELECT 1 
FROM facility_grant AS facility_grant_1 
WHERE facility_grant_1.facility_id = facility_action.facility_id AND facility_grant_1.grantee = ANY ((SELECT access_keys())::text[]) AND facility_grant_1.relation IN ('caf'))) AND (EXISTS (SELECT 1 
FROM facility AS facility_1 
WHERE facility_1.id = facility_action.facility_id AND facility_1.archived_at IS NULL)))
--
CREATE POLICY facility_action_update ON facility_action FOR UPDATE TO maillage_service USING ((EXISTS (SELECT 1 
FROM facility_grant AS facility_grant_1 
WHERE facility_grant_1.facility_id = facility_action.facility_id AND facility_grant_1.grantee = ANY ((SELECT access_keys())::text[]) AND facility_grant_1.relation IN ('caf'))) AND (EXISTS (SELECT 1 
FROM facility AS facility_1 
WHERE facility_1.id = facility_action.facility_id AND facility_1.archived_at IS NULL))) WITH CHECK ((EXISTS (SELECT 1 
FROM facility_grant AS facility_grant_1 
WHERE facility_grant_1.facility_id = facility_action.facility_id AND facility_grant_1.grantee = ANY ((SELECT access_keys())::text[]) AND facility_grant_1.relation IN ('caf'))) AND (EXISTS (SELECT 1 
FROM facility AS facility_1 
WHERE facility_1.id = facility_action.facility_id AND facility_1.archived_at IS NULL)))
--
CREATE POLICY facility_action_delete ON facility_action FOR DELETE TO maillage_service USING ((EXISTS (SELECT 1 
FROM facility_grant AS facility_grant_1 
WHERE facility_grant_1.facility_id = facility_action.facility_id AND facility_grant_1.grantee = ANY ((SELECT access_keys())::text[]) AND facility_grant_1.relation IN ('caf'))) AND (EXISTS (SELECT 1 
FROM facility AS facility_1 
WHERE facility_1.id = facility_action.facility_id AND facility_1.archived_at IS NULL)))
--
CREATE POLICY funding_line_read ON funding_line FOR SELECT TO maillage_service USING ((SELECT access_national()) OR (funding_line.action_id IS NOT NULL AND (EXISTS (SELECT 1 
FROM action_grant AS action_grant_1 
WHERE action_grant_1.action_id = funding_line.action_id AND action_grant_1.grantee = ANY ((SELECT access_keys())::text[]))) OR funding_line.facility_id IS NOT NULL AND (EXISTS (SELECT 1 
FROM facility_grant AS facility_grant_1 
WHERE facility_grant_1.facility_id = funding_line.facility_id AND facility_grant_1.grantee = ANY ((SELECT access_keys())::text[]) AND facility_grant_1.relation IN ('caf', 'carrier', 'cosignatory', 'local_authority', 'manager', 'member', 'participant', 'partner', 'related', 'signatory', 'steward', 'territory')))))
--
CREATE POLICY funding_line_insert ON funding_line FOR INSERT TO maillage_service WITH CHECK ((funding_line.action_id IS NOT NULL AND (EXISTS (SELECT 1 
FROM action_grant AS action_grant_1 
WHERE action_grant_1.action_id = funding_line.action_id AND action_grant_1.grantee = ANY ((SELECT access_keys())::text[]) AND action_grant_1.relation IN ('caf', 'local_authority'))) AND (EXISTS (SELECT 1 
FROM action AS action_1 
WHERE action_1.id = funding_line.action_id AND action_1.archived_at IS NULL)) AND (NOT (EXISTS (SELECT 1 
FROM organisation AS organisation_1 
WHERE organisation_1.id = funding_line.funder_id AND organisation_1.kind = 'caf')) OR (EXISTS (SELECT 1 
FROM action_grant AS action_grant_2 
WHERE action_grant_2.action_id = funding_line.action_id AND action_grant_2.grantee = ANY ((SELECT access_keys())::text[]) AND action_grant_2.relation IN ('caf')))) OR funding_line.facility_id IS NOT NULL AND (EXISTS (SELECT 1 
FROM facility_grant AS facility_grant_1 
WHERE facility_grant_1.facility_id = funding_line.facility_id AND facility_grant_1.grantee = ANY ((SELECT access_keys())::text[]) AND facility_grant_1.relation IN ('caf'))) AND (EXISTS (SELECT 1 
FROM facility AS facility_1 
WHERE facility_1.id = funding_line.facility_id AND facility_1.archived_at IS NULL))) AND (funding_line.granted IS NULL OR funding_line.action_id IS NOT NULL AND (EXISTS (SELECT 1 
FROM action_grant AS action_grant_3 
WHERE action_grant_3.action_id = funding_line.action_id AND action_grant_3.grantee = ANY ((SELECT access_keys())::text[]) AND action_grant_3.relation IN ('caf'))) OR funding_line.facility_id IS NOT NULL AND (EXISTS (SELECT 1 
FROM facility_grant AS facility_grant_2 
WHERE facility_grant_2.facility_id = funding_line.facility_id AND facility_grant_2.grantee = ANY ((SELECT access_keys())::text[]) AND facility_grant_2.relation IN ('caf')))))
--
CREATE POLICY funding_line_update ON funding_line FOR UPDATE TO maillage_service USING (funding_line.action_id IS NOT NULL AND (EXISTS (SELECT 1 
FROM action_grant AS action_grant_1 
WHERE action_grant_1.action_id = funding_line.action_id AND action_grant_1.grantee = ANY ((SELECT access_keys())::text[]) AND action_grant_1.relation IN ('caf', 'local_authority'))) AND (EXISTS (SELECT 1 
FROM action AS action_1 
WHERE action_1.id = funding_line.action_id AND action_1.archived_at IS NULL)) AND (NOT (EXISTS (SELECT 1 
FROM organisation AS organisation_1 
WHERE organisation_1.id = funding_line.funder_id AND organisation_1.kind = 'caf')) OR (EXISTS (SELECT 1 
FROM action_grant AS action_grant_2 
WHERE action_grant_2.action_id = funding_line.action_id AND action_grant_2.grantee = ANY ((SELECT access_keys())::text[]) AND action_grant_2.relation IN ('caf')))) OR funding_line.facility_id IS NOT NULL AND (EXISTS (SELECT 1 
FROM facility_grant AS facility_grant_1 
WHERE facility_grant_1.facility_id = funding_line.facility_id AND facility_grant_1.grantee = ANY ((SELECT access_keys())::text[]) AND facility_grant_1.relation IN ('caf'))) AND (EXISTS (SELECT 1 
FROM facility AS facility_1 
WHERE facility_1.id = funding_line.facility_id AND facility_1.archived_at IS NULL))) WITH CHECK (funding_line.action_id IS NOT NULL AND (EXISTS (SELECT 1 
FROM action_grant AS action_grant_1 
WHERE action_grant_1.action_id = funding_line.action_id AND action_grant_1.grantee = ANY ((SELECT access_keys())::text[]) AND action_grant_1.relation IN ('caf', 'local_authority'))) AND (EXISTS (SELECT 1 
FROM action AS action_1 
WHERE action_1.id = funding_line.action_id AND action_1.archived_at IS NULL)) AND (NOT (EXISTS (SELECT 1 
FROM organisation AS organisation_1 
WHERE organisation_1.id = funding_line.funder_id AND organisation_1.kind = 'caf')) OR (EXISTS (SELECT 1 
FROM action_grant AS action_grant_2 
WHERE action_grant_2.action_id = funding_line.action_id AND action_grant_2.grantee = ANY ((SELECT access_keys())::text[]) AND action_grant_2.relation IN ('caf')))) OR funding_line.facility_id IS NOT NULL AND (EXISTS (SELECT 1 
FROM facility_grant AS facility_grant_1 
WHERE facility_grant_1.facility_id = funding_line.facility_id AND facility_grant_1.grantee = ANY ((SELECT access_keys())::text[]) AND facility_grant_1.relation IN ('caf'))) AND (EXISTS (SELECT 1 
FROM facility AS facility_1 
WHERE facility_1.id = funding_line.facility_id AND facility_1.archived_at IS NULL)))
--
CREATE POLICY funding_line_delete ON funding_line FOR DELETE TO maillage_service USING (funding_line.action_id IS NOT NULL AND (EXISTS (SELECT 1 
FROM action_grant AS action_grant_1 
WHERE action_grant_1.action_id = funding_line.action_id AND action_grant_1.grantee = ANY ((SELECT access_keys())::text[]) AND action_grant_1.relation IN ('caf', 'local_authority'))) AND (EXISTS (SELECT 1 
FROM action AS action_1 
WHERE action_1.id = funding_line.action_id AND action_1.archived_at IS NULL)) AND (NOT (EXISTS (SELECT 1 
FROM organisation AS organisation_1 
WHERE organisation_1.id = funding_line.funder_id AND organisation_1.kind = 'caf')) OR (EXISTS (SELECT 1 
FROM action_grant AS action_grant_2 
WHERE action_grant_2.action_id = funding_line.action_id AND action_grant_2.grantee = ANY ((SELECT access_keys())::text[]) AND action_grant_2.relation IN ('caf')))) OR funding_line.facility_id IS NOT NULL AND (EXISTS (SELECT 1 
FROM facility_grant AS facility_grant_1 
WHERE facility_grant_1.facility_id = funding_line.facility_id AND facility_grant_1.grantee = ANY ((SELECT access_keys())::text[]) AND facility_grant_1.relation IN ('caf'))) AND (EXISTS (SELECT 1 
FROM facility AS facility_1 
WHERE facility_1.id = funding_line.facility_id AND facility_1.archived_at IS NULL)))
--
CREATE POLICY reporting_campaign_read ON reporting_campaign FOR SELECT TO maillage_service USING ((SELECT access_national()) OR (true))
--
CREATE POLICY reporting_campaign_insert ON reporting_campaign FOR INSERT TO maillage_service WITH CHECK ('cnaf-editor' = ANY ((SELECT access_keys())::text[]) OR reporting_campaign.department_code IS NOT NULL AND ('caf:' || CAST(reporting_campaign.department_code AS TEXT)) = ANY ((SELECT access_keys())::text[]))
--
CREATE POLICY reporting_campaign_update ON reporting_campaign FOR UPDATE TO maillage_service USING (reporting_campaign.archived_at IS NULL AND ('cnaf-editor' = ANY ((SELECT access_keys())::text[]) OR reporting_campaign.department_code IS NOT NULL AND ('caf:' || CAST(reporting_campaign.department_code AS TEXT)) = ANY ((SELECT access_keys())::text[]))) WITH CHECK ('cnaf-editor' = ANY ((SELECT access_keys())::text[]) OR reporting_campaign.department_code IS NOT NULL AND ('caf:' || CAST(reporting_campaign.department_code AS TEXT)) = ANY ((SELECT access_keys())::text[]))
--
CREATE POLICY campaign_ctg_read ON campaign_ctg FOR SELECT TO maillage_service USING ((SELECT access_national()) OR (true))
--
CREATE POLICY campaign_ctg_insert ON campaign_ctg FOR INSERT TO maillage_service WITH CHECK (EXISTS (SELECT 1 
FROM reporting_campaign AS reporting_campaign_1 
WHERE reporting_campaign_1.id = campaign_ctg.campaign_id AND reporting_campaign_1.archived_at IS NULL AND ('cnaf-editor' = ANY ((SELECT access_keys())::text[]) OR reporting_campaign_1.department_code IS NOT NULL AND ('caf:' || CAST(reporting_campaign_1.department_code AS TEXT)) = ANY ((SELECT access_keys())::text[]))))
--
CREATE POLICY campaign_ctg_delete ON campaign_ctg FOR DELETE TO maillage_service USING (EXISTS (SELECT 1 
FROM reporting_campaign AS reporting_campaign_1 
WHERE reporting_campaign_1.id = campaign_ctg.campaign_id AND reporting_campaign_1.archived_at IS NULL AND ('cnaf-editor' = ANY ((SELECT access_keys())::text[]) OR reporting_campaign_1.department_code IS NOT NULL AND ('caf:' || CAST(reporting_campaign_1.department_code AS TEXT)) = ANY ((SELECT access_keys())::text[]))))
--
CREATE POLICY campaign_reminder_read ON campaign_reminder FOR SELECT TO maillage_service USING ((SELECT access_national()) OR ((EXISTS (SELECT 1 
FROM reporting_campaign AS reporting_campaign_1 
WHERE reporting_campaign_1.id = campaign_reminder.campaign_id AND reporting_campaign_1.archived_at IS NULL AND ('cnaf-editor' = ANY ((SELECT access_keys())::text[]) OR reporting_campaign_1.department_code IS NOT NULL AND ('caf:' || CAST(reporting_campaign_1.department_code AS TEXT)) = ANY ((SELECT access_keys())::text[])))) OR ('org:' || CAST(campaign_reminder.organisation_id AS TEXT)) = ANY ((SELECT access_keys())::text[])))
--
CREATE POLICY campaign_reminder_insert ON campaign_reminder FOR INSERT TO maillage_service WITH CHECK (EXISTS (SELECT 1 
FROM reporting_campaign AS reporting_campaign_1 
WHERE reporting_campaign_1.id = campaign_reminder.campaign_id AND reporting_campaign_1.archived_at IS NULL AND ('cnaf-editor' = ANY ((SELECT access_keys())::text[]) OR reporting_campaign_1.department_code IS NOT NULL AND ('caf:' || CAST(reporting_campaign_1.department_code AS TEXT)) = ANY ((SELECT access_keys())::text[]))))
--
CREATE POLICY governance_meeting_read ON governance_meeting FOR SELECT TO maillage_service USING ((SELECT access_national()) OR (EXISTS (SELECT 1 
FROM scheme_grant AS scheme_grant_1 
WHERE scheme_grant_1.scheme_id = governance_meeting.ctg_id AND scheme_grant_1.grantee = ANY ((SELECT access_keys())::text[]))))
--
CREATE POLICY governance_meeting_insert ON governance_meeting FOR INSERT TO maillage_service WITH CHECK ((EXISTS (SELECT 1 
FROM scheme_grant AS scheme_grant_1 
WHERE scheme_grant_1.scheme_id = governance_meeting.ctg_id AND scheme_grant_1.grantee = ANY ((SELECT access_keys())::text[]) AND scheme_grant_1.relation IN ('caf', 'local_authority'))) AND (EXISTS (SELECT 1 
FROM scheme AS scheme_1 
WHERE scheme_1.id = governance_meeting.ctg_id AND scheme_1.archived_at IS NULL)))
--
CREATE POLICY governance_meeting_update ON governance_meeting FOR UPDATE TO maillage_service USING (governance_meeting.archived_at IS NULL AND (EXISTS (SELECT 1 
FROM scheme_grant AS scheme_grant_1 
WHERE scheme_grant_1.scheme_id = governance_meeting.ctg_id AND scheme_grant_1.grantee = ANY ((SELECT access_keys())::text[]) AND scheme_grant_1.relation IN ('caf', 'local_authority'))) AND (EXISTS (SELECT 1 
FROM scheme AS scheme_1 
WHERE scheme_1.id = governance_meeting.ctg_id AND scheme_1.archived_at IS NULL))) WITH CHECK ((EXISTS (SELECT 1 
FROM scheme_grant AS scheme_grant_1 
WHERE scheme_grant_1.scheme_id = governance_meeting.ctg_id AND scheme_grant_1.grantee = ANY ((SELECT access_keys())::text[]) AND scheme_grant_1.relation IN ('caf', 'local_authority'))) AND (EXISTS (SELECT 1 
FROM scheme AS scheme_1 
WHERE scheme_1.id = governance_meeting.ctg_id AND scheme_1.archived_at IS NULL)))
--
CREATE POLICY meeting_decision_read ON meeting_decision FOR SELECT TO maillage_service USING ((SELECT access_national()) OR (EXISTS (SELECT 1 
FROM scheme_grant AS scheme_grant_1 
WHERE scheme_grant_1.scheme_id = meeting_decision.ctg_id AND scheme_grant_1.grantee = ANY ((SELECT access_keys())::text[]))))
--
CREATE POLICY meeting_decision_insert ON meeting_decision FOR INSERT TO maillage_service WITH CHECK ((EXISTS (SELECT 1 
FROM scheme_grant AS scheme_grant_1 
WHERE scheme_grant_1.scheme_id = meeting_decision.ctg_id AND scheme_grant_1.grantee = ANY ((SELECT access_keys())::text[]) AND scheme_grant_1.relation IN ('caf', 'local_authority'))) AND (EXISTS (SELECT 1 
FROM scheme AS scheme_1 
WHERE scheme_1.id = meeting_decision.ctg_id AND scheme_1.archived_at IS NULL)))
--
CREATE POLICY meeting_decision_update ON meeting_decision FOR UPDATE TO maillage_service USING ((EXISTS (SELECT 1 
FROM scheme_grant AS scheme_grant_1 
WHERE scheme_grant_1.scheme_id = meeting_decision.ctg_id AND scheme_grant_1.grantee = ANY ((SELECT access_keys())::text[]) AND scheme_grant_1.relation IN ('caf', 'local_authority'))) AND (EXISTS (SELECT 1 
FROM scheme AS scheme_1 
WHERE scheme_1.id = meeting_decision.ctg_id AND scheme_1.archived_at IS NULL))) WITH CHECK ((EXISTS (SELECT 1 
FROM scheme_grant AS scheme_grant_1 
WHERE scheme_grant_1.scheme_id = meeting_decision.ctg_id AND scheme_grant_1.grantee = ANY ((SELECT access_keys())::text[]) AND scheme_grant_1.relation IN ('caf', 'local_authority'))) AND (EXISTS (SELECT 1 
FROM scheme AS scheme_1 
WHERE scheme_1.id = meeting_decision.ctg_id AND scheme_1.archived_at IS NULL)))
--
CREATE POLICY meeting_decision_delete ON meeting_decision FOR DELETE TO maillage_service USING ((EXISTS (SELECT 1 
FROM scheme_grant AS scheme_grant_1 
WHERE scheme_grant_1.scheme_id = meeting_decision.ctg_id AND scheme_grant_1.grantee = ANY ((SELECT access_keys())::text[]) AND scheme_grant_1.relation IN ('caf', 'local_authority'))) AND (EXISTS (SELECT 1 
FROM scheme AS scheme_1 
WHERE scheme_1.id = meeting_decision.ctg_id AND scheme_1.archived_at IS NULL)))
--
CREATE POLICY audit_event_read ON audit_event FOR SELECT TO maillage_service USING ((SELECT access_national()) OR (audit_event.entity = 'action' AND (EXISTS (SELECT 1 
FROM action_grant AS action_grant_1 
WHERE action_grant_1.action_id = audit_event.entity_id AND action_grant_1.grantee = ANY ((SELECT access_keys())::text[]))) OR audit_event.entity IN ('scheme', 'ctg') AND (EXISTS (SELECT 1 
FROM scheme_grant AS scheme_grant_1 
WHERE scheme_grant_1.scheme_id = audit_event.entity_id AND scheme_grant_1.grantee = ANY ((SELECT access_keys())::text[]))) OR audit_event.entity = 'organisation' AND (EXISTS (SELECT 1 
FROM organisation_grant AS organisation_grant_1 
WHERE organisation_grant_1.organisation_id = audit_event.entity_id AND organisation_grant_1.grantee = ANY ((SELECT access_keys())::text[]))) OR audit_event.entity = 'facility' AND (EXISTS (SELECT 1 
FROM facility_grant AS facility_grant_1 
WHERE facility_grant_1.facility_id = audit_event.entity_id AND facility_grant_1.grantee = ANY ((SELECT access_keys())::text[]) AND facility_grant_1.relation IN ('caf', 'carrier', 'cosignatory', 'local_authority', 'manager', 'member', 'participant', 'partner', 'related', 'signatory', 'steward', 'territory'))) OR audit_event.entity = 'reporting_campaign' OR audit_event.entity = 'governance_meeting' AND (EXISTS (SELECT 1 
FROM governance_meeting AS governance_meeting_1 
WHERE governance_meeting_1.id = audit_event.entity_id)) OR audit_event.entity = 'habilitation' AND (EXISTS (SELECT 1 
FROM habilitation AS habilitation_1 
WHERE habilitation_1.id = audit_event.entity_id))))
--
CREATE POLICY audit_event_insert ON audit_event FOR INSERT TO maillage_service WITH CHECK (true)
--
CREATE POLICY idempotency_key_read ON idempotency_key FOR SELECT TO maillage_service USING (idempotency_key.issuer = (SELECT access_issuer() AS access_issuer_1) AND idempotency_key.subject = (SELECT access_subject() AS access_subject_1))
--
CREATE POLICY idempotency_key_insert ON idempotency_key FOR INSERT TO maillage_service WITH CHECK (idempotency_key.issuer = (SELECT access_issuer() AS access_issuer_1) AND idempotency_key.subject = (SELECT access_subject() AS access_subject_1))
--
CREATE POLICY idempotency_key_update ON idempotency_key FOR UPDATE TO maillage_service USING (idempotency_key.issuer = (SELECT access_issuer() AS access_issuer_1) AND idempotency_key.subject = (SELECT access_subject() AS access_subject_1)) WITH CHECK (idempotency_key.issuer = (SELECT access_issuer() AS access_issuer_1) AND idempotency_key.subject = (SELECT access_subject() AS access_subject_1))
--
CREATE FUNCTION action_changes_limited() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF NOT row_security_active('action') THEN
    RETURN NEW;
  END IF;
  IF NEW.ctg_id IS DISTINCT FROM OLD.ctg_id OR NEW.number IS DISTINCT FROM OLD.number THEN
    RAISE EXCEPTION 'refused by the access rules: ctg_id, number of table action never change' USING ERRCODE = 'insufficient_privilege';
  END IF;
  IF (to_jsonb(NEW) - ARRAY['description', 'progress', 'search', 'status', 'updated_at', 'version']) IS DISTINCT FROM (to_jsonb(OLD) - ARRAY['description', 'progress', 'search', 'status', 'updated_at', 'version'])
     AND NOT (EXISTS (SELECT FROM (SELECT OLD.*) AS action WHERE EXISTS (SELECT 1 
FROM action_grant AS action_grant_1 
WHERE action_grant_1.action_id = action.id AND action_grant_1.grantee = ANY ((SELECT access_keys())::text[]) AND action_grant_1.relation IN ('caf', 'local_authority')))
              AND EXISTS (SELECT FROM (SELECT NEW.*) AS action WHERE EXISTS (SELECT 1 
FROM action_grant AS action_grant_1 
WHERE action_grant_1.action_id = action.id AND action_grant_1.grantee = ANY ((SELECT access_keys())::text[]) AND action_grant_1.relation IN ('caf', 'local_authority')))) THEN
    RAISE EXCEPTION 'refused by the access rules: you may change only description, progress, status of this row of table action' USING ERRCODE = 'insufficient_privilege';
  END IF;
  IF (NEW.caf_funding IS DISTINCT FROM OLD.caf_funding)
     AND NOT (EXISTS (SELECT FROM (SELECT OLD.*) AS action WHERE EXISTS (SELECT 1 
FROM action_grant AS action_grant_1 
WHERE action_grant_1.action_id = action.id AND action_grant_1.grantee = ANY ((SELECT access_keys())::text[]) AND action_grant_1.relation IN ('caf')))
              AND EXISTS (SELECT FROM (SELECT NEW.*) AS action WHERE EXISTS (SELECT 1 
FROM action_grant AS action_grant_1 
WHERE action_grant_1.action_id = action.id AND action_grant_1.grantee = ANY ((SELECT access_keys())::text[]) AND action_grant_1.relation IN ('caf')))) THEN
    RAISE EXCEPTION 'refused by the access rules: only its Caf changes caf_funding of this row of table action' USING ERRCODE = 'insufficient_privilege';
  END IF;
  RETURN NEW;
END
$$
--
CREATE TRIGGER action_changes_limited BEFORE UPDATE ON action FOR EACH ROW EXECUTE FUNCTION action_changes_limited()
--
CREATE FUNCTION organisation_changes_limited() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF NOT row_security_active('organisation') THEN
    RETURN NEW;
  END IF;
  IF (to_jsonb(NEW) - ARRAY['email', 'search', 'updated_at', 'version', 'website']) IS DISTINCT FROM (to_jsonb(OLD) - ARRAY['email', 'search', 'updated_at', 'version', 'website'])
     AND NOT (EXISTS (SELECT FROM (SELECT OLD.*) AS organisation WHERE 'cnaf-editor' = ANY ((SELECT access_keys())::text[]) OR (organisation.kind NOT IN ('caf', 'cnaf')) AND ('caf:' || CAST(organisation.department_code AS TEXT)) = ANY ((SELECT access_keys())::text[]))
              AND EXISTS (SELECT FROM (SELECT NEW.*) AS organisation WHERE 'cnaf-editor' = ANY ((SELECT access_keys())::text[]) OR (organisation.kind NOT IN ('caf', 'cnaf')) AND ('caf:' || CAST(organisation.department_code AS TEXT)) = ANY ((SELECT access_keys())::text[]))) THEN
    RAISE EXCEPTION 'refused by the access rules: you may change only email, website of this row of table organisation' USING ERRCODE = 'insufficient_privilege';
  END IF;
  RETURN NEW;
END
$$
--
CREATE TRIGGER organisation_changes_limited BEFORE UPDATE ON organisation FOR EACH ROW EXECUTE FUNCTION organisation_changes_limited()
--
CREATE FUNCTION facility_changes_limited() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF NOT row_security_active('facility') THEN
    RETURN NEW;
  END IF;
  IF (to_jsonb(NEW) - ARRAY['email', 'phone', 'search', 'updated_at', 'version']) IS DISTINCT FROM (to_jsonb(OLD) - ARRAY['email', 'phone', 'search', 'updated_at', 'version'])
     AND NOT (EXISTS (SELECT FROM (SELECT OLD.*) AS facility WHERE EXISTS (SELECT 1 
FROM facility_grant AS facility_grant_1 
WHERE facility_grant_1.facility_id = facility.id AND facility_grant_1.grantee = ANY ((SELECT access_keys())::text[]) AND facility_grant_1.relation IN ('caf')))
              AND EXISTS (SELECT FROM (SELECT NEW.*) AS facility WHERE EXISTS (SELECT 1 
FROM facility_grant AS facility_grant_1 
WHERE facility_grant_1.facility_id = facility.id AND facility_grant_1.grantee = ANY ((SELECT access_keys())::text[]) AND facility_grant_1.relation IN ('caf')))) THEN
    RAISE EXCEPTION 'refused by the access rules: you may change only email, phone of this row of table facility' USING ERRCODE = 'insufficient_privilege';
  END IF;
  RETURN NEW;
END
$$
--
CREATE TRIGGER facility_changes_limited BEFORE UPDATE ON facility FOR EACH ROW EXECUTE FUNCTION facility_changes_limited()
--
CREATE FUNCTION funding_line_changes_limited() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF NOT row_security_active('funding_line') THEN
    RETURN NEW;
  END IF;
  IF (NEW.granted IS DISTINCT FROM OLD.granted)
     AND NOT (EXISTS (SELECT FROM (SELECT OLD.*) AS funding_line WHERE funding_line.action_id IS NOT NULL AND (EXISTS (SELECT 1 
FROM action_grant AS action_grant_1 
WHERE action_grant_1.action_id = funding_line.action_id AND action_grant_1.grantee = ANY ((SELECT access_keys())::text[]) AND action_grant_1.relation IN ('caf'))) OR funding_line.facility_id IS NOT NULL AND (EXISTS (SELECT 1 
FROM facility_grant AS facility_grant_1 
WHERE facility_grant_1.facility_id = funding_line.facility_id AND facility_grant_1.grantee = ANY ((SELECT access_keys())::text[]) AND facility_grant_1.relation IN ('caf'))))
              AND EXISTS (SELECT FROM (SELECT NEW.*) AS funding_line WHERE funding_line.action_id IS NOT NULL AND (EXISTS (SELECT 1 
FROM action_grant AS action_grant_1 
WHERE action_grant_1.action_id = funding_line.action_id AND action_grant_1.grantee = ANY ((SELECT access_keys())::text[]) AND action_grant_1.relation IN ('caf'))) OR funding_line.facility_id IS NOT NULL AND (EXISTS (SELECT 1 
FROM facility_grant AS facility_grant_1 
WHERE facility_grant_1.facility_id = funding_line.facility_id AND facility_grant_1.grantee = ANY ((SELECT access_keys())::text[]) AND facility_grant_1.relation IN ('caf'))))) THEN
    RAISE EXCEPTION 'refused by the access rules: only its Caf changes granted of this row of table funding_line' USING ERRCODE = 'insufficient_privilege';
  END IF;
  RETURN NEW;
END
$$
--
CREATE TRIGGER funding_line_changes_limited BEFORE UPDATE ON funding_line FOR EACH ROW EXECUTE FUNCTION funding_line_changes_limited()
--
REVOKE INSERT, UPDATE, DELETE ON action FROM maillage_service
--
GRANT SELECT, INSERT, UPDATE ON action TO maillage_service
--
REVOKE INSERT, UPDATE, DELETE ON action_partner FROM maillage_service
--
GRANT SELECT, INSERT, UPDATE, DELETE ON action_partner TO maillage_service
--
REVOKE INSERT, UPDATE, DELETE ON action_objective FROM maillage_service
--
GRANT SELECT, INSERT, UPDATE, DELETE ON action_objective TO maillage_service
--
REVOKE INSERT, UPDATE, DELETE ON indicator FROM maillage_service
--
GRANT SELECT, INSERT, UPDATE ON indicator TO maillage_service
--
REVOKE INSERT, UPDATE, DELETE ON indicator_value FROM maillage_service
--
GRANT SELECT, INSERT, UPDATE ON indicator_value TO maillage_service
--
REVOKE INSERT, UPDATE, DELETE ON scheme FROM maillage_service
--
GRANT SELECT, INSERT, UPDATE ON scheme TO maillage_service
--
REVOKE INSERT, UPDATE, DELETE ON ctg FROM maillage_service
--
GRANT SELECT, INSERT, UPDATE ON ctg TO maillage_service
--
REVOKE INSERT, UPDATE, DELETE ON scheme_objective FROM maillage_service
--
GRANT SELECT, INSERT, UPDATE, DELETE ON scheme_objective TO maillage_service
--
REVOKE INSERT, UPDATE, DELETE ON signature FROM maillage_service
--
GRANT SELECT, INSERT, UPDATE, DELETE ON signature TO maillage_service
--
REVOKE INSERT, UPDATE, DELETE ON scheme_commune FROM maillage_service
--
GRANT SELECT, INSERT, UPDATE, DELETE ON scheme_commune TO maillage_service
--
REVOKE INSERT, UPDATE, DELETE ON governance_body FROM maillage_service
--
GRANT SELECT, INSERT, UPDATE, DELETE ON governance_body TO maillage_service
--
REVOKE INSERT, UPDATE, DELETE ON organisation FROM maillage_service
--
GRANT SELECT, INSERT, UPDATE ON organisation TO maillage_service
--
REVOKE INSERT, UPDATE, DELETE ON habilitation FROM maillage_service
--
GRANT SELECT, INSERT, UPDATE ON habilitation TO maillage_service
--
REVOKE INSERT, UPDATE, DELETE ON facility FROM maillage_service
--
GRANT SELECT, INSERT, UPDATE ON facility TO maillage_service
--
REVOKE INSERT, UPDATE, DELETE ON facility_action FROM maillage_service
--
GRANT SELECT, INSERT, UPDATE, DELETE ON facility_action TO maillage_service
--
REVOKE INSERT, UPDATE, DELETE ON funding_line FROM maillage_service
--
GRANT SELECT, INSERT, UPDATE, DELETE ON funding_line TO maillage_service
--
REVOKE INSERT, UPDATE, DELETE ON reporting_campaign FROM maillage_service
--
GRANT SELECT, INSERT, UPDATE ON reporting_campaign TO maillage_service
--
REVOKE INSERT, UPDATE, DELETE ON campaign_ctg FROM maillage_service
--
GRANT SELECT, INSERT, DELETE ON campaign_ctg TO maillage_service
--
REVOKE INSERT, UPDATE, DELETE ON campaign_reminder FROM maillage_service
--
GRANT SELECT, INSERT ON campaign_reminder TO maillage_service
--
REVOKE INSERT, UPDATE, DELETE ON governance_meeting FROM maillage_service
--
GRANT SELECT, INSERT, UPDATE ON governance_meeting TO maillage_service
--
REVOKE INSERT, UPDATE, DELETE ON meeting_decision FROM maillage_service
--
GRANT SELECT, INSERT, UPDATE, DELETE ON meeting_decision TO maillage_service
--
REVOKE INSERT, UPDATE, DELETE ON audit_event FROM maillage_service
--
GRANT SELECT, INSERT ON audit_event TO maillage_service
--
REVOKE INSERT, UPDATE, DELETE ON idempotency_key FROM maillage_service
--
GRANT SELECT, INSERT, UPDATE ON idempotency_key TO maillage_service
--
REVOKE EXECUTE ON FUNCTION access_keys(), access_national(), organisation_archived(bigint), membership_keys(bigint, text), caller_access(text, text, text, text, text, text[]), scheme_steward_key(text, text, text), confers_within(text[], text[]), refresh_grants(bigint[], bigint[], bigint[], bigint[], bigint[]), rebuild_grants(), action_grants_changed(), action_partner_grants_changed(), scheme_grants_changed(), scheme_commune_grants_changed(), signature_grants_changed(), ctg_grants_changed(), organisation_grants_changed(), facility_grants_changed(), commune_grants_changed(), action_changes_limited(), organisation_changes_limited(), facility_changes_limited(), funding_line_changes_limited() FROM PUBLIC
--
GRANT EXECUTE ON FUNCTION access_keys(), access_national(), membership_keys(bigint, text), caller_access(text, text, text, text, text, text[]), confers_within(text[], text[]), scheme_steward_key(text, text, text), organisation_archived(bigint) TO maillage_service
--
GRANT SELECT ON action_grant, scheme_grant, organisation_grant, facility_grant TO maillage_service
