"""The day it is where the extranet's users are: deadlines and periods are French calendar days."""

from __future__ import annotations

from datetime import date, datetime
from zoneinfo import ZoneInfo

FRANCE = ZoneInfo("Europe/Paris")


def today() -> date:
    return datetime.now(FRANCE).date()
