"""A throwaway PostgreSQL server for the tests: initdb + pg_ctl in a temp dir on a free loopback port."""
from __future__ import annotations

import glob
import os
import shutil
import signal
import socket
import subprocess
import tempfile
import time
from pathlib import Path


def _pg_bin(name: str) -> str:
    found = shutil.which(name) or next(iter(sorted(glob.glob(f"/usr/lib/postgresql/*/bin/{name}"), reverse=True)), None)
    if not found:
        raise RuntimeError(f"{name} not found: install PostgreSQL (scripts/test does it with apt-get)")
    return found


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _as_postgres(args: list[str]) -> list[str]:
    # initdb refuses to run as root; the image has an unprivileged `postgres` user for it.
    return ["runuser", "-u", "postgres", "--", *args] if os.geteuid() == 0 else args


class PostgresServer:
    """Start with start(), stop with stop(); `url(db)` gives a psycopg SQLAlchemy URL."""

    def __init__(self) -> None:
        self.dir = Path(tempfile.mkdtemp(prefix="dozor-pg-"))
        self.port = _free_port()
        self.data = self.dir / "pg"

    def start(self) -> None:
        if os.geteuid() == 0:
            shutil.chown(self.dir, "postgres", "postgres")
        subprocess.run(
            _as_postgres([_pg_bin("initdb"), "-D", str(self.data), "-A", "trust", "-U", "dozor", "-E", "UTF8"]),
            check=True,
            capture_output=True,
        )
        options = f"-p {self.port} -k {self.dir} -c listen_addresses=127.0.0.1 -c fsync=off -c full_page_writes=off"
        subprocess.run(
            _as_postgres([_pg_bin("pg_ctl"), "-D", str(self.data), "-o", options, "-l", str(self.dir / "log"), "-w", "start"]),
            check=True,
            capture_output=True,
        )
        self._wait_ready()

    def _wait_ready(self, timeout: float = 30) -> None:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            try:
                socket.create_connection(("127.0.0.1", self.port), timeout=1).close()
                return
            except OSError:
                time.sleep(0.1)
        raise RuntimeError(f"PostgreSQL did not start; see {self.dir / 'log'}")

    def url(self, database: str = "postgres") -> str:
        return f"postgresql+psycopg://dozor@127.0.0.1:{self.port}/{database}"

    def stop(self) -> None:
        """Stop at once (connections the tests left open do not hold it up), then remove the data."""
        pid_file = self.data / "postmaster.pid"
        pid = int(pid_file.read_text().split()[0]) if pid_file.exists() else None
        subprocess.run(
            _as_postgres([_pg_bin("pg_ctl"), "-D", str(self.data), "-m", "immediate", "-W", "stop"]), capture_output=True
        )
        if pid is not None:
            _wait_gone(pid, timeout=5)
        shutil.rmtree(self.dir, ignore_errors=True)


def _wait_gone(pid: int, timeout: float) -> None:
    """Wait for a process to exit; kill it if it has not by the timeout."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            os.kill(pid, 0)
        except ProcessLookupError:
            return
        time.sleep(0.05)
    try:
        os.kill(pid, signal.SIGKILL)
    except ProcessLookupError:
        pass
