"""Who may change what: every mutation, for each kind of caller and the caller's relation to the object.

This is the access rules' expected behaviour written out as a table, to read and to test, not to run: nothing
in the service imports it. Each row says what the rules of auth/rules.py (keys, relations, PERMISSIONS) and the
writes' own (db/writes/) give one kind of caller, in one relation to the object, for one mutation:

- ALLOWED, or the refusal's code and the input field it names;
- NOT_FOUND when the caller may not even see the object (a hidden object and a missing one look the same),
  FORBIDDEN when it sees it but may not make the change.

The writes' own rules, besides PERMISSIONS: organisations are created and changed by the Cnaf's managers and
by the Caf of their department, except the Cafs and the Cnaf, which only the Cnaf's managers create and change
(NETWORK_KINDS); an organisation's admins change its contact data (ORGANISATION_CONTACT_FIELDS). Habilitations
are managed by an organisation's admins and the Caf managers of its department, never granted or reinstated to
oneself, never with a role reaching beyond what the granter can. Schemes are changed by their steward; CTGs
are created by the Caf of their department. Facilities are the Caf of their department's, their contact data also
their manager's (FACILITY_CONTACT_FIELDS); a Caf's funding lines, and any line's amount granted, are the Caf's.

tests/schema/test_authorization_matrix.py plays every row over HTTP with real tokens; the README's section
"Who may change what" is this table, rendered by `python -m auth.matrix` (a test keeps the two equal).
"""

from __future__ import annotations

import textwrap
from collections.abc import Mapping
from dataclasses import dataclass, field
from enum import StrEnum


class Outcome(StrEnum):
    ALLOWED = "allowed"
    FORBIDDEN = "FORBIDDEN"
    NOT_FOUND = "NOT_FOUND"


ALLOWED, FORBIDDEN, NOT_FOUND = Outcome.ALLOWED, Outcome.FORBIDDEN, Outcome.NOT_FOUND


@dataclass(frozen=True)
class Mutation:
    """A mutation of the schema; `case` says which change, where the rules answer differently for each."""

    name: str
    object_field: str | None  # the input field naming the object: what a refusal names unless a row says otherwise
    case: str = ""

    @property
    def label(self) -> str:
        return f"{self.name} ({self.case})" if self.case else self.name


@dataclass(frozen=True)
class Refused:
    """A refusal naming another input field than the object's (None: no field, the caller may do it nowhere)."""

    outcome: Outcome
    field: str | None


Cell = Outcome | Refused


@dataclass(frozen=True)
class Row:
    family: str
    persona: str
    relation: str
    mutation: Mutation
    outcome: Outcome
    field: str | None  # the input field a refusal names; None when allowed, or when a refusal names none

    @property
    def key(self) -> tuple[str, str, str, str]:
        return (self.family, self.persona, self.relation, self.mutation.label)


@dataclass(frozen=True)
class Line:
    """What one kind of caller, in one relation to the objects of a family, gets from each of its mutations:
    `default` for every mutation `cells` does not name (None: only those), a cell of None leaving one out."""

    persona: str
    relation: str
    default: Cell | None
    cells: Mapping[Mutation, Cell | None] = field(default_factory=dict)


@dataclass(frozen=True)
class Family:
    title: str
    about: str  # what the relation is to
    mutations: tuple[Mutation, ...]
    lines: tuple[Line, ...]

    def rows(self) -> tuple[Row, ...]:
        rows = []
        for line in self.lines:
            for mutation in self.mutations:
                cell = line.cells.get(mutation, line.default)
                if cell is None:
                    continue
                if isinstance(cell, Refused):
                    outcome, named = cell.outcome, cell.field
                else:
                    outcome, named = cell, None if cell is ALLOWED else mutation.object_field
                rows.append(Row(self.title, line.persona, line.relation, mutation, outcome, named))
        return tuple(rows)


def on(field_name: str | None, outcome: Outcome = FORBIDDEN) -> Refused:
    """A refusal on `field_name` rather than on the field naming the object."""
    return Refused(outcome, field_name)


# The kinds of callers.
ANONYMOUS = "anonymous"
MEMBER = "association member"
ADMIN = "association admin"
EPCI_STAFF = "EPCI staff"
COMMUNE_STAFF = "commune staff"
COSIGNATORY = "cosignatory (departmental council)"
CAF_AGENT = "Caf agent"
CAF_MANAGER = "Caf manager"
CAF_ADMIN = "Caf admin (no Caf role)"
CNAF_ANALYST = "Cnaf analyst"
CNAF_MANAGER = "Cnaf manager"

