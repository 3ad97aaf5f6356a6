CREATE OR REPLACE FUNCTION public.access_national()
 RETURNS boolean
 LANGUAGE sql
 STABLE PARALLEL SAFE
AS $function$
  SELECT coalesce(current_setting('maillage.national', true), '') = 'true'
$function$
--
REVOKE EXECUTE ON FUNCTION access_national() FROM PUBLIC
--
GRANT EXECUTE ON FUNCTION access_national() TO maillage_service
--
CREATE OR REPLACE FUNCTION public.access_caf_departments()
 RETURNS text[]
 LANGUAGE sql
 STABLE PARALLEL SAFE
AS $function$

  SELECT coalesce(array_agg(btrim(item)::text), '{}')
  FROM unnest(string_to_array(current_setting('maillage.caf_departments', true), ',')) AS item
  WHERE btrim(item) <> ''
$function$
--
REVOKE EXECUTE ON FUNCTION access_caf_departments() FROM PUBLIC
--
GRANT EXECUTE ON FUNCTION access_caf_departments() TO maillage_service
--
CREATE OR REPLACE FUNCTION public.access_organisations()
 RETURNS bigint[]
 LANGUAGE sql
 STABLE PARALLEL SAFE
AS $function$

  SELECT coalesce(array_agg(btrim(item)::bigint), '{}')
  FROM unnest(string_to_array(current_setting('maillage.organisations', true), ',')) AS item
  WHERE btrim(item) <> ''
$function$
--
REVOKE EXECUTE ON FUNCTION access_organisations() FROM PUBLIC
--
GRANT EXECUTE ON FUNCTION access_organisations() TO maillage_service
--
CREATE OR REPLACE FUNCTION public.access_local_epcis()
 RETURNS text[]
 LANGUAGE sql
 STABLE PARALLEL SAFE
AS $function$

  SELECT coalesce(array_agg(btrim(item)::text), '{}')
  FROM unnest(string_to_array(current_setting('maillage.local_epcis', true), ',')) AS item
  WHERE btrim(item) <> ''
$function$
--
REVOKE EXECUTE ON FUNCTION access_local_epcis() FROM PUBLIC
--
GRANT EXECUTE ON FUNCTION access_local_epcis() TO maillage_service
--
CREATE OR REPLACE FUNCTION public.access_local_communes()
 RETURNS text[]
 LANGUAGE sql
 STABLE PARALLEL SAFE
AS $function$

  SELECT coalesce(array_agg(btrim(item)::text), '{}')
  FROM unnest(string_to_array(current_setting('maillage.local_communes', true), ',')) AS item
  WHERE btrim(item) <> ''
$function$
--
REVOKE EXECUTE ON FUNCTION access_local_communes() FROM PUBLIC
--
GRANT EXECUTE ON FUNCTION access_local_communes() TO maillage_service
--
CREATE OR REPLACE FUNCTION public.access_cosignatories()
 RETURNS bigint[]
 LANGUAGE sql
 STABLE PARALLEL SAFE
AS $function$

  SELECT coalesce(array_agg(btrim(item)::bigint), '{}')
  FROM unnest(string_to_array(current_setting('maillage.cosignatories', true), ',')) AS item
  WHERE btrim(item) <> ''
$function$
--
REVOKE EXECUTE ON FUNCTION access_cosignatories() FROM PUBLIC
--
GRANT EXECUTE ON FUNCTION access_cosignatories() TO maillage_service
--
CREATE OR REPLACE FUNCTION public.access_national_editor()
 RETURNS boolean
 LANGUAGE sql
 STABLE PARALLEL SAFE
AS $function$
  SELECT coalesce(current_setting('maillage.national_editor', true), '') = 'true'
$function$
--
REVOKE EXECUTE ON FUNCTION access_national_editor() FROM PUBLIC
--
GRANT EXECUTE ON FUNCTION access_national_editor() TO maillage_service
--
CREATE OR REPLACE FUNCTION public.access_managed_departments()
 RETURNS text[]
 LANGUAGE sql
 STABLE PARALLEL SAFE
