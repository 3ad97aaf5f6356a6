"""Per-request DataLoaders for territory edges."""

from __future__ import annotations

from collections.abc import Sequence

from strawberry.dataloader import DataLoader

from db.models import Organisation, Region
from db.repositories import territories
from db.session import RequestDatabase


class TerritoryLoaders:
    def __init__(self, database: RequestDatabase) -> None:
        async def regions(codes: Sequence[str]) -> Sequence[Region | None]:
            return await territories.regions_by_codes(database, codes)

        async def cafs(codes: Sequence[str]) -> Sequence[Organisation | None]:
            return await territories.cafs_by_department(database, codes)

        self.region_by_code = DataLoader(load_fn=regions)
        self.caf_by_department = DataLoader(load_fn=cafs)
