"""wrk as the load client of the HTTP contenders: a C event loop that costs far less per request than
httpx, so that the client does not take the cores the servers are measured on.

A generated Lua script rotates over the workload's request bodies (same headers, the bearer token
included), counts as failures the answers that are not 200 or whose body holds a GraphQL `"errors"`
key (a substring search, not JSON parsing), and prints one JSON line with the totals and wrk's
latency percentiles.
"""

from __future__ import annotations

import asyncio
import json
import math
import shutil
import subprocess
from collections.abc import Sequence
from pathlib import Path

from bench.load import REQUEST_TIMEOUT, Measurement

CLIENT = "wrk"

_SCRIPT = """-- Written by bench/wrk.py for one measurement.
local bodies = {%(bodies)s}
local headers = {%(headers)s}
local path = %(path)s
local sent = 0
failures = 0
threads = {}

function setup(thread)
  table.insert(threads, thread)
end

function request()
  sent = sent + 1
  return wrk.format("POST", path, headers, bodies[(sent - 1) %% #bodies + 1])
end

function response(status, _, body)
  if status ~= 200 or string.find(body, '"errors"', 1, true) then
    failures = failures + 1
  end
end

function done(summary, latency, _)
  local failed = 0
  for _, thread in ipairs(threads) do
    failed = failed + thread:get("failures")
  end
  local e = summary.errors
  io.write(string.format(
    '\\n{"requests": %%d, "failed": %%d, "socket_errors": %%d, "duration_us": %%d, "p50_us": %%d, "p99_us": %%d}\\n',
    summary.requests, failed, e.connect + e.read + e.write + e.timeout, summary.duration,
    latency:percentile(50), latency:percentile(99)))
end
"""


class WrkError(Exception):
    """wrk failed or printed no totals; the message carries its output."""


def _lua(text: str) -> str:
    """A Lua string literal; `text` is ASCII (JSON with ensure_ascii, header values)."""
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n") + '"'


def script(bodies: Sequence[str], headers: dict[str, str], path: str = "/graphql") -> str:
    """The Lua script sending POST `path` with each body in turn."""
    return _SCRIPT % {
        "bodies": ", ".join(_lua(body) for body in bodies),
        "headers": ", ".join(f"[{_lua(name)}] = {_lua(value)}" for name, value in headers.items()),
        "path": _lua(path),
    }


def find() -> tuple[str | None, str]:
    """wrk's path, installing Debian's package when missing and possible; otherwise None and why."""
    found = shutil.which("wrk")
    if found:
        return found, ""
    if not shutil.which("apt-get"):
        return None, "wrk is not installed and there is no apt-get to install it"
    try:
        subprocess.run(
            ["apt-get", "install", "-y", "-q", "wrk"],  # noqa: S607 (Debian's own tool, from PATH)
            check=True,
            capture_output=True,
            timeout=300,
        )
    except (OSError, subprocess.SubprocessError) as error:
        return None, f"wrk is not installed and `apt-get install -y wrk` failed ({type(error).__name__})"
    found = shutil.which("wrk")
    return found, "" if found else "wrk is not on PATH after `apt-get install -y wrk`"


async def run(
    wrk: str,
    url: str,
    script_path: Path,
    *,
    connections: int,
    seconds: float,
) -> Measurement:
    """`connections` closed-loop connections for `seconds` (whole seconds, rounded up) with one thread.

    wrk stops at the deadline and counts none of the requests then in flight.
    """
    process = await asyncio.create_subprocess_exec(
        wrk,
        "--threads",
        "1",
        "--connections",
        str(connections),
        "--duration",
        f"{max(1, math.ceil(seconds))}s",
        "--timeout",
        f"{REQUEST_TIMEOUT:.0f}s",
        "--script",
        str(script_path),
        url,
        stdout=asyncio.subprocess.PIPE,
        stderr=asyncio.subprocess.STDOUT,
    )
    output, _ = await process.communicate()
    text = output.decode(errors="replace")
    totals = next((line for line in reversed(text.splitlines()) if line.startswith('{"requests"')), None)
    if process.returncode != 0 or totals is None:
        raise WrkError(f"wrk exited with code {process.returncode}:\n{text.strip()}")
    figures = json.loads(totals)
    failed = figures["failed"] + figures["socket_errors"]
    return Measurement(
        answered=max(0, figures["requests"] - figures["failed"]),
        failed=failed,
        seconds=figures["duration_us"] / 1e6,
        p50=figures["p50_us"] / 1000,
        p99=figures["p99_us"] / 1000,
        client=CLIENT,
    )
