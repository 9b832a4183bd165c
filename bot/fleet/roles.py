"""The roles a `dozor run` process can take: collector, sender, bot (none named: all of them)."""
from __future__ import annotations

COLLECTOR, SENDER, BOT = "collector", "sender", "bot"
ALL = (COLLECTOR, SENDER, BOT)


class RoleError(ValueError):
    """A role that does not exist, or one these settings cannot run."""


def parse_roles(values: list[str] | None) -> tuple[str, ...]:
    """The roles named (each value may list several, comma-separated), in the canonical order; () for none."""
    named = {part.strip() for value in values or [] for part in value.split(",") if part.strip()}
    unknown = sorted(named - set(ALL))
    if unknown:
        raise RoleError(f"unknown role {', '.join(unknown)}: use collector, sender or bot")
    return tuple(role for role in ALL if role in named)


def roles_to_run(named: tuple[str, ...], has_token: bool) -> tuple[str, ...]:
    """What this process runs: the roles named, else all (only the collector without a bot token)."""
    if not named:
        return ALL if has_token else (COLLECTOR,)
    needs_token = [role for role in named if role != COLLECTOR]
    if needs_token and not has_token:
        raise RoleError(f"the {' and '.join(needs_token)} role needs a bot token: set DOZOR_BOT_TOKEN")
    return named
