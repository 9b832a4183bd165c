"""`dozor history ID`: every version of one item with its times, what changed, and its deletion record."""
from __future__ import annotations

from bot.cli import common
from bot.cli.common import CommandError
from bot.diff import changes_plain, word_changes
from storage import browse
from storage.versions import Version, versions_of


def register(sub) -> None:
    parser = sub.add_parser("history", help="the versions and the deletion record of one item")
    parser.add_argument("id", type=common.record_id)
    parser.set_defaults(handler=handle)


def _iso(moment) -> str:
    return moment.isoformat(timespec="seconds").replace("+00:00", "Z")


def history_lines(item) -> list[str]:
    """The item's history as lines of text, oldest version first."""
    lines = [f"item {item.id}: {item.title}", item.url or "(no link)"]
    previous: Version | None = None
    for number, version in enumerate(versions_of(item), 1):
        lines.append(f"version {number}: first seen {_iso(version.first_seen)}, last seen {_iso(version.last_seen)}")
        if previous is None:
            lines += [f"  title: {version.title}", f"  text: {version.best_text[:300]}"]
        else:
            lines += ["  " + line for line in _changes(previous, version)]
        previous = version
    if item.deleted_at:
        lines.append(f"deleted at {_iso(item.deleted_at)} ({item.deleted_reason}): {item.deleted_evidence or ''}")
    return lines


def _changes(old: Version, new: Version) -> list[str]:
    lines = []
    if old.title != new.title:
        lines.append(f"title: {old.title} -> {new.title}")
    if old.url != new.url:
        lines.append(f"link: {old.url} -> {new.url}")
    diff = changes_plain(word_changes(old.best_text, new.best_text))
    lines += [f"text: {line}" for line in diff.splitlines()]
    return lines or ["(the same words; spacing or boilerplate changed)"]


def handle(args) -> int:
    sessions = common.database(common.settings())
    with sessions() as session:
        item = browse.item_in_full(session, args.id)
        if item is None:
            raise CommandError(f"no item with id {args.id} (see `dozor export`)")
        print("\n".join(history_lines(item)))
    return 0
