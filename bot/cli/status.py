"""`dozor status [--json]`: the fleet as the database sees it: processes, due sources, the outbox, counters."""
from __future__ import annotations

import json
from collections import Counter
from datetime import datetime, timedelta

from bot.cli import common
from storage import fleet
from storage.models import utcnow


def register(sub) -> None:
    parser = sub.add_parser("status", help="processes with their roles and heartbeats, due sources, outbox by state")
    parser.add_argument("--json", action="store_true", help="one JSON object instead of text")
    parser.set_defaults(handler=handle)


def handle(args) -> int:
    config = common.settings()
    sessions = common.database(config)
    report = fleet_report(sessions, utcnow(), timedelta(seconds=config.lease_seconds))
    print(json.dumps(report, ensure_ascii=False, indent=2) if args.json else as_text(report))
    return 0


def fleet_report(sessions, now: datetime, lease: timedelta) -> dict:
    """Everything `dozor status` shows, as plain data."""
    with sessions() as session:
        processes = fleet.processes_seen(session, now, lease)
        work = fleet.work_state(session, now)
    totals: Counter = Counter()
    for process in processes:
        totals.update(process.counters)
    return {
        "processes": [
            {
                "id": p.id, "roles": p.roles, "host": p.host, "pid": p.pid, "alive": p.alive,
                "started_at": p.started_at.isoformat(), "heartbeat_at": p.heartbeat_at.isoformat(),
                "heartbeat_age_seconds": round((now - p.heartbeat_at).total_seconds(), 1),
                "stopped_at": p.stopped_at.isoformat() if p.stopped_at else None,
            }
            for p in processes
        ],
        "sources": {
            "active": work.active_sources, "due": work.due_sources, "being_polled": work.leased_sources,
            "oldest_due_seconds": round(work.oldest_due_seconds, 1),
        },
        "outbox": work.outbox,
        "counters": dict(sorted(totals.items())),
    }


def as_text(report: dict) -> str:
    """The report for a terminal."""
    alive = sum(1 for p in report["processes"] if p["alive"])
    lines = [f"processes: {alive} alive, {len(report['processes'])} seen in the last day"]
    for p in report["processes"]:
        state = "alive" if p["alive"] else ("stopped" if p["stopped_at"] else "silent (dead?)")
        lines.append(
            f"  {p['id']}  {','.join(p['roles'])}  on {p['host']} pid {p['pid']}  started {p['started_at'][:19]}  "
            f"last heartbeat {p['heartbeat_age_seconds']:.0f} s ago  {state}"
        )
    sources = report["sources"]
    lines.append(
        f"sources: {sources['active']} active, {sources['due']} due (oldest waiting {sources['oldest_due_seconds']:.0f} s), "
        f"{sources['being_polled']} being polled"
    )
    lines.append("outbox: " + ", ".join(f"{n} {state}" for state, n in report["outbox"].items()))
    lines.append("counters (added up over the processes listed):")
    lines.extend(f"  {name} {value:g}" for name, value in report["counters"].items())
    return "\n".join(lines)