# --- Actions ---------------------------------------------------------------------------------------------------

CREATE_ACTION = Mutation("createAction", "ctgId")
UPDATE_ACTION = Mutation("updateAction", "id", "description")
UPDATE_ACTION_TITLE = Mutation("updateAction", "id", "title")
SUBMIT_ACTION = Mutation("transitionAction", "id", "draft → submitted")
VALIDATE_ACTION = Mutation("transitionAction", "id", "submitted → validated")
ABANDON_VALIDATED = Mutation("transitionAction", "id", "validated → abandoned")
ARCHIVE_ACTION = Mutation("archiveAction", "id")
ADD_PARTNER = Mutation("addActionPartner", "actionId")
REMOVE_PARTNER = Mutation("removeActionPartner", "actionId")
SET_OBJECTIVES = Mutation("setActionObjectives", "actionId")
ADD_INDICATOR = Mutation("addActionIndicator", "actionId")
REPORT_VALUE = Mutation("reportIndicatorValue", "indicatorId")

# The carrier changes an action's description and progress, moves it along the workflow except validating it
# or giving it up once validated, and reports its indicators' values; nothing else.
_CARRIER: dict[Mutation, Cell | None] = {
    UPDATE_ACTION: ALLOWED,
    UPDATE_ACTION_TITLE: on("title"),
    SUBMIT_ACTION: ALLOWED,
    VALIDATE_ACTION: on("status"),
    ABANDON_VALIDATED: on("status"),
    REPORT_VALUE: ALLOWED,
}
# The CTG's local authority does everything the Caf does but validate.
_LOCAL_AUTHORITY: dict[Mutation, Cell | None] = {VALIDATE_ACTION: on("status")}

ACTIONS = Family(
    "Actions",
    "the action (for createAction, its CTG)",
    (
        CREATE_ACTION,
        UPDATE_ACTION,
        UPDATE_ACTION_TITLE,
        SUBMIT_ACTION,
        VALIDATE_ACTION,
        ABANDON_VALIDATED,
        ARCHIVE_ACTION,
        ADD_PARTNER,
        REMOVE_PARTNER,
        SET_OBJECTIVES,
        ADD_INDICATOR,
        REPORT_VALUE,
    ),
    (
        Line(ANONYMOUS, "any action", NOT_FOUND),
        Line(MEMBER, "its carrier", FORBIDDEN, _CARRIER),
        Line(MEMBER, "a partner of it", FORBIDDEN),
        Line(MEMBER, "unrelated", NOT_FOUND),
        Line(ADMIN, "its carrier", FORBIDDEN, _CARRIER),
        Line(EPCI_STAFF, "its EPCI's CTG", ALLOWED, _LOCAL_AUTHORITY),
        Line(EPCI_STAFF, "a CTG listing one of its member communes", FORBIDDEN),
        Line(COMMUNE_STAFF, "a CTG of its EPCI", FORBIDDEN),
        Line(COMMUNE_STAFF, "a CTG listing the commune", ALLOWED, _LOCAL_AUTHORITY),
        Line(COSIGNATORY, "a CTG it signed", FORBIDDEN),
        Line(CAF_AGENT, "its department", ALLOWED),
        Line(CAF_AGENT, "another department", NOT_FOUND),
        Line(CAF_AGENT, "a partner of it, in another department", FORBIDDEN),
        Line(CAF_MANAGER, "its department", ALLOWED),
        Line(CAF_MANAGER, "another department", NOT_FOUND),
        Line(CNAF_ANALYST, "any action", FORBIDDEN),
        Line(CNAF_MANAGER, "any action", FORBIDDEN),
    ),
)

# --- CTGs ------------------------------------------------------------------------------------------------------