AS $function$

  SELECT coalesce(array_agg(btrim(item)::text), '{}')
  FROM unnest(string_to_array(current_setting('maillage.managed_departments', true), ',')) AS item
  WHERE btrim(item) <> ''
$function$
--
REVOKE EXECUTE ON FUNCTION access_managed_departments() FROM PUBLIC
--
GRANT EXECUTE ON FUNCTION access_managed_departments() TO maillage_service
--
CREATE OR REPLACE FUNCTION public.access_administered_organisations()
 RETURNS bigint[]
 LANGUAGE sql
 STABLE PARALLEL SAFE
AS $function$

  SELECT coalesce(array_agg(btrim(item)::bigint), '{}')
  FROM unnest(string_to_array(current_setting('maillage.administered_organisations', true), ',')) AS item
  WHERE btrim(item) <> ''
$function$
--
REVOKE EXECUTE ON FUNCTION access_administered_organisations() FROM PUBLIC
--
GRANT EXECUTE ON FUNCTION access_administered_organisations() TO maillage_service
--
CREATE OR REPLACE FUNCTION public.local_scheme_ids()
 RETURNS SETOF bigint
 LANGUAGE sql
 STABLE PARALLEL SAFE SECURITY DEFINER
 SET search_path TO 'public', 'pg_temp'
AS $function$

  WITH local_commune AS (
    SELECT insee_code, department_code, epci_siren FROM commune
    WHERE epci_siren = ANY(access_local_epcis()) OR insee_code = ANY(access_local_communes())
  )
  SELECT s.id FROM scheme AS s
  WHERE s.kind IN ('CTG', 'CEJ') AND (
    s.epci_siren = ANY(access_local_epcis())
    OR (s.scope = 'epci' AND s.epci_siren IN (SELECT epci_siren FROM local_commune))
    OR (s.scope = 'department' AND s.department_code IN (SELECT department_code FROM local_commune))
    OR s.id IN (
      SELECT scheme_id FROM scheme_commune WHERE commune_insee_code IN (SELECT insee_code FROM local_commune)
    )
  )
$function$
--
REVOKE EXECUTE ON FUNCTION local_scheme_ids() FROM PUBLIC
--
GRANT EXECUTE ON FUNCTION local_scheme_ids() TO maillage_service
--
CREATE OR REPLACE FUNCTION public.visible_scheme_ids()
 RETURNS SETOF bigint
 LANGUAGE sql
 STABLE PARALLEL SAFE SECURITY DEFINER
 SET search_path TO 'public', 'pg_temp'
AS $function$

  SELECT id FROM (
    SELECT id FROM scheme WHERE kind IN ('COG', 'CPOG', 'SDSF', 'SDAVS', 'EDUCATION_CHARTER') AND status <> 'draft'
    UNION
    SELECT id FROM scheme WHERE department_code = ANY(access_caf_departments())
    UNION
    SELECT local_scheme_ids()
    UNION
    SELECT scheme_id FROM signature WHERE organisation_id = ANY(access_organisations() || access_cosignatories())
    UNION
    SELECT ctg_id FROM action WHERE carrier_id = ANY(access_organisations())
    UNION
    SELECT a.ctg_id FROM action_partner AS p JOIN action AS a ON a.id = p.action_id
    WHERE p.organisation_id = ANY(access_organisations())
  ) AS visible
  WHERE NOT access_national()
$function$
--
REVOKE EXECUTE ON FUNCTION visible_scheme_ids() FROM PUBLIC
--
GRANT EXECUTE ON FUNCTION visible_scheme_ids() TO maillage_service
--
CREATE OR REPLACE FUNCTION public.visible_action_ids()
 RETURNS SETOF bigint
 LANGUAGE sql
 STABLE PARALLEL SAFE SECURITY DEFINER
 SET search_path TO 'public', 'pg_temp'
