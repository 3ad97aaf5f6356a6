"""Demo data: the schemes of the Caf de la Haute-Garonne and Caf de Loire-Atlantique, with illustrative CTGs.

The national and departmental schemes come from the two Cafs' partner pages ('seed:' refs); the
CTGs, their action plans and the associations are illustrative ('demo:' refs) and say so. The
content lives in plain modules (organisations, schemes, ctgs, actions_31, actions_44); `loader`
and `plans` write it. Loading twice changes nothing the second time.
"""

from __future__ import annotations

import time

from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncEngine

from db.demo.loader import write_demo
from db.demo.report import DemoReport

__all__ = ["DemoReport", "load_demo"]


async def load_demo(engine: AsyncEngine) -> DemoReport:
    """Load the demo into a migrated database that holds the territory reference, in one transaction."""
    started = time.perf_counter()
    report = DemoReport()
    async with engine.begin() as connection:
        # One load at a time: a concurrent one waits here, then finds nothing left to do.
        await connection.execute(text("SELECT pg_advisory_xact_lock(hashtext('maillage:demo'))"))
        await write_demo(connection, report)
    report.seconds = time.perf_counter() - started
    return report