CREATE_CTG = Mutation("createCtg", "parentId")
UPDATE_CTG = Mutation("updateCtg", "id")
SIGN_CTG = Mutation("signCtg", "id")
ACTIVATE_CTG = Mutation("activateCtg", "id")
CLOSE_CTG = Mutation("closeCtg", "id")
SUPERSEDE_CTG = Mutation("supersedeCtg", "id")
ARCHIVE_CTG = Mutation("archiveCtg", "id")
ADD_BODY = Mutation("addGovernanceBody", "ctgId")
UPDATE_BODY = Mutation("updateGovernanceBody", "id")
REMOVE_BODY = Mutation("removeGovernanceBody", "id")
ADD_OBJECTIVE = Mutation("addObjective", "schemeId")
UPDATE_OBJECTIVE = Mutation("updateObjective", "id")
REMOVE_OBJECTIVE = Mutation("removeObjective", "id")
ADD_SIGNATORY = Mutation("addSignatory", "schemeId")
RECORD_SIGNATURE = Mutation("recordSignature", "id")
REMOVE_SIGNATORY = Mutation("removeSignatory", "id")

_SCHEME_PARTS = (ADD_OBJECTIVE, UPDATE_OBJECTIVE, REMOVE_OBJECTIVE, ADD_SIGNATORY, RECORD_SIGNATURE, REMOVE_SIGNATORY)
# A CTG's parent, a departmental scheme, is published: whoever may not create the CTG sees it, and is refused.
_PARENT_SEEN: dict[Mutation, Cell | None] = {CREATE_CTG: on("parentId")}

CTGS = Family(
    "CTGs",
    "the CTG (for createCtg, the departmental scheme it implements)",
    (
        CREATE_CTG,
        UPDATE_CTG,
        SIGN_CTG,
        ACTIVATE_CTG,
        CLOSE_CTG,
        SUPERSEDE_CTG,
        ARCHIVE_CTG,
        ADD_BODY,
        UPDATE_BODY,
        REMOVE_BODY,
        *_SCHEME_PARTS,
    ),
    (
        Line(ANONYMOUS, "any CTG", NOT_FOUND, _PARENT_SEEN),
        Line(MEMBER, "carries an action of it", FORBIDDEN),
        Line(MEMBER, "unrelated", NOT_FOUND, _PARENT_SEEN),
        Line(EPCI_STAFF, "its EPCI's CTG", FORBIDDEN),
        Line(EPCI_STAFF, "a CTG listing one of its member communes", FORBIDDEN),
        Line(COMMUNE_STAFF, "a CTG of its EPCI", FORBIDDEN),
        Line(COMMUNE_STAFF, "a CTG listing the commune", FORBIDDEN),
        Line(COSIGNATORY, "a CTG it signs", FORBIDDEN),
        Line(CAF_AGENT, "its department", ALLOWED),
        Line(CAF_AGENT, "another department", NOT_FOUND, _PARENT_SEEN),
        Line(CAF_MANAGER, "its department", ALLOWED),
        Line(CAF_MANAGER, "another department", NOT_FOUND, _PARENT_SEEN),
        Line(CNAF_ANALYST, "any CTG", FORBIDDEN),
        Line(CNAF_MANAGER, "any CTG", FORBIDDEN),
    ),
)

# --- Schemes ---------------------------------------------------------------------------------------------------

CREATE_SCHEME = Mutation("createScheme", "departmentId")
UPDATE_SCHEME = Mutation("updateScheme", "id")
TRANSITION_SCHEME = Mutation("transitionScheme", "id")
ARCHIVE_SCHEME = Mutation("archiveScheme", "id")

# Creating a scheme is refused on its department, or on its kind when only the Cnaf's managers write that kind.
_NATIONAL_KIND: dict[Mutation, Cell | None] = {CREATE_SCHEME: on("kind")}
_ELSEWHERE: dict[Mutation, Cell | None] = {CREATE_SCHEME: FORBIDDEN}

SCHEMES = Family(
    "Schemes",
    "the scheme (COG, CPOG, SDSF, SDAVS, education charter; for createScheme, the one to create)",
    (CREATE_SCHEME, UPDATE_SCHEME, TRANSITION_SCHEME, ARCHIVE_SCHEME, *_SCHEME_PARTS),
    (
        Line(ANONYMOUS, "a published departmental scheme", FORBIDDEN),
        Line(ANONYMOUS, "a draft departmental scheme", NOT_FOUND, _ELSEWHERE),
        Line(MEMBER, "a published departmental scheme", FORBIDDEN),
        Line(EPCI_STAFF, "a published scheme of its department", FORBIDDEN),
        Line(COSIGNATORY, "a draft it signs", FORBIDDEN),
        Line(CAF_AGENT, "a draft of its department", ALLOWED),
        Line(CAF_AGENT, "a draft of another department", NOT_FOUND, _ELSEWHERE),
        Line(CAF_AGENT, "a published scheme of another department", FORBIDDEN),
        Line(CAF_AGENT, "a published COG", FORBIDDEN, _NATIONAL_KIND),
        Line(CAF_MANAGER, "a draft of its department", ALLOWED),
        Line(CAF_MANAGER, "the CPOG of its department", FORBIDDEN, _NATIONAL_KIND),
        Line(CNAF_ANALYST, "any scheme", FORBIDDEN),
        Line(CNAF_MANAGER, "a draft COG", ALLOWED),
        Line(CNAF_MANAGER, "a draft CPOG", ALLOWED),
        Line(CNAF_MANAGER, "a draft departmental scheme", FORBIDDEN),
    ),
)

