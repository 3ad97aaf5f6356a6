"""Running the `maillage` command as a user would, in a subprocess, and reading its one-line errors."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

MAILLAGE = [sys.executable, "-m", "server.cli"]


def environment(**settings: str) -> dict[str, str]:
    """The caller's environment without its MAILLAGE_ settings, plus `settings`."""
    base = {key: value for key, value in os.environ.items() if not key.startswith("MAILLAGE_")}
    return base | {f"MAILLAGE_{key.upper()}": value for key, value in settings.items()}


def run(args: list[str], cwd: Path, **settings: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [*MAILLAGE, *args], cwd=cwd, env=environment(**settings), capture_output=True, text=True, timeout=120
    )


def assert_one_clear_line(result: subprocess.CompletedProcess[str], pattern: str) -> None:
    """A failure told in one `maillage:` line on stderr, matching `pattern`, with no traceback."""
    assert result.returncode != 0
    assert "Traceback" not in result.stderr
    lines = [line for line in result.stderr.splitlines() if line.startswith("maillage:")]
    assert len(lines) == 1, result.stderr
    assert re.search(pattern, lines[0]), lines[0]