AS $function$

  SELECT a.id FROM action AS a
  WHERE NOT access_national() AND (
    a.ctg_id IN (SELECT id FROM scheme WHERE department_code = ANY(access_caf_departments()))
    OR a.ctg_id IN (SELECT local_scheme_ids())
    OR a.ctg_id IN (SELECT scheme_id FROM signature WHERE organisation_id = ANY(access_cosignatories()))
    OR a.carrier_id = ANY(access_organisations())
    OR a.id IN (SELECT action_id FROM action_partner WHERE organisation_id = ANY(access_organisations()))
  )
$function$
--
REVOKE EXECUTE ON FUNCTION visible_action_ids() FROM PUBLIC
--
GRANT EXECUTE ON FUNCTION visible_action_ids() TO maillage_service
--
CREATE OR REPLACE FUNCTION public.visible_organisation_ids()
 RETURNS SETOF bigint
 LANGUAGE sql
 STABLE PARALLEL SAFE SECURITY DEFINER
 SET search_path TO 'public', 'pg_temp'
AS $function$

  SELECT id FROM (
    SELECT id FROM organisation WHERE kind IN ('caf', 'cnaf')
    UNION
    SELECT g.organisation_id FROM signature AS g JOIN scheme AS s ON s.id = g.scheme_id
    WHERE s.kind IN ('COG', 'CPOG', 'SDSF', 'SDAVS', 'EDUCATION_CHARTER') AND s.status <> 'draft'
    UNION
    SELECT unnest(access_organisations() || access_cosignatories())
    UNION
    SELECT id FROM organisation WHERE department_code = ANY(access_caf_departments())
    UNION
    SELECT id FROM organisation
    WHERE epci_siren = ANY(access_local_epcis())
      OR commune_insee_code = ANY(access_local_communes())
      OR commune_insee_code IN (SELECT insee_code FROM commune WHERE epci_siren = ANY(access_local_epcis()))
    UNION
    SELECT organisation_id FROM signature WHERE scheme_id IN (SELECT visible_scheme_ids())
    UNION
    SELECT coordinator_organisation_id FROM ctg
    WHERE scheme_id IN (SELECT visible_scheme_ids()) AND coordinator_organisation_id IS NOT NULL
    UNION
    SELECT carrier_id FROM action WHERE id IN (SELECT visible_action_ids())
    UNION
    SELECT organisation_id FROM action_partner WHERE action_id IN (SELECT visible_action_ids())
  ) AS visible
  WHERE NOT access_national()
$function$
--
REVOKE EXECUTE ON FUNCTION visible_organisation_ids() FROM PUBLIC
--
GRANT EXECUTE ON FUNCTION visible_organisation_ids() TO maillage_service
--
CREATE OR REPLACE FUNCTION public.identity_memberships(p_issuer text, p_subject text)
 RETURNS TABLE(organisation_id bigint, role text)
 LANGUAGE sql
 STABLE PARALLEL SAFE SECURITY DEFINER
 SET search_path TO 'public', 'pg_temp'
AS $function$

  SELECT organisation_id, role FROM habilitation
  WHERE issuer = p_issuer AND subject = p_subject
    AND status = 'active' AND (expires_at IS NULL OR expires_at > now())
$function$
--
REVOKE EXECUTE ON FUNCTION identity_memberships(text, text) FROM PUBLIC
--
GRANT EXECUTE ON FUNCTION identity_memberships(text, text) TO maillage_service
--
CREATE OR REPLACE FUNCTION public.editable_actions()
 RETURNS TABLE(id bigint, fully boolean)
 LANGUAGE sql
 STABLE PARALLEL SAFE SECURITY DEFINER
 SET search_path TO 'public', 'pg_temp'