# --- Organisations ---------------------------------------------------------------------------------------------

CREATE_ORGANISATION = Mutation("createOrganisation", "departmentId")
UPDATE_CONTACT = Mutation("updateOrganisation", "id", "email")
UPDATE_NAME = Mutation("updateOrganisation", "id", "name")
MOVE_ORGANISATION = Mutation("updateOrganisation", "id", "departmentId")
ARCHIVE_ORGANISATION = Mutation("archiveOrganisation", "id")

# Callers holding no Caf key may create an organisation nowhere: no field is at fault.
_CREATES_NOWHERE = on(None)

ORGANISATIONS = Family(
    "Organisations",
    "the organisation (for createOrganisation, where the new one lies)",
    (CREATE_ORGANISATION, UPDATE_CONTACT, UPDATE_NAME, MOVE_ORGANISATION, ARCHIVE_ORGANISATION),
    (
        Line(ANONYMOUS, "an association", NOT_FOUND, {CREATE_ORGANISATION: _CREATES_NOWHERE}),
        Line(ANONYMOUS, "a Caf", FORBIDDEN, {CREATE_ORGANISATION: on("kind"), MOVE_ORGANISATION: None}),
        Line(MEMBER, "its own organisation", FORBIDDEN, {CREATE_ORGANISATION: _CREATES_NOWHERE}),
        Line(
            ADMIN,
            "its own organisation",
            FORBIDDEN,
            {
                CREATE_ORGANISATION: _CREATES_NOWHERE,
                UPDATE_CONTACT: ALLOWED,
                UPDATE_NAME: on("name"),
                MOVE_ORGANISATION: on("departmentId"),
            },
        ),
        Line(ADMIN, "an organisation it works with", FORBIDDEN, {CREATE_ORGANISATION: None}),
        Line(EPCI_STAFF, "its own organisation", FORBIDDEN, {CREATE_ORGANISATION: _CREATES_NOWHERE}),
        Line(EPCI_STAFF, "an organisation on its territory", FORBIDDEN, {CREATE_ORGANISATION: None}),
        Line(CAF_AGENT, "its department", ALLOWED, {MOVE_ORGANISATION: on("departmentId")}),
        Line(CAF_AGENT, "another department", NOT_FOUND, {CREATE_ORGANISATION: FORBIDDEN}),
        Line(CAF_AGENT, "its own Caf", FORBIDDEN, {CREATE_ORGANISATION: on("kind"), MOVE_ORGANISATION: None}),
        Line(CAF_MANAGER, "its department", ALLOWED, {MOVE_ORGANISATION: on("departmentId")}),
        Line(CNAF_ANALYST, "any organisation", FORBIDDEN, {CREATE_ORGANISATION: _CREATES_NOWHERE}),
        Line(CNAF_MANAGER, "any organisation", ALLOWED),
        # (archiving a Caf is IN_USE for everyone: the Cafs are the network itself)
        Line(CNAF_MANAGER, "a Caf", ALLOWED, {MOVE_ORGANISATION: None, ARCHIVE_ORGANISATION: None}),
    ),
)

# --- Habilitations ---------------------------------------------------------------------------------------------

GRANT = Mutation("grantHabilitation", "organisationId")
SUSPEND = Mutation("suspendHabilitation", "id")
REINSTATE = Mutation("reinstateHabilitation", "id")
REVOKE = Mutation("revokeHabilitation", "id")

# Habilitations show only to those who manage them and to the identity holding them: others, even those who see
# the organisation, find none to change.
_UNSEEN: dict[Mutation, Cell | None] = {GRANT: FORBIDDEN}

