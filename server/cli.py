"""The `maillage` command: serve the API, prepare its database, mint development tokens."""

from __future__ import annotations

import argparse
import asyncio
import errno
import logging
import os
import shutil
import signal
import socket
import sys
import tempfile
from collections.abc import Callable, Iterator
from contextlib import ExitStack, contextmanager
from pathlib import Path
from urllib.parse import urlsplit

from pydantic import ValidationError
from rich.console import Console
from sqlalchemy.engine import URL
from sqlalchemy.exc import SQLAlchemyError

from auth.dev_issuer import DevIssuer, DevIssuerError
from db.engine import create_engine, describe
from db.errors import DatabaseSetupError, ReferenceDataError
from db.health import ensure_reachable
from db.migrate import upgrade
from db.reference.territory_files import BUNDLED
from db.reference.territory_import import import_territories
from server.database import resolve_database
from server.progress import TerminalProgress
from server.settings import Settings, get_settings

console = Console(stderr=True, highlight=False)


class ServeError(Exception):
    """The service cannot start; the message says why and what to do."""


class CommandError(Exception):
    """The command cannot do what was asked; the message says why and what to do."""


async def _prepare(url: URL, *, territories: bool, demo: bool, source: Path = BUNDLED, force: bool = False) -> None:
    engine = create_engine(url, pool_size=2, application_name="maillage-cli")
    try:
        await ensure_reachable(engine, describe(url))
        await upgrade(url)
        console.print(f"Database schema up to date ({describe(url)}).")
        if territories:
            with TerminalProgress(console) as progress:
                report = await import_territories(engine, source, force=force, progress=progress)
            if report.skipped:
                console.print(f"Territory reference already up to date ({report.seconds:.1f} s to check).")
            else:
                changed = ", ".join(
                    f"{table} +{report.inserted[table]}/~{report.updated[table]}" for table in report.inserted
                )
                console.print(f"Territory reference imported in {report.seconds:.1f} s ({changed}).")
        if demo:
            from db.demo import load_demo

            demo_report = await load_demo(engine)
            console.print(f"Demo data loaded ({demo_report}).")
    finally:
        await engine.dispose()


async def _check_row_security(url: URL, transaction_pooler: bool) -> None:
    """The role requests will run as must be bound by row-level security (server/app.py checks it again)."""
    from db.access import SERVICE_ROLE
    from db.health import row_security_bypass

    engine = create_engine(
        url,
        pool_size=1,
        application_name="maillage-cli",
        role=SERVICE_ROLE,
        transaction_pooler=transaction_pooler,
    )
    try:
        bypass = await row_security_bypass(engine, local_role=SERVICE_ROLE if transaction_pooler else None)
    except (SQLAlchemyError, OSError):
        return  # not reachable yet: the service starts, not ready, and /readyz checks again
    finally:
        await engine.dispose()
    if bypass is not None:
        raise ServeError(f"refusing to serve: {bypass}")


def _bind(host: str, port: int, setting: str = "MAILLAGE_PORT") -> socket.socket:
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    sock = socket.socket(family, socket.SOCK_STREAM)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    try:
        sock.bind((host, port))
    except OSError as error:
        sock.close()
        if error.errno == errno.EADDRINUSE:
            raise ServeError(f"port {port} on {host} is already in use; stop what uses it or set {setting}") from error
        raise ServeError(f"cannot listen on {host}:{port} ({error.strerror}); check MAILLAGE_HOST") from error
    sock.set_inheritable(True)
    return sock