AS $function$

  SELECT id, bool_or(fully) FROM (
    SELECT a.id, true AS fully FROM action AS a JOIN scheme AS s ON s.id = a.ctg_id
    WHERE s.department_code = ANY(access_caf_departments())
    UNION ALL
    SELECT id, true FROM action WHERE ctg_id IN (SELECT local_scheme_ids())
    UNION ALL
    SELECT id, false FROM action WHERE carrier_id = ANY(access_organisations())
  ) AS editable
  WHERE id IN (
    SELECT a.id FROM action AS a JOIN scheme AS s ON s.id = a.ctg_id
    WHERE a.archived_at IS NULL AND s.archived_at IS NULL
  )
  GROUP BY id
$function$
--
REVOKE EXECUTE ON FUNCTION editable_actions() FROM PUBLIC
--
GRANT EXECUTE ON FUNCTION editable_actions() TO maillage_service
--
CREATE OR REPLACE FUNCTION public.editable_scheme_ids()
 RETURNS SETOF bigint
 LANGUAGE sql
 STABLE PARALLEL SAFE SECURITY DEFINER
 SET search_path TO 'public', 'pg_temp'
AS $function$

  SELECT id FROM scheme WHERE archived_at IS NULL AND (((SELECT access_national_editor()) AND (scope = 'national' OR kind = 'CPOG')) OR (department_code IN (SELECT unnest(access_caf_departments())) AND kind <> 'CPOG'))
$function$
--
REVOKE EXECUTE ON FUNCTION editable_scheme_ids() FROM PUBLIC
--
GRANT EXECUTE ON FUNCTION editable_scheme_ids() TO maillage_service
--
CREATE OR REPLACE FUNCTION public.creatable_action_ctg_ids()
 RETURNS SETOF bigint
 LANGUAGE sql
 STABLE PARALLEL SAFE SECURITY DEFINER
 SET search_path TO 'public', 'pg_temp'
AS $function$

  SELECT s.id FROM scheme AS s
  WHERE s.kind = 'CTG' AND s.archived_at IS NULL
    AND (s.department_code = ANY(access_caf_departments()) OR s.id IN (SELECT local_scheme_ids()))
$function$
--
REVOKE EXECUTE ON FUNCTION creatable_action_ctg_ids() FROM PUBLIC
--
GRANT EXECUTE ON FUNCTION creatable_action_ctg_ids() TO maillage_service
--
CREATE OR REPLACE FUNCTION public.caller_memberships(p_key text, p_value text, p_caf text, p_issuer text, p_subject text)
 RETURNS TABLE(id bigint, kind text, department_code text, epci_siren text, commune_insee_code text, role text)
 LANGUAGE plpgsql
 STABLE SECURITY DEFINER
 SET search_path TO 'public', 'pg_temp'
AS $function$
BEGIN
  -- The organisation the token names, by the one key it names it by.
  IF p_key = 'ref' THEN
    RETURN QUERY SELECT o.id, o.kind::text, o.department_code::text, o.epci_siren::text, o.commune_insee_code::text, NULL::text FROM organisation o WHERE o.ref = p_value;
  ELSIF p_key = 'siret' THEN
    RETURN QUERY SELECT o.id, o.kind::text, o.department_code::text, o.epci_siren::text, o.commune_insee_code::text, NULL::text FROM organisation o WHERE o.siret = p_value;
  ELSIF p_key = 'siren' THEN
    RETURN QUERY SELECT o.id, o.kind::text, o.department_code::text, o.epci_siren::text, o.commune_insee_code::text, NULL::text FROM organisation o WHERE o.siren = p_value;
  ELSIF p_key = 'id' AND p_value ~ '^[0-9]{1,18}$' THEN
    RETURN QUERY SELECT o.id, o.kind::text, o.department_code::text, o.epci_siren::text, o.commune_insee_code::text, NULL::text FROM organisation o WHERE o.id = p_value::bigint;
  END IF;
  -- The Caf of the token's department, unless that is the organisation named already.
  IF p_caf IS NOT NULL THEN
    RETURN QUERY SELECT o.id, o.kind::text, o.department_code::text, o.epci_siren::text, o.commune_insee_code::text, NULL::text FROM organisation o
    WHERE o.kind = 'caf' AND o.department_code = p_caf
      AND NOT coalesce(CASE p_key
        WHEN 'ref' THEN o.ref = p_value
        WHEN 'siret' THEN o.siret = p_value
        WHEN 'siren' THEN o.siren = p_value
        WHEN 'id' THEN o.id::text = p_value
      END, false);
  END IF;
  -- The identity's habilitations in force, each with its role.
  RETURN QUERY SELECT o.id, o.kind::text, o.department_code::text, o.epci_siren::text, o.commune_insee_code::text, h.role::text
  FROM habilitation AS h JOIN organisation o ON o.id = h.organisation_id
  WHERE h.issuer = p_issuer AND h.subject = p_subject
    AND h.status = 'active' AND (h.expires_at IS NULL OR h.expires_at > now());