HABILITATIONS = Family(
    "Habilitations",
    "the organisation the habilitation is in, or the identity holding it",
    (GRANT, SUSPEND, REINSTATE, REVOKE),
    (
        Line(ANONYMOUS, "any organisation", NOT_FOUND),
        Line(MEMBER, "its own organisation", NOT_FOUND, _UNSEEN),
        Line(MEMBER, "its own habilitation", FORBIDDEN),
        Line(ADMIN, "its own organisation", ALLOWED),
        # Suspending or revoking one's own habilitation is fine; granting or reinstating it is not.
        Line(ADMIN, "its own habilitation", ALLOWED, {GRANT: on("subject"), REINSTATE: FORBIDDEN}),
        Line(ADMIN, "another organisation", NOT_FOUND, _UNSEEN),
        Line(CAF_ADMIN, "a Caf role in its Caf, beyond its own", FORBIDDEN, {GRANT: on("role")}),
        Line(EPCI_STAFF, "its own organisation", NOT_FOUND, _UNSEEN),
        Line(CAF_AGENT, "an organisation of its department", NOT_FOUND, _UNSEEN),
        Line(CAF_MANAGER, "an organisation of its department", ALLOWED),
        Line(CAF_MANAGER, "an organisation of another department", NOT_FOUND),
        Line(CAF_MANAGER, "the Caf of another department", NOT_FOUND, _UNSEEN),
        Line(CNAF_ANALYST, "any organisation", NOT_FOUND, _UNSEEN),
        Line(CNAF_MANAGER, "any organisation", NOT_FOUND, _UNSEEN),
    ),
)

# --- Reporting campaigns ---------------------------------------------------------------------------------------

OPEN_CAMPAIGN = Mutation("openReportingCampaign", "departmentId")
UPDATE_CAMPAIGN = Mutation("updateReportingCampaign", "id")
CLOSE_CAMPAIGN = Mutation("closeReportingCampaign", "id")
REOPEN_CAMPAIGN = Mutation("reopenReportingCampaign", "id")
ARCHIVE_CAMPAIGN = Mutation("archiveReportingCampaign", "id")
REMIND_CARRIERS = Mutation("remindCampaignCarriers", "id")

# Everyone sees a campaign: those who may not run it are FORBIDDEN, never NOT_FOUND.
CAMPAIGNS = Family(
    "Reporting campaigns",
    "the campaign (for openReportingCampaign, the department it would ask)",
    (OPEN_CAMPAIGN, UPDATE_CAMPAIGN, CLOSE_CAMPAIGN, REOPEN_CAMPAIGN, ARCHIVE_CAMPAIGN, REMIND_CARRIERS),
    (
        Line(ANONYMOUS, "a campaign of a department", FORBIDDEN),
        Line(MEMBER, "a campaign asking its actions", FORBIDDEN),
        Line(EPCI_STAFF, "a campaign of its department", FORBIDDEN),
        Line(CAF_AGENT, "its department", ALLOWED),
        Line(CAF_AGENT, "another department", FORBIDDEN),
        Line(CAF_AGENT, "a national campaign", FORBIDDEN),
        Line(CAF_MANAGER, "its department", ALLOWED),
        Line(CNAF_ANALYST, "any campaign", FORBIDDEN),
        Line(CNAF_MANAGER, "a campaign of a department", ALLOWED),
        Line(CNAF_MANAGER, "a national campaign", ALLOWED),
    ),
)

# --- Governance meetings ---------------------------------------------------------------------------------------

RECORD_MEETING = Mutation("recordMeeting", "bodyId")
UPDATE_MEETING = Mutation("updateMeeting", "id")
ARCHIVE_MEETING = Mutation("archiveMeeting", "id")
ADD_DECISION = Mutation("addMeetingDecision", "meetingId")
REMOVE_DECISION = Mutation("removeMeetingDecision", "id")

