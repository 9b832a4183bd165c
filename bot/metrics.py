"""One process's counters for operators: served to Prometheus on DOZOR_METRICS_PORT, copied into its heartbeat.

Counters count this process's work since it started; gauges (due sources, the outbox by state) are
read from the database when scraped, so every process reports the same fleet-wide figures for them.
`snapshot()` is what the heartbeat stores, and `dozor status` adds those up over the fleet.
"""
from __future__ import annotations

import json
import logging
import threading
import time
from collections.abc import Callable
from wsgiref.simple_server import make_server

from prometheus_client import CollectorRegistry, Counter, Histogram, Info, ProcessCollector, make_wsgi_app
from prometheus_client.core import GaugeMetricFamily
from prometheus_client.exposition import ThreadingWSGIServer, _SilentHandler
from sqlalchemy.orm import Session, sessionmaker

from storage import fleet
from storage.models import utcnow

log = logging.getLogger(__name__)

REGISTRY = CollectorRegistry()
ProcessCollector(registry=REGISTRY)
PROCESS = Info("dozor_process", "This process: its id and roles", registry=REGISTRY)
FETCHES = Counter("dozor_fetches", "Source polls by result (ok, unchanged, error) and error code", ["result", "code"], registry=REGISTRY)
ITEMS_STORED = Counter("dozor_items_stored", "New items stored", registry=REGISTRY)
ITEMS_MATCHED = Counter("dozor_items_matched", "New items that matched a topic", registry=REGISTRY)
PARSE_SECONDS = Histogram(
    "dozor_parse_seconds", "Parsing and matching one feed body", registry=REGISTRY,
    buckets=(0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30),
)
MESSAGES_SENT = Counter("dozor_messages_sent", "Messages Telegram accepted", registry=REGISTRY)
FLOOD_WAITS = Counter("dozor_telegram_429", "429 Too Many Requests answers from Telegram", registry=REGISTRY)
TAKEOVERS = Counter(
    "dozor_lease_takeovers", "Sources and outbox messages taken over from a process whose lease ran out", ["kind"],
    registry=REGISTRY,
)
HOST_WAITS = Counter(
    "dozor_host_slot_waits", "Times a fetch found its host's slots all held by the fleet and waited", registry=REGISTRY
)
COUNTED = ("_total", "_count", "_sum")  # the samples a heartbeat keeps (not _created, not buckets)
STATE_CACHE_SECONDS = 5.0


def record_tick(summary) -> None:
    """Count what one collector tick did (a feeds.collector.TickSummary)."""
    FETCHES.labels("ok", "").inc(summary.ok)
    FETCHES.labels("unchanged", "").inc(summary.unchanged)
    for code, count in summary.errors.items():
        FETCHES.labels("error", code).inc(count)
    ITEMS_STORED.inc(summary.new_items)
    ITEMS_MATCHED.inc(summary.matched)
    for seconds in summary.parse_seconds:
        PARSE_SECONDS.observe(seconds)
    if summary.taken_over:
        TAKEOVERS.labels("source").inc(summary.taken_over)
    HOST_WAITS.inc(summary.host_waits)


def snapshot() -> dict[str, float]:
    """This process's counters as `name{label="value"}` -> value, for its heartbeat row."""
    values = {}
    for family in REGISTRY.collect():
        if not family.name.startswith("dozor_"):
            continue
        for sample in family.samples:
            if sample.name.endswith(COUNTED):
                values[sample_key(sample.name, sample.labels)] = sample.value
    return values


def sample_key(name: str, labels: dict[str, str]) -> str:
    """A sample's name with its labels, as Prometheus writes it."""
    inner = ",".join(f'{key}="{value}"' for key, value in sorted(labels.items()) if value != "")
    return f"{name}{{{inner}}}" if inner else name


class WorkGauges:
    """Gauges read from the database at scrape time (cached a few seconds): due sources and the outbox."""

    def __init__(self, sessions: sessionmaker[Session]) -> None:
        self.sessions = sessions
        self._cached: tuple[float, fleet.WorkState] | None = None

    def collect(self):
        state = self._state()
        if state is None:
            return
        yield GaugeMetricFamily("dozor_sources_due", "Active sources whose check is due", value=state.due_sources)
        yield GaugeMetricFamily(
            "dozor_oldest_due_source_seconds", "How long the longest-waiting due source has waited",
            value=state.oldest_due_seconds,
        )
        yield GaugeMetricFamily("dozor_sources_leased", "Sources being polled now", value=state.leased_sources)
        outbox = GaugeMetricFamily("dozor_outbox_messages", "Outbox rows by state", labels=["state"])
        for name, count in sorted(state.outbox.items()):
            outbox.add_metric([name], count)
        yield outbox

    def _state(self) -> fleet.WorkState | None:
        if self._cached and time.monotonic() - self._cached[0] < STATE_CACHE_SECONDS:
            return self._cached[1]
        try:
            with self.sessions() as session:
                state = fleet.work_state(session, utcnow())
        except Exception:
            log.exception("reading the work state for metrics failed")
            return None
        self._cached = (time.monotonic(), state)
        return state


class MetricsServer:
    """/metrics (any path) for Prometheus and /healthz for a load balancer, served from a thread."""

    def __init__(self, port: int, sessions: sessionmaker[Session], health: Callable[[], tuple[bool, dict]]) -> None:
        self.health = health
        self._gauges = WorkGauges(sessions)
        REGISTRY.register(self._gauges)
        self._metrics = make_wsgi_app(REGISTRY)
        try:
            self._server = make_server("", port, self._app, ThreadingWSGIServer, handler_class=_SilentHandler)
        except OSError as error:
            REGISTRY.unregister(self._gauges)
            raise MetricsPortBusy(
                f"cannot serve metrics on port {port} ({error.strerror}): give each process on this machine "
                "its own DOZOR_METRICS_PORT, or leave it unset"
            ) from None
        self._thread = threading.Thread(target=self._server.serve_forever, name="dozor-metrics", daemon=True)

    @property
    def port(self) -> int:
        return self._server.server_address[1]

    def start(self) -> MetricsServer:
        self._thread.start()
        log.info("metrics on http://0.0.0.0:%d/metrics, health on /healthz", self.port)
        return self

    def stop(self) -> None:
        self._server.shutdown()
        self._server.server_close()
        REGISTRY.unregister(self._gauges)

    def _app(self, environ, start_response):
        if environ.get("PATH_INFO") != "/healthz":
            return self._metrics(environ, start_response)
        healthy, facts = self.health()
        start_response("200 OK" if healthy else "503 Service Unavailable", [("Content-Type", "application/json")])
        return [json.dumps({"healthy": healthy, **facts}, default=str).encode()]


class MetricsPortBusy(Exception):
    """The metrics port cannot be bound."""