def _serve(settings: Settings, args: argparse.Namespace) -> None:
    from server.app import create_app
    from server.lifecycle import Lifecycle
    from server.observability.logs import configure_logging
    from server.observability.metrics import multiprocess_registry
    from server.observability.metrics_port import MetricsServer
    from server.serving import DrainingServer, DrainingSupervisor, settle_garbage_collection, uvicorn_config

    if settings.workers > 1 and not settings.database_url:
        raise ServeError(
            f"MAILLAGE_WORKERS={settings.workers} needs MAILLAGE_DATABASE_URL: workers cannot share the embedded "
            "PostgreSQL; set it, or serve with one worker"
        )
    host, port = args.host or settings.host, args.port if args.port is not None else settings.port
    sock = _bind(host, port)  # before anything slow: a busy port fails fast
    metrics_sock = (
        _bind(host, settings.metrics_port, "MAILLAGE_METRICS_PORT")
        if settings.metrics and settings.metrics_port is not None
        else None
    )
    if metrics_sock is not None:
        metrics_sock.set_inheritable(False)  # served by this process, never by a worker
    configure_logging(settings.log_level, settings.log_format)
    # SIGTERM stops like Ctrl-C, so that the embedded PostgreSQL is stopped too.
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(0))
    with resolve_database(settings) as url:
        if not args.no_prepare:
            asyncio.run(_prepare(url, territories=True, demo=args.demo))
        asyncio.run(_check_row_security(url, settings.database_pooler == "transaction"))
        actual_port = sock.getsockname()[1]
        console.print(f"Maillage serves GraphQL at http://{host}:{actual_port}/graphql (Ctrl-C stops it).")
        if settings.trusts_dev_issuer and _port_of(settings.public_url) != actual_port:
            # The service fetches the dev issuer's keys from its public URL: a wrong one refuses every token.
            console.print(
                f"Note: MAILLAGE_PUBLIC_URL is {settings.public_url}, not on port {actual_port}; "
                "dev tokens will be refused until it names where this service listens.",
                soft_wrap=True,
            )
        try:
            with ExitStack() as stack:
                if settings.workers > 1:
                    # Each worker builds its own application (and pool) from the settings; their metrics go to
                    # one folder of this run's own, summed when scraped.
                    metrics_dir = stack.enter_context(_workers_metrics_folder()) if settings.metrics else None
                    if metrics_sock is not None and metrics_dir is not None:
                        stack.enter_context(MetricsServer(metrics_sock, multiprocess_registry(metrics_dir)))
                    config = uvicorn_config(
                        "server.serving:worker_app", settings, factory=True, workers=settings.workers
                    )
                    DrainingSupervisor(config, [sock], settings.shutdown_drain_seconds).run()
                else:
                    lifecycle = Lifecycle()
                    app = create_app(settings, url, lifecycle=lifecycle)
                    if metrics_sock is not None:
                        stack.enter_context(MetricsServer(metrics_sock, app.state.metrics.exposed))
                    config = uvicorn_config(app, settings)
                    settle_garbage_collection()
                    server = DrainingServer(config, lifecycle, settings.shutdown_drain_seconds)
                    server.run(sockets=[sock])  # on uvloop, when installed (uvicorn's loop="auto")
        except KeyboardInterrupt:
            pass  # uvicorn re-raises the Ctrl-C it handled; the server has already stopped


@contextmanager
def _workers_metrics_folder() -> Iterator[Path]:
    """An empty folder for the workers' metrics, named to them by prometheus_client's own variable (read by the
    library as each worker starts, before any metric exists); removed when serving ends, so that every run
    starts from nothing."""
    folder = Path(tempfile.mkdtemp(prefix="maillage-metrics-"))
    os.environ["PROMETHEUS_MULTIPROC_DIR"] = str(folder)
    try:
        yield folder
    finally:
        os.environ.pop("PROMETHEUS_MULTIPROC_DIR", None)
        shutil.rmtree(folder, ignore_errors=True)


def _port_of(url: str) -> int | None:
    parts = urlsplit(url)
    return parts.port or {"http": 80, "https": 443}.get(parts.scheme)