# The Caf of the CTG's department and its local authority record its meetings; whoever else sees the CTG is
# refused, whoever does not finds neither its bodies nor its meetings.
MEETINGS = Family(
    "Governance meetings",
    "the CTG whose body met (for recordMeeting, the body's)",
    (RECORD_MEETING, UPDATE_MEETING, ARCHIVE_MEETING, ADD_DECISION, REMOVE_DECISION),
    (
        Line(ANONYMOUS, "any CTG", NOT_FOUND),
        Line(MEMBER, "carries an action of it", FORBIDDEN),
        Line(MEMBER, "unrelated", NOT_FOUND),
        Line(EPCI_STAFF, "its EPCI's CTG", ALLOWED),
        Line(EPCI_STAFF, "a CTG listing one of its member communes", FORBIDDEN),
        Line(COMMUNE_STAFF, "a CTG of its EPCI", FORBIDDEN),
        Line(COMMUNE_STAFF, "a CTG listing the commune", ALLOWED),
        Line(COSIGNATORY, "a CTG it signs", FORBIDDEN),
        Line(CAF_AGENT, "its department", ALLOWED),
        Line(CAF_AGENT, "another department", NOT_FOUND),
        Line(CAF_MANAGER, "its department", ALLOWED),
        Line(CAF_MANAGER, "another department", NOT_FOUND),
        Line(CNAF_ANALYST, "any CTG", FORBIDDEN),
        Line(CNAF_MANAGER, "any CTG", FORBIDDEN),
    ),
)

# --- Facilities ------------------------------------------------------------------------------------------------

CREATE_FACILITY = Mutation("createFacility", "communeId")
UPDATE_FACILITY_CONTACT = Mutation("updateFacility", "id", "email")
UPDATE_FACILITY_NAME = Mutation("updateFacility", "id", "name")
ARCHIVE_FACILITY = Mutation("archiveFacility", "id")
LINK_ACTION_FACILITY = Mutation("linkActionFacility", "facilityId")
UNLINK_ACTION_FACILITY = Mutation("unlinkActionFacility", "facilityId")
ADD_FACILITY_LINE = Mutation("addFundingLine", "facilityId", "a facility's")
UPDATE_FACILITY_LINE = Mutation("updateFundingLine", "id", "a facility's")
REMOVE_FACILITY_LINE = Mutation("removeFundingLine", "id", "a facility's")

# Anyone sees an open facility's public data, never its funding lines: those who see no more find no line to change.
_LINES_UNSEEN: dict[Mutation, Cell | None] = {UPDATE_FACILITY_LINE: NOT_FOUND, REMOVE_FACILITY_LINE: NOT_FOUND}
# Its manager changes its contact data, nothing else.
_MANAGER: dict[Mutation, Cell | None] = {UPDATE_FACILITY_CONTACT: ALLOWED, UPDATE_FACILITY_NAME: on("name")}
_CREATES_ELSEWHERE: dict[Mutation, Cell | None] = {CREATE_FACILITY: FORBIDDEN}

FACILITIES = Family(
    "Facilities",
    "the facility (for createFacility, the commune it would lie in)",
    (
        CREATE_FACILITY,
        UPDATE_FACILITY_CONTACT,
        UPDATE_FACILITY_NAME,
        ARCHIVE_FACILITY,
        LINK_ACTION_FACILITY,
        UNLINK_ACTION_FACILITY,
        ADD_FACILITY_LINE,
        UPDATE_FACILITY_LINE,
        REMOVE_FACILITY_LINE,
    ),
    (
        Line(ANONYMOUS, "an open facility", FORBIDDEN, _LINES_UNSEEN),
        Line(ANONYMOUS, "a planned facility", NOT_FOUND, _CREATES_ELSEWHERE),
        Line(MEMBER, "the facility its organisation manages", FORBIDDEN, _MANAGER),
        Line(EPCI_STAFF, "a facility of its territory", FORBIDDEN),
        Line(CAF_AGENT, "its department", ALLOWED),
        Line(CAF_AGENT, "an open facility of another department", FORBIDDEN, _LINES_UNSEEN),
        Line(CAF_AGENT, "a planned facility of another department", NOT_FOUND, _CREATES_ELSEWHERE),
        Line(CAF_MANAGER, "its department", ALLOWED),
        Line(CNAF_ANALYST, "any facility", FORBIDDEN),
        Line(CNAF_MANAGER, "any facility", FORBIDDEN),
    ),
)

# --- Funding lines of actions ----------------------------------------------------------------------------------

ADD_LINE = Mutation("addFundingLine", "actionId", "another funder's")
ADD_CAF_LINE = Mutation("addFundingLine", "actionId", "a Caf's")
UPDATE_LINE = Mutation("updateFundingLine", "id", "another funder's planned amount")
UPDATE_CAF_LINE = Mutation("updateFundingLine", "id", "a Caf's planned amount")
GRANT_LINE = Mutation("updateFundingLine", "id", "amount granted")
REMOVE_LINE = Mutation("removeFundingLine", "id", "another funder's")
REMOVE_CAF_LINE = Mutation("removeFundingLine", "id", "a Caf's")

