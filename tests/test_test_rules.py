"""The tests keep their own rules (DESIGN.md): shared helpers come from ``helpers``, not from
``conftest`` (which holds only fixtures), and browser tests wait for a condition, never a fixed time."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

TESTS = Path(__file__).resolve().parent
MODULES = sorted(TESTS.glob("test_*.py"))


@pytest.mark.parametrize("path", MODULES, ids=lambda p: p.name)
def test_no_test_imports_helpers_from_conftest(path):
    tree = ast.parse(path.read_text(encoding="utf-8"))
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom):
            assert node.module != "conftest", f"{path.name}:{node.lineno}: import it from helpers"
        elif isinstance(node, ast.Import):
            assert all(alias.name != "conftest" for alias in node.names), f"{path.name}:{node.lineno}"


@pytest.mark.parametrize("path", sorted(TESTS.glob("test_browser_*.py")), ids=lambda p: p.name)
def test_browser_tests_wait_for_conditions_not_for_time(path):
    tree = ast.parse(path.read_text(encoding="utf-8"))
    for node in ast.walk(tree):
        if isinstance(node, ast.Attribute):
            assert node.attr not in {"sleep", "wait_for_timeout"}, \
                f"{path.name}:{node.lineno}: wait for the condition instead of a fixed {node.attr}"