END
$function$
--
REVOKE EXECUTE ON FUNCTION caller_memberships(text, text, text, text, text) FROM PUBLIC
--
GRANT EXECUTE ON FUNCTION caller_memberships(text, text, text, text, text) TO maillage_service
--
CREATE POLICY action_insert ON action FOR INSERT TO maillage_service WITH CHECK ((ctg_id IN ( SELECT creatable_action_ctg_ids() AS creatable_action_ctg_ids)))
--
CREATE POLICY action_update ON action FOR UPDATE TO maillage_service USING ((id IN ( SELECT editable_actions.id
   FROM editable_actions() editable_actions(id, fully)))) WITH CHECK ((id IN ( SELECT editable_actions.id
   FROM editable_actions() editable_actions(id, fully))))
--
CREATE POLICY action_visible ON action FOR SELECT TO maillage_service USING ((( SELECT access_national() AS access_national) OR (id IN ( SELECT visible_action_ids() AS visible_action_ids))))
--
CREATE POLICY action_objective_delete ON action_objective FOR DELETE TO maillage_service USING ((action_id IN ( SELECT editable_actions.id
   FROM editable_actions() editable_actions(id, fully)
  WHERE editable_actions.fully)))
--
CREATE POLICY action_objective_insert ON action_objective FOR INSERT TO maillage_service WITH CHECK ((action_id IN ( SELECT editable_actions.id
   FROM editable_actions() editable_actions(id, fully)
  WHERE editable_actions.fully)))
--
CREATE POLICY action_objective_update ON action_objective FOR UPDATE TO maillage_service USING ((action_id IN ( SELECT editable_actions.id
   FROM editable_actions() editable_actions(id, fully)
  WHERE editable_actions.fully))) WITH CHECK ((action_id IN ( SELECT editable_actions.id
   FROM editable_actions() editable_actions(id, fully)
  WHERE editable_actions.fully)))
--
CREATE POLICY action_objective_visible ON action_objective FOR SELECT TO maillage_service USING ((( SELECT access_national() AS access_national) OR (action_id IN ( SELECT visible_action_ids() AS visible_action_ids))))
--
CREATE POLICY action_partner_delete ON action_partner FOR DELETE TO maillage_service USING ((action_id IN ( SELECT editable_actions.id
   FROM editable_actions() editable_actions(id, fully)
  WHERE editable_actions.fully)))
--
CREATE POLICY action_partner_insert ON action_partner FOR INSERT TO maillage_service WITH CHECK ((action_id IN ( SELECT editable_actions.id
   FROM editable_actions() editable_actions(id, fully)
  WHERE editable_actions.fully)))
--
CREATE POLICY action_partner_update ON action_partner FOR UPDATE TO maillage_service USING ((action_id IN ( SELECT editable_actions.id
   FROM editable_actions() editable_actions(id, fully)
  WHERE editable_actions.fully))) WITH CHECK ((action_id IN ( SELECT editable_actions.id
   FROM editable_actions() editable_actions(id, fully)
  WHERE editable_actions.fully)))