# Whoever plans an action changes its lines, but the Caf's amounts: a Caf's lines, and any amount granted.
_PLANNER: dict[Mutation, Cell | None] = {
    ADD_CAF_LINE: on("funderId"),
    UPDATE_CAF_LINE: on("planned"),
    GRANT_LINE: on("granted"),
    REMOVE_CAF_LINE: FORBIDDEN,
}

FUNDING_LINES = Family(
    "Funding lines of actions",
    "the action the line funds",
    (ADD_LINE, ADD_CAF_LINE, UPDATE_LINE, UPDATE_CAF_LINE, GRANT_LINE, REMOVE_LINE, REMOVE_CAF_LINE),
    (
        Line(ANONYMOUS, "any action", NOT_FOUND),
        Line(MEMBER, "its carrier", FORBIDDEN),
        Line(MEMBER, "a partner of it", FORBIDDEN),
        Line(MEMBER, "unrelated", NOT_FOUND),
        Line(EPCI_STAFF, "its EPCI's CTG", ALLOWED, _PLANNER),
        Line(EPCI_STAFF, "a CTG listing one of its member communes", FORBIDDEN),
        Line(COMMUNE_STAFF, "a CTG listing the commune", ALLOWED, _PLANNER),
        Line(COSIGNATORY, "a CTG it signed", FORBIDDEN),
        Line(CAF_AGENT, "its department", ALLOWED),
        Line(CAF_AGENT, "another department", NOT_FOUND),
        Line(CAF_AGENT, "a partner of it, in another department", FORBIDDEN),
        Line(CAF_MANAGER, "its department", ALLOWED),
        Line(CNAF_ANALYST, "any action", FORBIDDEN),
        Line(CNAF_MANAGER, "any action", FORBIDDEN),
    ),
)

FAMILIES: tuple[Family, ...] = (
    ACTIONS,
    CTGS,
    SCHEMES,
    ORGANISATIONS,
    HABILITATIONS,
    CAMPAIGNS,
    MEETINGS,
    FACILITIES,
    FUNDING_LINES,
)
ROWS: tuple[Row, ...] = tuple(row for family in FAMILIES for row in family.rows())


# --- The README's section --------------------------------------------------------------------------------------

HEADING = "### Who may change what"


def _cell(row: Row | None) -> str:
    if row is None:
        return "—"
    if row.outcome is ALLOWED or row.field == row.mutation.object_field:
        return row.outcome.value
    return f"{row.outcome.value} ({row.field or 'no field'})"


def _table(family: Family) -> list[str]:
    rows = {(row.persona, row.relation, row.mutation): row for row in family.rows()}
    header = ["caller", "relation", *(mutation.label for mutation in family.mutations)]
    lines = ["| " + " | ".join(header) + " |", "|" + " --- |" * len(header)]
    for line in family.lines:
        cells = [_cell(rows.get((line.persona, line.relation, mutation))) for mutation in family.mutations]
        lines.append("| " + " | ".join([line.persona, line.relation, *cells]) + " |")
    return lines


def markdown() -> str:
    """The README's section "Who may change what", rendered from the rows."""
    intro = (
        "Every mutation, for each kind of caller and its relation to the object, as the access rules say "
        "(`auth/rules.py` and the writes' own rules; the table is `auth/matrix.py`, this section is rendered from it "
        "by `python -m auth.matrix`). `allowed`: the change is made; `NOT_FOUND`: the caller may not even see the "
        "object, which looks missing; `FORBIDDEN`: it sees it but may not make the change. A refusal names the input "
        "field naming the object (`id`, `actionId`...) unless the cell names another. "
        "`tests/schema/test_authorization_matrix.py` plays every row over HTTP with real tokens, "
        f"{len(ROWS)} in all; `—`: not in the matrix."
    )
    parts = [HEADING, "", textwrap.fill(intro, width=110, break_long_words=False, break_on_hyphens=False)]
    for family in FAMILIES:
        parts += ["", f"{family.title}, by the caller's relation to {family.about}:", "", *_table(family)]
    return "\n".join(parts) + "\n"


if __name__ == "__main__":
    print(markdown(), end="")
