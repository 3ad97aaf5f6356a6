"""Illustrative steering of the demo's CTGs: the Cafs' reporting campaigns and governance meetings.

Campaigns: each Caf asked its CTGs' 2025 values by 31 March 2026 (Loire-Atlantique's campaign is closed, the
Haute-Garonne's still open, with carriers late); the Caf de la Haute-Garonne has opened its 2026 campaign. A
demo value of 2025 answers its department's 2025 campaign.

Meetings: a comité de pilotage of Toulouse Métropole and a comité technique of the Muretain Agglo, with their
attendees (by function, never by name), minutes and decisions, some about actions of the plan.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from sqlalchemy import select, tuple_
from sqlalchemy.ext.asyncio import AsyncConnection

from db.demo import ctgs
from db.demo import organisations as org
from db.demo.lookup import ids_by_ref
from db.demo.records import ILLUSTRATIVE
from db.demo.report import DemoReport
from db.demo.upsert import Row, table_of, upsert
from db.models import GovernanceMeeting, MeetingDecision, ReportingCampaign
from db.models.enums import CampaignStatus


@dataclass(frozen=True)
class Campaign:
    ref: str
    title: str
    department_code: str
    caf: str
    year: int
    due_on: date
    status: CampaignStatus


@dataclass(frozen=True)
class Decision:
    decision: str
    action: int | None = None  # the action's number in the meeting's CTG


@dataclass(frozen=True)
class Meeting:
    ctg: str
    body: int  # the body's position in the CTG
    held_on: date
    attendees: tuple[str, ...]
    minutes: str
    decisions: tuple[Decision, ...]


CAMPAIGNS: tuple[Campaign, ...] = (
    Campaign(
        "demo:campagne:31:2025",
        "Bilans 2025 des actions des CTG de la Haute-Garonne",
        "31",
        org.CAF_31,
        2025,
        date(2026, 3, 31),
        CampaignStatus.OPEN,
    ),
    Campaign(
        "demo:campagne:44:2025",
        "Bilans 2025 des actions des CTG de Loire-Atlantique",
        "44",
        org.CAF_44,
        2025,
        date(2026, 3, 31),
        CampaignStatus.CLOSED,
    ),
    Campaign(
        "demo:campagne:31:2026",
        "Bilans 2026 des actions des CTG de la Haute-Garonne",
        "31",
        org.CAF_31,
        2026,
        date(2027, 3, 31),
        CampaignStatus.OPEN,
    ),
)

MEETINGS: tuple[Meeting, ...] = (
    Meeting(
        ctgs.TOULOUSE_METROPOLE,
        1,
        date(2025, 11, 18),
        (
            "Vice-président délégué aux solidarités — Toulouse Métropole",
            "Directrice de l'action sociale — Caf de la Haute-Garonne",
            "Chef de service enfance — Conseil départemental de la Haute-Garonne",
            "Coordinatrice CTG — Toulouse Métropole",
        ),
        ILLUSTRATIVE + "bilan d'étape du plan d'actions : ouverture de la première section de la crèche de "
        "Blagnac, fréquentation en hausse des points d'accueil numérique.",
        (
            Decision("Poursuite de l'ouverture de la crèche de Blagnac, seconde section en 2026", 1),
            Decision("Extension des points d'accueil numérique à deux nouveaux centres sociaux", 2),
            Decision("Calendrier du diagnostic de renouvellement de la convention arrêté au premier semestre 2026"),
        ),
    ),
    Meeting(
        ctgs.MURETAIN,
        2,
        date(2026, 3, 10),
        (
            "Conseillère territoriale — Caf de la Haute-Garonne",
            "Coordinatrice CTG — Muretain Agglo",
            "Chargé de mission jeunesse — Mairie de Muret",
        ),
        ILLUSTRATIVE + "revue trimestrielle des actions ; remontée des indicateurs 2025 à compléter.",
        (Decision("Relance des porteurs dont les bilans 2025 manquent", None),),
    ),
)


def campaign_of(department_code: str | None, year: int) -> str | None:
    """The demo campaign a value of `year` in that department answers, if any."""
    for campaign in CAMPAIGNS:
        if campaign.department_code == department_code and campaign.year == year:
            return campaign.ref
    return None


async def write_campaigns(
    connection: AsyncConnection, organisations: dict[str, int], report: DemoReport
) -> dict[str, int]:
    rows: list[Row] = [
        {
            "ref": c.ref,
            "title": c.title,
            "department_code": c.department_code,
            "opened_by_id": organisations[c.caf],
            "period_start": date(c.year, 1, 1),
            "period_end": date(c.year, 12, 31),
            "due_on": c.due_on,
            "status": c.status.value,
        }
        for c in CAMPAIGNS
    ]
    await upsert(connection, ReportingCampaign, ("ref",), rows, report)
    return await ids_by_ref(connection, ReportingCampaign, (c.ref for c in CAMPAIGNS))


async def write_meetings(
    connection: AsyncConnection,
    schemes: dict[str, int],
    bodies: dict[tuple[int, int], int],
    actions: dict[str, int],
    report: DemoReport,
) -> None:
    """`bodies` by (CTG id, position), `actions` by ref."""
    rows: list[Row] = [
        {
            "ctg_id": schemes[m.ctg],
            "body_id": bodies[schemes[m.ctg], m.body],
            "held_on": m.held_on,
            "attendees": list(m.attendees),
            "minutes": m.minutes,
        }
        for m in MEETINGS
    ]
    await upsert(connection, GovernanceMeeting, ("body_id", "held_on"), rows, report)
    table = table_of(GovernanceMeeting)
    found = await connection.execute(
        select(table.c.body_id, table.c.held_on, table.c.id).where(
            tuple_(table.c.body_id, table.c.held_on).in_([(row["body_id"], row["held_on"]) for row in rows])
        )
    )
    by_day = {(body_id, held_on): id_ for body_id, held_on, id_ in found}
    meeting_ids = [by_day[row["body_id"], row["held_on"]] for row in rows]
    decisions = [
        {
            "meeting_id": meeting_id,
            "ctg_id": schemes[m.ctg],
            "position": position,
            "decision": d.decision,
            "action_id": actions[f"{m.ctg}:action:{d.action}"] if d.action else None,
        }
        for m, meeting_id in zip(MEETINGS, meeting_ids, strict=True)
        for position, d in enumerate(m.decisions, start=1)
    ]
    await upsert(connection, MeetingDecision, ("meeting_id", "position"), decisions, report)