--
CREATE POLICY action_partner_visible ON action_partner FOR SELECT TO maillage_service USING ((( SELECT access_national() AS access_national) OR (action_id IN ( SELECT visible_action_ids() AS visible_action_ids))))
--
CREATE POLICY audit_event_insert ON audit_event FOR INSERT TO maillage_service WITH CHECK (true)
--
CREATE POLICY audit_event_visible ON audit_event FOR SELECT TO maillage_service USING ((( SELECT access_national() AS access_national) OR (((entity)::text = 'action'::text) AND (entity_id IN ( SELECT visible_action_ids() AS visible_action_ids))) OR (((entity)::text = ANY ((ARRAY['scheme'::character varying, 'ctg'::character varying])::text[])) AND (entity_id IN ( SELECT visible_scheme_ids() AS visible_scheme_ids))) OR (((entity)::text = 'organisation'::text) AND (entity_id IN ( SELECT visible_organisation_ids() AS visible_organisation_ids))) OR (((entity)::text = 'habilitation'::text) AND (entity_id IN ( SELECT habilitation.id
   FROM habilitation)))))
--
CREATE POLICY ctg_insert ON ctg FOR INSERT TO maillage_service WITH CHECK ((scheme_id IN ( SELECT editable_scheme_ids() AS editable_scheme_ids)))
--
CREATE POLICY ctg_update ON ctg FOR UPDATE TO maillage_service USING ((scheme_id IN ( SELECT editable_scheme_ids() AS editable_scheme_ids))) WITH CHECK ((scheme_id IN ( SELECT editable_scheme_ids() AS editable_scheme_ids)))
--
CREATE POLICY ctg_visible ON ctg FOR SELECT TO maillage_service USING ((( SELECT access_national() AS access_national) OR (scheme_id IN ( SELECT visible_scheme_ids() AS visible_scheme_ids))))
--
CREATE POLICY governance_body_delete ON governance_body FOR DELETE TO maillage_service USING ((ctg_id IN ( SELECT editable_scheme_ids() AS editable_scheme_ids)))
--
CREATE POLICY governance_body_insert ON governance_body FOR INSERT TO maillage_service WITH CHECK ((ctg_id IN ( SELECT editable_scheme_ids() AS editable_scheme_ids)))
--
CREATE POLICY governance_body_update ON governance_body FOR UPDATE TO maillage_service USING ((ctg_id IN ( SELECT editable_scheme_ids() AS editable_scheme_ids))) WITH CHECK ((ctg_id IN ( SELECT editable_scheme_ids() AS editable_scheme_ids)))
--
CREATE POLICY governance_body_visible ON governance_body FOR SELECT TO maillage_service USING ((( SELECT access_national() AS access_national) OR (ctg_id IN ( SELECT visible_scheme_ids() AS visible_scheme_ids))))
--
CREATE POLICY habilitation_insert ON habilitation FOR INSERT TO maillage_service WITH CHECK (((organisation_id IN ( SELECT unnest(access_administered_organisations()) AS unnest)) OR (organisation_id IN ( SELECT organisation.id
   FROM organisation
  WHERE ((organisation.department_code)::text IN ( SELECT unnest(access_managed_departments()) AS unnest))))))
--
CREATE POLICY habilitation_update ON habilitation FOR UPDATE TO maillage_service USING (((organisation_id IN ( SELECT unnest(access_administered_organisations()) AS unnest)) OR (organisation_id IN ( SELECT organisation.id
   FROM organisation
  WHERE ((organisation.department_code)::text IN ( SELECT unnest(access_managed_departments()) AS unnest)))))) WITH CHECK (((organisation_id IN ( SELECT unnest(access_administered_organisations()) AS unnest)) OR (organisation_id IN ( SELECT organisation.id
   FROM organisation
  WHERE ((organisation.department_code)::text IN ( SELECT unnest(access_managed_departments()) AS unnest))))))
--
CREATE POLICY habilitation_visible ON habilitation FOR SELECT TO maillage_service USING ((( SELECT access_national() AS access_national) OR (organisation_id IN ( SELECT unnest(access_organisations()) AS unnest)) OR (organisation_id IN ( SELECT organisation.id
   FROM organisation
  WHERE ((organisation.department_code)::text IN ( SELECT unnest(access_caf_departments()) AS unnest)))) OR ((issuer = ( SELECT access_issuer() AS access_issuer)) AND ((subject)::text = ( SELECT access_subject() AS access_subject)))))
