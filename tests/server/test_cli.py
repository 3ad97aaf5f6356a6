"""The `maillage` command, run as a user runs it: clear one-line errors, a clean Ctrl-C."""

from __future__ import annotations

import signal
import socket
import subprocess
import time
from pathlib import Path

import httpx
import psutil
import pytest
from sqlalchemy.engine import URL

from tests.conftest import DatabaseFactory
from tests.server.commands import MAILLAGE, assert_one_clear_line, environment, run


@pytest.fixture
def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
    return port


def test_help_explains_every_command(tmp_path: Path) -> None:
    result = run(["--help"], tmp_path)

    assert result.returncode == 0
    for command in ("serve", "db", "import-territories", "load-demo"):
        assert command in result.stdout


def test_a_database_url_that_is_not_a_url_is_one_clear_line(tmp_path: Path) -> None:
    result = run(["db", "upgrade"], tmp_path, database_url="not a url at all")

    assert_one_clear_line(result, r"is not a URL; expected postgresql://")


def test_a_database_that_does_not_answer_is_one_clear_line(tmp_path: Path) -> None:
    result = run(["db", "upgrade"], tmp_path, database_url="postgresql://maillage@127.0.0.1:9/maillage")

    assert_one_clear_line(result, r"cannot connect to PostgreSQL at maillage on 127\.0\.0\.1:9 .*MAILLAGE_DATABASE_URL")


def test_a_setting_of_the_wrong_type_is_one_clear_line(tmp_path: Path) -> None:
    result = run(["db", "upgrade"], tmp_path, port="eighty")

    assert_one_clear_line(result, r"MAILLAGE_PORT is invalid")


def test_a_data_folder_that_is_a_file_is_one_clear_line(tmp_path: Path) -> None:
    (tmp_path / "state").write_text("not a folder")

    result = run(["db", "upgrade"], tmp_path, data_dir=str(tmp_path / "state"))

    assert_one_clear_line(result, r"the data folder .*state is a file")


def test_a_port_in_use_is_one_clear_line(tmp_path: Path) -> None:
    with socket.socket() as busy:
        busy.bind(("127.0.0.1", 0))
        busy.listen()
        port = busy.getsockname()[1]

        result = run(["serve", "--port", str(port)], tmp_path, database_url="postgresql://x@127.0.0.1:9/x")

    assert_one_clear_line(result, rf"port {port} on 127\.0\.0\.1 is already in use")


async def test_malformed_territory_files_are_one_clear_line(tmp_path: Path, new_database: DatabaseFactory) -> None:
    url: URL = await new_database()
    (tmp_path / "regions.json.gz").write_bytes(b"this is not gzip")

    result = run(
        ["import-territories", "--source", str(tmp_path)],
        tmp_path,
        database_url=url.render_as_string(hide_password=False),
    )

    assert_one_clear_line(result, r"regions\.json\.gz is not a gzip-compressed JSON file")


@pytest.mark.embedded
def test_serve_runs_on_the_embedded_database_and_ctrl_c_stops_everything(tmp_path: Path, free_port: int) -> None:
    # given the default set-up: no database URL, a fresh data folder
    data_dir = tmp_path / "state"
    process = subprocess.Popen(
        [*MAILLAGE, "serve", "--demo", "--port", str(free_port)],
        cwd=tmp_path,
        env=environment(data_dir=str(data_dir)),
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    try:
        # when it is ready
        base = f"http://127.0.0.1:{free_port}"
        deadline = time.monotonic() + 120
        ready = None
        while time.monotonic() < deadline and process.poll() is None:
            try:
                ready = httpx.get(f"{base}/readyz", timeout=2)
                break
            except httpx.TransportError:
                time.sleep(0.3)
        assert ready is not None, "the service never answered"
        assert ready.status_code == 200
        answer = httpx.post(f"{base}/graphql", json={"query": '{ department(code: "44") { caf { name } } }'})
        assert answer.json() == {"data": {"department": {"caf": {"name": "Caf de la Loire-Atlantique"}}}}
        postmaster = (data_dir / "pgdata" / "postmaster.pid").read_text().splitlines()[0]

        # then Ctrl-C stops the service and the embedded PostgreSQL with it
        process.send_signal(signal.SIGINT)
        output, _ = process.communicate(timeout=60)
    finally:
        if process.poll() is None:
            process.kill()
    assert process.returncode == 0, output
    assert "Traceback" not in output
    assert not (data_dir / "pgdata" / "postmaster.pid").exists()
    assert _stopped(int(postmaster))


def _stopped(pid: int) -> bool:
    """Gone, or a zombie left to a parent that does not reap (as PID 1 in some containers)."""
    try:
        return bool(psutil.Process(pid).status() == psutil.STATUS_ZOMBIE)
    except psutil.NoSuchProcess:
        return True