def _dev_token(settings: Settings, args: argparse.Namespace) -> None:
    from auth.dev_personas import BY_NAME, PERSONAS

    if args.list:
        width = max(len(listed.name) for listed in PERSONAS)
        for listed in PERSONAS:
            print(f"{listed.name:<{width}}  {listed.description}")
        return
    known = ", ".join(BY_NAME)
    if not settings.dev_issuer:
        raise CommandError("the development issuer is not enabled; set MAILLAGE_DEV_ISSUER=true (never in production)")
    if args.persona is None:
        raise CommandError(f"name a persona: {known} (or --list)")
    persona = BY_NAME.get(args.persona)
    if persona is None:
        raise CommandError(f"unknown persona {args.persona!r}; known personas: {known}")
    issuer = DevIssuer.open(settings.data_dir, issuer=settings.dev_issuer_url, audience=settings.oidc_audience)
    if not settings.trusts_dev_issuer:
        console.print(f"Note: MAILLAGE_OIDC_ISSUER names {settings.oidc_issuer}; the service will refuse this token.")
    # The token alone on stdout, so that TOKEN=$(maillage dev-token NAME) works.
    print(issuer.access_token(persona))


def _db_upgrade(settings: Settings, args: argparse.Namespace) -> None:
    with resolve_database(settings) as url:
        asyncio.run(_prepare(url, territories=False, demo=False))


def _import_territories(settings: Settings, args: argparse.Namespace) -> None:
    with resolve_database(settings) as url:
        asyncio.run(_prepare(url, territories=True, demo=False, source=args.source, force=args.force))


def _load_demo(settings: Settings, args: argparse.Namespace) -> None:
    with resolve_database(settings) as url:
        asyncio.run(_prepare(url, territories=True, demo=True))


def _load_documents(settings: Settings, args: argparse.Namespace) -> None:
    from db.documents import register_documents
    from schema import schema
    from server.manifest import ManifestError, read_manifest

    try:
        documents = read_manifest(args.manifest, schema._schema)
    except ManifestError as error:
        raise CommandError(str(error)) from error

    async def register(url: URL) -> None:
        await _prepare(url, territories=False, demo=False)
        # As the owner (the URL's user), not the service role, which may only read the table.
        engine = create_engine(url, pool_size=1, application_name="maillage-cli")
        try:
            report = await register_documents(engine, documents, args.client or args.manifest.name)
        finally:
            await engine.dispose()
        console.print(f"Trusted documents: {report.registered} registered, {report.already} already registered.")

    with resolve_database(settings) as url:
        asyncio.run(register(url))


