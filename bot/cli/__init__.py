"""The `dozor` command line: one module per command group, each with register(subparsers)."""
from __future__ import annotations

import argparse
import logging
import sys

from bot.cli import analyses, collect, config, db, export, feeds, match, run
from bot.cli.common import CommandError
from bot.settings import SettingsError

COMMANDS = (run, collect, feeds, export, db, match, analyses, config)


def build_parser() -> argparse.ArgumentParser:
    """The parser for every command."""
    parser = argparse.ArgumentParser(prog="dozor", description="News monitoring for OSINT volunteers.")
    parser.add_argument("-v", "--verbose", action="store_true", help="log debug messages")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND", required=True)
    for module in COMMANDS:
        module.register(sub)
    return parser


def main(argv: list[str] | None = None) -> int:
    """Run one command; exit codes: 0 ok, 1 failed, 2 bad arguments."""
    args = build_parser().parse_args(argv)
    logging.basicConfig(
        level=logging.DEBUG if args.verbose else logging.INFO,
        format="%(asctime)s %(levelname)s %(name)s: %(message)s",
        stream=sys.stderr,
    )
    for noisy in ("httpx", "httpcore", "apscheduler", "alembic"):
        logging.getLogger(noisy).setLevel(logging.WARNING)
    try:
        return args.handler(args) or 0
    except SettingsError as exc:
        print(f"dozor: {exc}", file=sys.stderr)
        return 2
    except CommandError as exc:
        print(f"dozor: {exc}", file=sys.stderr)
        return exc.exit_code
    except KeyboardInterrupt:
        return 130

