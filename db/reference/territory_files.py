"""Reading and checking the national territory files (Etalab's découpage administratif).

Everything is parsed and checked before the database is touched, so a malformed file costs nothing.
"""

from __future__ import annotations

import gzip
import hashlib
import json
import zlib
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from db.errors import ReferenceDataError

BUNDLED = Path(__file__).parent / "territories"
FILES = ("regions.json.gz", "departements.json.gz", "epci.json.gz", "communes.json.gz")

# INSEE's "type de nom en clair" gives the article a name takes after "de": Caf *de la* Haute-Garonne.
_OF_ARTICLE = {
    0: "de ",
    1: "d'",
    2: "du ",
    3: "de la ",
    4: "des ",
    5: "de l'",
    6: "des ",
    7: "de las ",
    8: "de los ",
}


def of_name(name: str, article_kind: int) -> str:
    """'Haute-Garonne', 3 → "de la Haute-Garonne"; 'Ain', 5 → "de l'Ain"."""
    return _OF_ARTICLE.get(article_kind, "de ") + name


@dataclass
class TerritoryData:
    regions: list[tuple[str, str, str]] = field(default_factory=list)
    departments: list[tuple[str, str, int, str, str]] = field(default_factory=list)
    epcis: list[tuple[str, str, str, str, int]] = field(default_factory=list)
    communes: list[tuple[str, str, str | None, str, str | None, list[str], int | None]] = field(default_factory=list)
    checksum: str = ""

    @property
    def rows(self) -> int:
        return len(self.regions) + len(self.departments) + len(self.epcis) + len(self.communes)


def _load(path: Path) -> list[dict[str, Any]]:
    if not path.is_file():
        raise ReferenceDataError(f"{path} is missing; the territory import needs {', '.join(FILES)} there")
    try:
        with gzip.open(path, "rt", encoding="utf-8") as handle:
            data = json.load(handle)
    except (OSError, EOFError, zlib.error, UnicodeDecodeError, json.JSONDecodeError) as error:
        raise ReferenceDataError(f"{path} is not a gzip-compressed JSON file ({error})") from error
    if not isinstance(data, list) or not all(isinstance(item, dict) for item in data):
        raise ReferenceDataError(f"{path} should hold a JSON array of objects")
    return data


def _field(path: Path, index: int, item: dict[str, Any], name: str, kind: type = str) -> Any:
    value = item.get(name)
    if not isinstance(value, kind) or isinstance(value, bool):
        raise ReferenceDataError(
            f"{path.name}, entry {index}: field {name!r} should be {kind.__name__}, found {value!r}"
        )
    return value


def read_territory_files(source: Path = BUNDLED, on_file: Callable[[str], None] | None = None) -> TerritoryData:
    """Parse and cross-check the four files; raise ReferenceDataError naming the first problem."""
    digest = hashlib.sha256()
    parsed: dict[str, list[dict[str, Any]]] = {}
    for name in FILES:
        path = source / name
        parsed[name] = _load(path)
        digest.update(path.read_bytes())
        if on_file:
            on_file(name)

    data = TerritoryData(checksum=digest.hexdigest())
    path = source / "regions.json.gz"
    for i, item in enumerate(parsed["regions.json.gz"]):
        data.regions.append(
            (_field(path, i, item, "code"), _field(path, i, item, "nom"), _field(path, i, item, "zone"))
        )

    path = source / "departements.json.gz"
    region_codes = {code for code, _, _ in data.regions}
    for i, item in enumerate(parsed["departements.json.gz"]):
        region = _field(path, i, item, "region")
        if region not in region_codes:
            raise ReferenceDataError(f"{path.name}, entry {i}: unknown region {region!r}")
        data.departments.append(
            (
                _field(path, i, item, "code"),
                _field(path, i, item, "nom"),
                _field(path, i, item, "typeLiaison", int),
                region,
                _field(path, i, item, "zone"),
            )
        )

    path = source / "epci.json.gz"
    epci_of: dict[str, str] = {}
    for i, item in enumerate(parsed["epci.json.gz"]):
        siren = _field(path, i, item, "code")
        for member in _field(path, i, item, "membres", list):
            code = member.get("code") if isinstance(member, dict) else None
            if not isinstance(code, str):
                raise ReferenceDataError(f"{path.name}, entry {i}: a member has no commune code")
            if epci_of.setdefault(code, siren) != siren:
                raise ReferenceDataError(f"{path.name}: commune {code} is a member of two EPCIs")
        data.epcis.append(
            (
                siren,
                _field(path, i, item, "nom"),
                _field(path, i, item, "type"),
                _field(path, i, item, "modeFinancement"),
                _field(path, i, item, "populationTotale", int),
            )
        )

    path = source / "communes.json.gz"
    department_codes = {row[0] for row in data.departments}
    for i, item in enumerate(parsed["communes.json.gz"]):
        if item.get("type") != "commune-actuelle":
            continue  # delegated and associated communes, municipal arrondissements
        department = _field(path, i, item, "departement")
        if department not in department_codes:
            raise ReferenceDataError(f"{path.name}, entry {i}: unknown department {department!r}")
        code = _field(path, i, item, "code")
        postcodes = item.get("codesPostaux") or []
        population = item.get("population")
        data.communes.append(
            (
                code,
                _field(path, i, item, "nom"),
                item.get("siren"),
                department,
                epci_of.get(code),
                [str(postcode) for postcode in postcodes],
                population if isinstance(population, int) else None,
            )
        )
    known = {row[0] for row in data.communes}
    strays = sorted(set(epci_of) - known)
    if strays:
        raise ReferenceDataError(f"epci.json.gz lists members that are not current communes: {', '.join(strays[:5])}")
    return data
