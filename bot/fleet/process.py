"""This process in the fleet: its id and roles in every log line, its heartbeat row, its metrics endpoint.

The heartbeat runs on a thread of its own, so it beats whatever the event loop is doing; a process
whose row has not beaten for the lease is dead to the others, and they take over what it held.
"""
from __future__ import annotations

import logging
import os
import secrets
import socket
import threading
from datetime import timedelta

from sqlalchemy.orm import Session, sessionmaker

from bot import metrics
from bot.settings import Settings
from storage import fleet
from storage.models import utcnow

log = logging.getLogger("dozor.fleet")


def new_process_id() -> str:
    """host-pid-random: unique even when a restarted container gets the same host name and pid."""
    return f"{socket.gethostname()}-{os.getpid()}-{secrets.token_hex(3)}"


class FleetMember:
    """Registers this process, beats every few seconds until stop(), serves metrics if a port is set."""

    def __init__(self, settings: Settings, sessions: sessionmaker[Session], roles: tuple[str, ...]) -> None:
        self.settings = settings
        self.sessions = sessions
        self.roles = roles
        self.id = new_process_id()
        self.host = socket.gethostname()
        self.lease = timedelta(seconds=settings.lease_seconds)
        self.beat_seconds = min(15.0, settings.lease_seconds / 4)
        self.last_beat = None
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._beat_until_stopped, name="dozor-heartbeat", daemon=True)
        self._metrics: metrics.MetricsServer | None = None

    def start(self) -> FleetMember:
        """Appear in the fleet (the first beat is written before this returns), then keep beating."""
        metrics.PROCESS.info({"id": self.id, "roles": ",".join(self.roles)})
        if self.settings.metrics_port is not None:
            self._metrics = metrics.MetricsServer(self.settings.metrics_port, self.sessions, self.health).start()
        self._beat()
        self._thread.start()
        log.info("process %s started: %s", self.id, ", ".join(self.roles))
        return self

    def stop(self) -> None:
        """Stop beating and record a clean stop."""
        self._stop.set()
        if self._thread.is_alive():
            self._thread.join(timeout=10)
        try:
            with self.sessions.begin() as session:
                fleet.stopped(session, self.id, utcnow(), metrics.snapshot())
        except Exception:
            log.exception("could not record this process's stop; the others see it as dead after the lease")
        if self._metrics is not None:
            self._metrics.stop()

    def alive(self, session: Session) -> set[str]:
        """The processes alive now, this one included."""
        return fleet.alive_ids(session, utcnow(), self.lease) | {self.id}

    def health(self) -> tuple[bool, dict]:
        """Healthy while the last heartbeat reached the database within the lease."""
        age = None if self.last_beat is None else (utcnow() - self.last_beat).total_seconds()
        healthy = age is not None and age < self.lease.total_seconds()
        return healthy, {"process": self.id, "roles": list(self.roles), "heartbeat_age_seconds": age}

    def _beat_until_stopped(self) -> None:
        while not self._stop.wait(self.beat_seconds):
            try:
                self._beat()
            except Exception as error:  # the database may be away for a while; keep trying
                log.warning("heartbeat failed: %s", error)

    def _beat(self) -> None:
        now = utcnow()
        with self.sessions.begin() as session:
            fleet.beat(session, self.id, list(self.roles), self.host, os.getpid(), now, metrics.snapshot())
        self.last_beat = now


def name_the_process_in_logs(process_id: str, roles: tuple[str, ...]) -> None:
    """Every log line from now on names this process's roles and id."""
    tag = f"[{','.join(roles)} {process_id}]"
    formatter = logging.Formatter(f"%(asctime)s %(levelname)s {tag} %(name)s: %(message)s")
    for handler in logging.getLogger().handlers:
        handler.setFormatter(formatter)
