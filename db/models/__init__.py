"""Maillage's tables. Importing this package registers every table on `metadata`."""

from sqlmodel import SQLModel

from db.models.access import AccessGeneration
from db.models.actions import Action, ActionObjective, ActionPartner, Indicator, IndicatorValue
from db.models.audit import AuditEvent
from db.models.ctgs import Ctg, GovernanceBody
from db.models.documents import TrustedDocument
from db.models.facilities import Facility, FacilityAction, FundingLine
from db.models.grants import ActionGrant, FacilityGrant, OrganisationGrant, SchemeGrant
from db.models.habilitations import Habilitation
from db.models.idempotency import IdempotencyKey
from db.models.imports import DatasetImport
from db.models.organisations import Organisation
from db.models.schemes import Scheme, SchemeCommune, SchemeObjective, Signature
from db.models.steering import CampaignCtg, CampaignReminder, GovernanceMeeting, MeetingDecision, ReportingCampaign
from db.models.territories import Commune, Department, Epci, Region

metadata = SQLModel.metadata

__all__ = [
    "AccessGeneration",
    "Action",
    "ActionGrant",
    "ActionObjective",
    "ActionPartner",
    "AuditEvent",
    "CampaignCtg",
    "CampaignReminder",
    "Commune",
    "Ctg",
    "DatasetImport",
    "Department",
    "Epci",
    "Facility",
    "FacilityAction",
    "FacilityGrant",
    "FundingLine",
    "GovernanceBody",
    "GovernanceMeeting",
    "Habilitation",
    "IdempotencyKey",
    "Indicator",
    "IndicatorValue",
    "MeetingDecision",
    "Organisation",
    "OrganisationGrant",
    "Region",
    "ReportingCampaign",
    "Scheme",
    "SchemeCommune",
    "SchemeGrant",
    "SchemeObjective",
    "Signature",
    "TrustedDocument",
    "metadata",
]