--
CREATE POLICY idempotency_key_own ON idempotency_key TO maillage_service USING (((issuer = ( SELECT access_issuer() AS access_issuer)) AND ((subject)::text = ( SELECT access_subject() AS access_subject))))
--
CREATE POLICY indicator_insert ON indicator FOR INSERT TO maillage_service WITH CHECK ((action_id IN ( SELECT editable_actions.id
   FROM editable_actions() editable_actions(id, fully)
  WHERE editable_actions.fully)))
--
CREATE POLICY indicator_update ON indicator FOR UPDATE TO maillage_service USING ((action_id IN ( SELECT editable_actions.id
   FROM editable_actions() editable_actions(id, fully)
  WHERE editable_actions.fully))) WITH CHECK ((action_id IN ( SELECT editable_actions.id
   FROM editable_actions() editable_actions(id, fully)
  WHERE editable_actions.fully)))
--
CREATE POLICY indicator_visible ON indicator FOR SELECT TO maillage_service USING ((( SELECT access_national() AS access_national) OR (action_id IN ( SELECT visible_action_ids() AS visible_action_ids))))
--
CREATE POLICY indicator_value_insert ON indicator_value FOR INSERT TO maillage_service WITH CHECK ((indicator_id IN ( SELECT indicator.id
   FROM indicator
  WHERE (indicator.action_id IN ( SELECT editable_actions.id
           FROM editable_actions() editable_actions(id, fully))))))
--
CREATE POLICY indicator_value_update ON indicator_value FOR UPDATE TO maillage_service USING ((indicator_id IN ( SELECT indicator.id
   FROM indicator
  WHERE (indicator.action_id IN ( SELECT editable_actions.id
           FROM editable_actions() editable_actions(id, fully)))))) WITH CHECK ((indicator_id IN ( SELECT indicator.id
   FROM indicator
  WHERE (indicator.action_id IN ( SELECT editable_actions.id
           FROM editable_actions() editable_actions(id, fully))))))
--
CREATE POLICY indicator_value_visible ON indicator_value FOR SELECT TO maillage_service USING ((( SELECT access_national() AS access_national) OR (indicator_id IN ( SELECT indicator.id
   FROM indicator))))
