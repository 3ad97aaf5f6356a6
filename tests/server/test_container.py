"""The Dockerfile, read rather than built (no container engine here): the lines a deployment relies on."""

from __future__ import annotations

import re
import tomllib
from pathlib import Path

import pytest
from packaging.requirements import Requirement
from packaging.utils import canonicalize_name


def _instructions(dockerfile: Path) -> list[tuple[str, str]]:
    """(INSTRUCTION, arguments) in order, continuation lines joined, comments dropped."""
    joined = re.sub(r"\\\n", " ", dockerfile.read_text())
    instructions = []
    for line in joined.splitlines():
        line = line.strip()
        if line and not line.startswith("#"):
            keyword, _, arguments = line.partition(" ")
            instructions.append((keyword.upper(), arguments.strip()))
    return instructions


@pytest.fixture(scope="module")
def runtime(project_root: Path) -> list[tuple[str, str]]:
    """The instructions of the final stage: what the image runs with."""
    instructions = _instructions(project_root / "Dockerfile")
    last_from = max(i for i, (keyword, _) in enumerate(instructions) if keyword == "FROM")
    return instructions[last_from:]


def _all(runtime: list[tuple[str, str]], keyword: str) -> list[str]:
    return [arguments for name, arguments in runtime if name == keyword]


def test_the_image_runs_as_a_user_that_is_not_root(runtime: list[tuple[str, str]]) -> None:
    (user,) = _all(runtime, "USER")
    assert user not in ("root", "0")
    assert any("useradd --system --uid 10001" in run and user in run for run in _all(runtime, "RUN"))


def test_the_image_serves_in_production_with_workers_from_the_environment(runtime: list[tuple[str, str]]) -> None:
    environment = " ".join(_all(runtime, "ENV"))
    assert "MAILLAGE_ENVIRONMENT=production" in environment
    assert "MAILLAGE_WORKERS=1" in environment
    assert "MAILLAGE_DATABASE_URL" not in environment  # never baked in
    (entrypoint,) = _all(runtime, "ENTRYPOINT")
    assert "MAILLAGE_DATABASE_URL:?" in entrypoint  # refused to start without one
    assert 'exec maillage \\"$@\\"' in entrypoint
    assert _all(runtime, "CMD") == ['["serve"]']
    assert _all(runtime, "STOPSIGNAL") == ["SIGTERM"]


def test_the_port_and_health_check_match_the_service(runtime: list[tuple[str, str]]) -> None:
    assert "MAILLAGE_PORT=8000" in " ".join(_all(runtime, "ENV"))
    assert _all(runtime, "EXPOSE") == ["8000"]
    (healthcheck,) = _all(runtime, "HEALTHCHECK")
    # the port the service listens on, whatever MAILLAGE_PORT a deployment gives it
    assert "http://127.0.0.1:%s/healthz' % os.environ.get('MAILLAGE_PORT', '8000')" in healthcheck


def test_the_image_installs_no_embedded_postgresql_nor_dev_tools(project_root: Path) -> None:
    project = tomllib.loads((project_root / "pyproject.toml").read_text())
    runtime = " ".join(project["project"]["dependencies"])
    assert "pgserver" not in runtime
    assert not any(tool in runtime for tool in ("pytest", "ruff", "mypy", "playwright", "pyinstrument"))


def test_every_package_of_the_project_is_copied_into_the_build(project_root: Path) -> None:
    project = tomllib.loads((project_root / "pyproject.toml").read_text())
    packages = {pattern.rstrip("*") for pattern in project["tool"]["setuptools"]["packages"]["find"]["include"]}
    copied = {
        arguments.split()[0] for keyword, arguments in _instructions(project_root / "Dockerfile") if keyword == "COPY"
    }
    assert packages <= copied


def _pins(lock: Path) -> dict[str, str]:
    pins: dict[str, str] = {}
    for line in lock.read_text().splitlines():
        if line and not line.startswith("#"):
            name, separator, version = line.partition("==")
            assert separator, f"{lock.name}: {line!r} is not pinned to one version"
            pins[canonicalize_name(name)] = version
    return pins


def _declared(requirements: list[str]) -> set[str]:
    return {canonicalize_name(Requirement(requirement).name) for requirement in requirements}


def test_the_lock_files_pin_every_declared_dependency_alike(project_root: Path) -> None:
    # given what pyproject.toml declares, and the two lock files `make lock` writes from it
    project = tomllib.loads((project_root / "pyproject.toml").read_text())["project"]
    service, development = _pins(project_root / "requirements.lock"), _pins(project_root / "requirements-dev.lock")
    extras = [requirement for group in project["optional-dependencies"].values() for requirement in group]
    # then the service's lock pins each of its dependencies, the development lock each of them and of the extras,
    # and the two agree on every version they share
    assert _declared(project["dependencies"]) <= service.keys()
    assert _declared(project["dependencies"] + extras) <= development.keys()
    assert service.items() <= development.items()
    assert "pgserver" not in service


def test_make_ci_and_the_image_install_from_the_lock_files(project_root: Path) -> None:
    makefile = (project_root / "Makefile").read_text()
    assert "--constraint requirements-dev.lock -e '.[dev]'" in makefile
    assert "$(STAMP): pyproject.toml requirements-dev.lock" in makefile
    assert "make test" in (project_root / ".ci" / "run").read_text()
    (build,) = [
        arguments
        for keyword, arguments in _instructions(project_root / "Dockerfile")
        if keyword == "RUN" and "pip wheel" in arguments
    ]
    assert "--constraint requirements.lock" in build