def _export_schema(settings: Settings, args: argparse.Namespace) -> None:
    from schema import schema

    sdl = schema.as_str() + "\n"
    if args.output == "-":
        sys.stdout.write(sdl)
    else:
        Path(args.output).write_text(sdl, encoding="utf-8")
        console.print(f"GraphQL schema written to {args.output}.")


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="maillage",
        description="Maillage, the GraphQL backend of the Caf partner extranet. Settings come from "
        "MAILLAGE_* environment variables; without MAILLAGE_DATABASE_URL an embedded PostgreSQL "
        "is started in MAILLAGE_DATA_DIR (default ./.maillage).",
    )
    commands = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    serve = commands.add_parser(
        "serve",
        help="migrate, import the territory reference, then serve /graphql",
        description="Apply migrations, import the territory reference if it changed, optionally load "
        "the demo data, then serve GraphQL (and GraphiQL) until Ctrl-C.",
    )
    serve.add_argument("--demo", action="store_true", help="also load the demo data (idempotent)")
    serve.add_argument("--host", help="address to listen on (default: MAILLAGE_HOST, 127.0.0.1)")
    serve.add_argument("--port", type=int, help="port to listen on (default: MAILLAGE_PORT, 8000)")
    serve.add_argument("--no-prepare", action="store_true", help="serve without migrating or importing")
    serve.set_defaults(run=_serve)

    database = commands.add_parser("db", help="database schema commands")
    database_commands = database.add_subparsers(dest="db_command", required=True, metavar="COMMAND")
    database_commands.add_parser(
        "upgrade", help="apply every pending migration", description="Apply every pending Alembic migration."
    ).set_defaults(run=_db_upgrade)

    territories = commands.add_parser(
        "import-territories",
        help="import the national territory reference and the Caf network",
        description="Import regions, departments, EPCIs, communes (2026, INSEE and DGCL via Etalab) and "
        "one Caf per department, in one transaction. Unchanged files are skipped; re-importing "
        "updates rows and never duplicates them.",
    )
    territories.add_argument("--source", type=Path, default=BUNDLED, help="folder holding the four *.json.gz files")
    territories.add_argument("--force", action="store_true", help="import even if these files were imported last")
    territories.set_defaults(run=_import_territories)

    commands.add_parser(
        "load-demo",
        help="load the demo data built from the Caf 31 and Caf 44 documents",
        description="Load the demo schemes, CTGs, actions and organisations (idempotent: a second run "
        "changes nothing). Imports the territory reference first if needed.",
    ).set_defaults(run=_load_demo)

    documents = commands.add_parser("documents", help="trusted documents: the operations registered by hash")
    documents_commands = documents.add_subparsers(dest="documents_command", required=True, metavar="COMMAND")
    load = documents_commands.add_parser(
        "load",
        help="register the operations of a persisted-documents manifest",
        description="Register, by SHA-256, every operation of MANIFEST: a JSON object {hash: document} "
        "(GraphQL Codegen's persisted documents) or an Apollo persisted query manifest. Each hash is checked "
        "against its document, and each document against the schema; one bad entry refuses the whole file. "
        "Registering again is harmless.",
    )
    load.add_argument("manifest", type=Path, metavar="MANIFEST", help="the manifest file (JSON)")
    load.add_argument("--client", help="the client the documents belong to (default: the manifest's file name)")
    load.set_defaults(run=_load_documents)

    export = commands.add_parser(
        "export-schema",
        help="write the GraphQL schema (SDL) to schema.graphql",
        description="Write the GraphQL schema in SDL; the committed schema.graphql must match the code.",
    )
    export.add_argument("--output", default="schema.graphql", help="file to write, or - for standard output")
    export.set_defaults(run=_export_schema)

    dev_token = commands.add_parser(
        "dev-token",
        help="print an access token from the development issuer (MAILLAGE_DEV_ISSUER=true)",
        description="Print, alone on standard output, a one-hour access token signed by the development "
        "issuer for one of its personas: TOKEN=$(maillage dev-token caf-31-agent). Needs "
        "MAILLAGE_DEV_ISSUER=true and the same MAILLAGE_DATA_DIR as the server, which keeps the key.",
    )
    dev_token.add_argument("persona", nargs="?", metavar="PERSONA", help="who the token is for (see --list)")
    dev_token.add_argument("--list", action="store_true", help="list the personas and exit")
    dev_token.set_defaults(run=_dev_token)
    return parser


def _settings_error(error: ValidationError) -> tuple[str, int]:
    """One line for the first setting refused, and the exit code: 1 for a refused combination, 2 otherwise."""
    first = error.errors()[0]
    # A validator's own message, without pydantic's "Value error, " prefix.
    cause = first.get("ctx", {}).get("error")
    reason = str(cause) if cause is not None else first["msg"]
    if not first["loc"]:
        return reason, 1
    name = "MAILLAGE_" + "_".join(str(part) for part in first["loc"]).upper()
    return f"{name} is invalid: {reason}", 2


def main(argv: list[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    logging.basicConfig(level=logging.WARNING, format="%(levelname)s %(name)s: %(message)s")
    try:
        settings = get_settings()
    except ValidationError as error:
        message, code = _settings_error(error)
        print(f"maillage: {message}", file=sys.stderr)
        return code
    run: Callable[[Settings, argparse.Namespace], None] = args.run
    try:
        run(settings, args)
    except (DatabaseSetupError, ReferenceDataError, ServeError, CommandError, DevIssuerError) as error:
        # One line, unwrapped, no traceback: the message says what is wrong and what to do.
        print(f"maillage: {error}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
