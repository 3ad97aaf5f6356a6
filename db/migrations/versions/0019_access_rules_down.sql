DROP TRIGGER funding_line_changes_limited ON funding_line
--
DROP TRIGGER facility_changes_limited ON facility
--
DROP TRIGGER organisation_changes_limited ON organisation
--
DROP TRIGGER action_changes_limited ON action
--
DROP FUNCTION funding_line_changes_limited()
--
DROP FUNCTION facility_changes_limited()
--
DROP FUNCTION organisation_changes_limited()
--
DROP FUNCTION action_changes_limited()
--
DROP POLICY idempotency_key_update ON idempotency_key
--
DROP POLICY idempotency_key_insert ON idempotency_key
--
DROP POLICY idempotency_key_read ON idempotency_key
--
DROP POLICY audit_event_insert ON audit_event
--
DROP POLICY audit_event_read ON audit_event
--
DROP POLICY meeting_decision_delete ON meeting_decision
--
DROP POLICY meeting_decision_update ON meeting_decision
--
DROP POLICY meeting_decision_insert ON meeting_decision
--
DROP POLICY meeting_decision_read ON meeting_decision
--
DROP POLICY governance_meeting_update ON governance_meeting
--
DROP POLICY governance_meeting_insert ON governance_meeting
--
DROP POLICY governance_meeting_read ON governance_meeting
--
DROP POLICY campaign_reminder_insert ON campaign_reminder
--
DROP POLICY campaign_reminder_read ON campaign_reminder
--
DROP POLICY campaign_ctg_delete ON campaign_ctg
--
DROP POLICY campaign_ctg_insert ON campaign_ctg
--
DROP POLICY campaign_ctg_read ON campaign_ctg
--
DROP POLICY reporting_campaign_update ON reporting_campaign
--
DROP POLICY reporting_campaign_insert ON reporting_campaign
--
DROP POLICY reporting_campaign_read ON reporting_campaign
--
DROP POLICY funding_line_delete ON funding_line
--
DROP POLICY funding_line_update ON funding_line
--
DROP POLICY funding_line_insert ON funding_line
--
DROP POLICY funding_line_read ON funding_line
--
DROP POLICY facility_action_delete ON facility_action
--
DROP POLICY facility_action_update ON facility_action
--
DROP POLICY facility_action_insert ON facility_action
--
DROP POLICY facility_action_read ON facility_action
--
DROP POLICY facility_update ON facility
--
DROP POLICY facility_insert ON facility
--
DROP POLICY facility_read ON facility
--
DROP POLICY habilitation_update ON habilitation
--
DROP POLICY habilitation_insert ON habilitation
--
DROP POLICY habilitation_read ON habilitation
--
DROP POLICY organisation_update ON organisation
--
DROP POLICY organisation_insert ON organisation
--
DROP POLICY organisation_read ON organisation
--
DROP POLICY governance_body_delete ON governance_body
--
DROP POLICY governance_body_update ON governance_body
--
DROP POLICY governance_body_insert ON governance_body
--
DROP POLICY governance_body_read ON governance_body
--
DROP POLICY scheme_commune_delete ON scheme_commune
--
DROP POLICY scheme_commune_update ON scheme_commune
--
DROP POLICY scheme_commune_insert ON scheme_commune
--
DROP POLICY scheme_commune_read ON scheme_commune
--
DROP POLICY signature_delete ON signature
--
DROP POLICY signature_update ON signature
--
DROP POLICY signature_insert ON signature
--
DROP POLICY signature_read ON signature
--
DROP POLICY scheme_objective_delete ON scheme_objective
--
DROP POLICY scheme_objective_update ON scheme_objective
--
DROP POLICY scheme_objective_insert ON scheme_objective
--
DROP POLICY scheme_objective_read ON scheme_objective
--
DROP POLICY ctg_update ON ctg
--
DROP POLICY ctg_insert ON ctg
--
DROP POLICY ctg_read ON ctg
--
DROP POLICY scheme_update ON scheme
--
DROP POLICY scheme_insert ON scheme
--
DROP POLICY scheme_read ON scheme
--
DROP POLICY indicator_value_update ON indicator_value
--
DROP POLICY indicator_value_insert ON indicator_value
--
DROP POLICY indicator_value_read ON indicator_value
--
DROP POLICY indicator_update ON indicator
--
DROP POLICY indicator_insert ON indicator
--
DROP POLICY indicator_read ON indicator
--
DROP POLICY action_objective_delete ON action_objective
--
DROP POLICY action_objective_update ON action_objective
--
DROP POLICY action_objective_insert ON action_objective
--
DROP POLICY action_objective_read ON action_objective
--
DROP POLICY action_partner_delete ON action_partner
--
DROP POLICY action_partner_update ON action_partner
--
DROP POLICY action_partner_insert ON action_partner
--
DROP POLICY action_partner_read ON action_partner
--
DROP POLICY action_update ON action
--
DROP POLICY action_insert ON action
--
DROP POLICY action_read ON action
--
DROP TRIGGER commune_grants_update ON commune
--
DROP TRIGGER facility_grants_update ON facility
--
DROP TRIGGER facility_grants_insert ON facility
--
DROP TRIGGER organisation_grants_update ON organisation
--
DROP TRIGGER organisation_grants_insert ON organisation
--
DROP TRIGGER ctg_grants_update ON ctg
--
DROP TRIGGER ctg_grants_insert ON ctg
--
DROP TRIGGER signature_grants_delete ON signature
--
DROP TRIGGER signature_grants_update ON signature
--
DROP TRIGGER signature_grants_insert ON signature
--
DROP TRIGGER scheme_commune_grants_delete ON scheme_commune
--
DROP TRIGGER scheme_commune_grants_insert ON scheme_commune
--
DROP TRIGGER scheme_grants_update ON scheme
--
DROP TRIGGER scheme_grants_insert ON scheme
--
DROP TRIGGER action_partner_grants_delete ON action_partner
--
DROP TRIGGER action_partner_grants_insert ON action_partner
--
DROP TRIGGER action_grants_delete ON action
--
DROP TRIGGER action_grants_update ON action
--
DROP TRIGGER action_grants_insert ON action
--
REVOKE SELECT ON action_grant, scheme_grant, organisation_grant, facility_grant FROM maillage_service
--
DROP VIEW organisation_grant_source
--
DROP VIEW facility_grant_source
--
DROP VIEW scheme_grant_source
--
DROP VIEW action_grant_source
--
DROP VIEW scheme_place
--
DROP FUNCTION commune_grants_changed()
--
DROP FUNCTION facility_grants_changed()
--
DROP FUNCTION organisation_grants_changed()
--
DROP FUNCTION ctg_grants_changed()
--
DROP FUNCTION signature_grants_changed()
--
DROP FUNCTION scheme_commune_grants_changed()
--
DROP FUNCTION scheme_grants_changed()
--
DROP FUNCTION action_partner_grants_changed()
--
DROP FUNCTION action_grants_changed()
--
DROP FUNCTION rebuild_grants()
--
DROP FUNCTION refresh_grants(bigint[], bigint[], bigint[], bigint[], bigint[])
--
DROP FUNCTION confers_within(text[], text[])
--
DROP FUNCTION scheme_steward_key(text, text, text)
--
DROP FUNCTION caller_access(text, text, text, text, text, text[])
--
DROP FUNCTION membership_keys(bigint, text)
--
DROP FUNCTION organisation_archived(bigint)
--
DROP FUNCTION access_national()
--
DROP FUNCTION access_keys()
