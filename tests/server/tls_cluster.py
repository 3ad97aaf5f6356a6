"""A throwaway PostgreSQL cluster that accepts only TLS over TCP, with a certificate authority made for it.

Runs Debian's server binaries as the `postgres` system user (initdb refuses root); tests skip without them.
"""

from __future__ import annotations

import datetime
import os
import shutil
import socket
import subprocess
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import NameOID

BIN = Path("/usr/lib/postgresql/15/bin")


@dataclass(frozen=True)
class TlsCluster:
    port: int
    ca: Path  # the certificate authority that signed the server's certificate
    other_ca: Path  # one that did not


def available() -> str | None:
    """Why the cluster cannot run here, or None."""
    if not (BIN / "initdb").exists():
        return f"no PostgreSQL server binaries in {BIN}"
    if os.geteuid() == 0 and shutil.which("runuser") is None:
        return "running as root without runuser"
    return None


def _authority(name: str) -> tuple[ec.EllipticCurvePrivateKey, x509.Certificate]:
    key = ec.generate_private_key(ec.SECP256R1())
    subject = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, name)])
    now = datetime.datetime.now(datetime.UTC)
    certificate = (
        x509.CertificateBuilder()
        .subject_name(subject)
        .issuer_name(subject)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - datetime.timedelta(minutes=5))
        .not_valid_after(now + datetime.timedelta(days=1))
        .add_extension(x509.BasicConstraints(ca=True, path_length=None), critical=True)
        .sign(key, hashes.SHA256())
    )
    return key, certificate


def _server_certificate(ca_key: ec.EllipticCurvePrivateKey, ca: x509.Certificate) -> tuple[bytes, bytes]:
    key = ec.generate_private_key(ec.SECP256R1())
    now = datetime.datetime.now(datetime.UTC)
    certificate = (
        x509.CertificateBuilder()
        .subject_name(x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "localhost")]))
        .issuer_name(ca.subject)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - datetime.timedelta(minutes=5))
        .not_valid_after(now + datetime.timedelta(days=1))
        .add_extension(x509.SubjectAlternativeName([x509.DNSName("localhost")]), critical=False)
        .sign(ca_key, hashes.SHA256())
    )
    return (
        certificate.public_bytes(serialization.Encoding.PEM),
        key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()),
    )


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


def _as_postgres(*command: str) -> None:
    prefix = ["runuser", "-u", "postgres", "--"] if os.geteuid() == 0 else []
    subprocess.run([*prefix, *command], check=True, capture_output=True, timeout=120)


@contextmanager
def tls_cluster(folder: Path) -> Iterator[TlsCluster]:
    folder.mkdir(parents=True, exist_ok=True)
    folder.chmod(0o755)
    ca_key, ca = _authority("maillage test CA")
    _, other = _authority("another CA")
    certificate, key = _server_certificate(ca_key, ca)
    (folder / "ca.pem").write_bytes(ca.public_bytes(serialization.Encoding.PEM))
    (folder / "other-ca.pem").write_bytes(other.public_bytes(serialization.Encoding.PEM))
    pgdata = folder / "pgdata"
    pgdata.mkdir(mode=0o700)
    if os.geteuid() == 0:
        shutil.chown(pgdata, "postgres", "postgres")
    _as_postgres(str(BIN / "initdb"), "-D", str(pgdata), "-U", "postgres", "--auth=trust", "-E", "UTF8")
    (pgdata / "server.crt").write_bytes(certificate)
    (pgdata / "server.key").write_bytes(key)
    (pgdata / "server.key").chmod(0o600)
    (pgdata / "pg_hba.conf").write_text(
        "local all all trust\nhostssl all all 127.0.0.1/32 trust\nhostnossl all all 127.0.0.1/32 reject\n"
    )
    port = _free_port()
    with (pgdata / "postgresql.conf").open("a") as conf:
        conf.write(f"port = {port}\nlisten_addresses = '127.0.0.1'\nunix_socket_directories = '{pgdata}'\nssl = on\n")
    if os.geteuid() == 0:
        for name in ("server.crt", "server.key", "pg_hba.conf", "postgresql.conf"):
            shutil.chown(pgdata / name, "postgres", "postgres")
    _as_postgres(str(BIN / "pg_ctl"), "-D", str(pgdata), "-l", str(pgdata / "log"), "-w", "start")
    try:
        yield TlsCluster(port, folder / "ca.pem", folder / "other-ca.pem")
    finally:
        _as_postgres(str(BIN / "pg_ctl"), "-D", str(pgdata), "-m", "immediate", "-w", "stop")
