"""The `dozor` command line: one module per command group, each with register(subparsers)."""
from __future__ import annotations

import argparse
import logging
import sys

from sqlalchemy.exc import SQLAlchemyError

from bot.cli import analyses, collect, config, db, export, feeds, history, match, narratives, run, status, stories, timeline
from bot.cli.common import CommandError
from bot.settings import SettingsError
from storage.db import DatabaseUnavailable, failure_reason

COMMANDS = (run, collect, status, feeds, export, history, db, match, analyses, config, stories, timeline, narratives)


class Parser(argparse.ArgumentParser):
    """An argument parser whose errors are one line that points at --help."""

    def error(self, message: str):
        self.exit(2, f"{self.prog}: {message} (see {self.prog} --help)\n")


def build_parser() -> argparse.ArgumentParser:
    """The parser for every command."""
    parser = Parser(prog="dozor", description="News monitoring for OSINT volunteers.")
    parser.add_argument("-v", "--verbose", action="store_true", help="log debug messages")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND", required=True)
    for module in COMMANDS:
        module.register(sub)
    return parser


def check_text(argv: list[str]) -> None:
    """Refuse arguments that were not valid UTF-8: Python keeps their bytes as lone surrogates."""
    for position, argument in enumerate(argv, 1):
        try:
            argument.encode("utf-8")
        except UnicodeEncodeError:
            raw = argument.encode("utf-8", "surrogateescape")[:60]
            raise CommandError(f"argument {position} ({raw!r}) is not valid UTF-8 text", 2) from None


def _log_to_stderr(verbose: bool) -> None:
    logging.basicConfig(
        level=logging.DEBUG if verbose else logging.INFO,
        format="%(asctime)s %(levelname)s %(name)s: %(message)s",
        stream=sys.stderr,
    )
    for noisy in ("httpx", "httpcore", "apscheduler", "alembic"):
        logging.getLogger(noisy).setLevel(logging.WARNING)


def _run(argv: list[str]) -> int:
    check_text(argv)
    args = build_parser().parse_args(argv)
    _log_to_stderr(args.verbose)
    return args.handler(args) or 0


def main(argv: list[str] | None = None) -> int:
    """Run one command; exit codes: 0 ok, 1 failed, 2 bad arguments. Failures are one line, no traceback."""
    try:
        return _run(sys.argv[1:] if argv is None else argv)
    except SettingsError as exc:
        print(f"dozor: {exc}", file=sys.stderr)
        return 2
    except CommandError as exc:
        print(f"dozor: {exc}", file=sys.stderr)
        return exc.exit_code
    except DatabaseUnavailable as exc:
        print(f"dozor: {exc}", file=sys.stderr)
        return 1
    except SQLAlchemyError as exc:
        print(f"dozor: database error: {failure_reason(exc)}", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        return 130
