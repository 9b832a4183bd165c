"""Imports point one way: bot -> feeds -> storage; the matcher and the text index depend on plain data only."""
from __future__ import annotations

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]

FORBIDDEN = {
    "storage": {"feeds", "bot", "telegram"},
    "feeds": {"bot", "telegram"},
    "feeds/matching": {"bot", "telegram", "storage", "sqlalchemy"},
}
# Modules of storage that import nothing at all, so the matcher may share them without reaching the database.
PLAIN = {"storage.search.spellings"}


# Inside bot/: delivery and the shared modules sit below the role packages, which never import each other.
ROLES = {"bot.subscriber", "bot.volunteer", "bot.admin"}
FORBIDDEN_INSIDE_BOT = {
    "bot/delivery": ROLES,
    "bot/texts": ROLES | {"bot.delivery"},
    "bot/subscriber": ROLES - {"bot.subscriber"},
    "bot/volunteer": ROLES - {"bot.volunteer"},
    "bot/admin": {"bot.subscriber"},
}


def imported_modules(path: Path) -> set[str]:
    """Dotted names of the modules a module imports, anywhere in it (functions included)."""
    found = set()
    for node in ast.walk(ast.parse(path.read_text("utf-8"))):
        if isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            found.add(node.module)
    return found


def imported_packages(path: Path) -> set[str]:
    """Top-level packages a module imports, not counting the plain modules."""
    return {name.split(".")[0] for name in imported_modules(path) - PLAIN}


@pytest.mark.parametrize("folder", sorted(FORBIDDEN))
def test_imports_point_one_way(folder):
    offenders = {
        str(path.relative_to(ROOT)): sorted(imported_packages(path) & FORBIDDEN[folder])
        for path in (ROOT / folder).rglob("*.py")
    }
    assert {name: bad for name, bad in offenders.items() if bad} == {}


@pytest.mark.parametrize("module", sorted(PLAIN))
def test_plain_modules_import_only_the_standard_library(module):
    """The module and the packages it sits in: importing it must not pull in the database."""
    parts = module.split(".")
    files = [ROOT.joinpath(*parts[:n], "__init__.py") for n in range(1, len(parts))]
    files.append(ROOT.joinpath(*parts).with_suffix(".py"))
    imports = {str(f.relative_to(ROOT)): imported_packages(f) - {"__future__", "itertools"} for f in files}
    assert {name: found for name, found in imports.items() if found} == {}


@pytest.mark.parametrize("folder", sorted(FORBIDDEN_INSIDE_BOT))
def test_roles_and_delivery_stay_apart(folder):
    def bad(path: Path) -> list[str]:
        prefixes = FORBIDDEN_INSIDE_BOT[folder]
        return sorted(m for m in imported_modules(path) if any(m == p or m.startswith(p + ".") for p in prefixes))

    offenders = {str(path.relative_to(ROOT)): bad(path) for path in (ROOT / folder).rglob("*.py")}
    assert {name: found for name, found in offenders.items() if found} == {}