--
CREATE POLICY organisation_insert ON organisation FOR INSERT TO maillage_service WITH CHECK ((( SELECT access_national_editor() AS access_national_editor) OR ((department_code)::text IN ( SELECT unnest(access_caf_departments()) AS unnest))))
--
CREATE POLICY organisation_update ON organisation FOR UPDATE TO maillage_service USING (((archived_at IS NULL) AND (( SELECT access_national_editor() AS access_national_editor) OR ((department_code)::text IN ( SELECT unnest(access_caf_departments()) AS unnest)) OR (id IN ( SELECT unnest(access_administered_organisations()) AS unnest))))) WITH CHECK ((( SELECT access_national_editor() AS access_national_editor) OR ((department_code)::text IN ( SELECT unnest(access_caf_departments()) AS unnest)) OR (id IN ( SELECT unnest(access_administered_organisations()) AS unnest))))
--
CREATE POLICY organisation_visible ON organisation FOR SELECT TO maillage_service USING ((( SELECT access_national() AS access_national) OR (id IN ( SELECT visible_organisation_ids() AS visible_organisation_ids)) OR ((department_code)::text IN ( SELECT unnest(access_caf_departments()) AS unnest))))
--
CREATE POLICY scheme_insert ON scheme FOR INSERT TO maillage_service WITH CHECK (((( SELECT access_national_editor() AS access_national_editor) AND (((scope)::text = 'national'::text) OR ((kind)::text = 'CPOG'::text))) OR (((department_code)::text IN ( SELECT unnest(access_caf_departments()) AS unnest)) AND ((kind)::text <> 'CPOG'::text))))
--
CREATE POLICY scheme_update ON scheme FOR UPDATE TO maillage_service USING (((archived_at IS NULL) AND ((( SELECT access_national_editor() AS access_national_editor) AND (((scope)::text = 'national'::text) OR ((kind)::text = 'CPOG'::text))) OR (((department_code)::text IN ( SELECT unnest(access_caf_departments()) AS unnest)) AND ((kind)::text <> 'CPOG'::text))))) WITH CHECK (((( SELECT access_national_editor() AS access_national_editor) AND (((scope)::text = 'national'::text) OR ((kind)::text = 'CPOG'::text))) OR (((department_code)::text IN ( SELECT unnest(access_caf_departments()) AS unnest)) AND ((kind)::text <> 'CPOG'::text))))
--
CREATE POLICY scheme_visible ON scheme FOR SELECT TO maillage_service USING ((( SELECT access_national() AS access_national) OR (id IN ( SELECT visible_scheme_ids() AS visible_scheme_ids))))
--
CREATE POLICY scheme_commune_delete ON scheme_commune FOR DELETE TO maillage_service USING ((scheme_id IN ( SELECT editable_scheme_ids() AS editable_scheme_ids)))
--
CREATE POLICY scheme_commune_insert ON scheme_commune FOR INSERT TO maillage_service WITH CHECK ((scheme_id IN ( SELECT editable_scheme_ids() AS editable_scheme_ids)))
--
CREATE POLICY scheme_commune_update ON scheme_commune FOR UPDATE TO maillage_service USING ((scheme_id IN ( SELECT editable_scheme_ids() AS editable_scheme_ids))) WITH CHECK ((scheme_id IN ( SELECT editable_scheme_ids() AS editable_scheme_ids)))
--
CREATE POLICY scheme_commune_visible ON scheme_commune FOR SELECT TO maillage_service USING ((( SELECT access_national() AS access_national) OR (scheme_id IN ( SELECT visible_scheme_ids() AS visible_scheme_ids))))
--
CREATE POLICY scheme_objective_delete ON scheme_objective FOR DELETE TO maillage_service USING ((scheme_id IN ( SELECT editable_scheme_ids() AS editable_scheme_ids)))
--
CREATE POLICY scheme_objective_insert ON scheme_objective FOR INSERT TO maillage_service WITH CHECK ((scheme_id IN ( SELECT editable_scheme_ids() AS editable_scheme_ids)))
--
CREATE POLICY scheme_objective_update ON scheme_objective FOR UPDATE TO maillage_service USING ((scheme_id IN ( SELECT editable_scheme_ids() AS editable_scheme_ids))) WITH CHECK ((scheme_id IN ( SELECT editable_scheme_ids() AS editable_scheme_ids)))
--
CREATE POLICY scheme_objective_visible ON scheme_objective FOR SELECT TO maillage_service USING ((( SELECT access_national() AS access_national) OR (scheme_id IN ( SELECT visible_scheme_ids() AS visible_scheme_ids))))
--
CREATE POLICY signature_delete ON signature FOR DELETE TO maillage_service USING ((scheme_id IN ( SELECT editable_scheme_ids() AS editable_scheme_ids)))
--
CREATE POLICY signature_insert ON signature FOR INSERT TO maillage_service WITH CHECK ((scheme_id IN ( SELECT editable_scheme_ids() AS editable_scheme_ids)))
--
CREATE POLICY signature_update ON signature FOR UPDATE TO maillage_service USING ((scheme_id IN ( SELECT editable_scheme_ids() AS editable_scheme_ids))) WITH CHECK ((scheme_id IN ( SELECT editable_scheme_ids() AS editable_scheme_ids)))
--
CREATE POLICY signature_visible ON signature FOR SELECT TO maillage_service USING ((( SELECT access_national() AS access_national) OR (scheme_id IN ( SELECT visible_scheme_ids() AS visible_scheme_ids))))
