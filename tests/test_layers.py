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


def imported_packages(path: Path) -> set[str]:
    """Top-level packages a module imports, anywhere in it (functions included)."""
    found = set()
    for node in ast.walk(ast.parse(path.read_text("utf-8"))):
        if isinstance(node, ast.Import):
            found.update(alias.name.split(".")[0] for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            found.add(node.module.split(".")[0])
    return found


@pytest.mark.parametrize("folder", sorted(FORBIDDEN))
def test_imports_point_one_way(folder):
    offenders = {
        str(path.relative_to(ROOT)): sorted(imported_packages(path) & FORBIDDEN[folder])
        for path in (ROOT / folder).rglob("*.py")
    }
    assert {name: bad for name, bad in offenders.items() if bad} == {}
