"""Every page runs with an empty store and with the demo store, and never raises; no page
reaches the store except through the access layer."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

from compliance.store import Store
from pages import _navigation
from tests.pages import ROOT, app, demo_url, texts

PAGES = tuple(spec.file for spec in _navigation.PAGES)
ADMINISTRATION = {spec.file for spec in _navigation.PAGES if spec.section == "Administration"}
"""Every page in the dashboard's navigation."""


@pytest.mark.parametrize("page", PAGES)
def test_empty_store_says_what_to_upload(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path, page: str
) -> None:
    at = app(monkeypatch, f"sqlite:///{tmp_path / 'empty.sqlite'}", as_of=None, role="admin")
    at.switch_page(page).run()
    assert not at.exception
    assert not at.error
    assert at.title[0].value
    assert "No data imported yet." in texts(at)
    if page in ADMINISTRATION:
        return
    message = at.info[0].value
    if page == "pages/rules.py":
        assert message.startswith("No requirements yet: add one row per mandatory course")
    else:
        assert "Upload" in message and "roster" in message and "requirements" in message


@pytest.mark.parametrize("page", PAGES)
def test_demo_store_shows_every_page(monkeypatch: pytest.MonkeyPatch, page: str) -> None:
    at = app(monkeypatch, demo_url(), role="admin")
    at.switch_page(page).run()
    assert not at.exception
    assert not at.error
    assert at.title[0].value
    assert "Data from the latest imports" in texts(at)
    assert at.warning[0].value.startswith("**Demo data - fictional force**")


def test_unreadable_store_shows_an_error_not_a_traceback(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    broken = tmp_path / "not-a-database.sqlite"
    broken.write_bytes(b"this is not SQLite" * 100)
    at = app(monkeypatch, f"sqlite:///{broken}", as_of=None, role=None)
    assert not at.exception
    assert at.error and "store" in at.error[0].value.casefold()


STORE_METHODS = {
    name for name in dir(Store) if not name.startswith("_") and callable(getattr(Store, name))
}
"""The store's own methods: pages reach the store only through compliance.access/actions."""
DATA_LAYER = {"access", "actions", "importing", "_data", "_records"}


@pytest.mark.parametrize("module", sorted(p.name for p in (ROOT / "pages").glob("*.py")))
def test_pages_reach_the_store_only_through_the_access_layer(module: str) -> None:
    """No page module (the shared ``_`` modules included) imports ``compliance.store`` or
    calls a store method itself: every read and write goes through ``compliance.access``
    and ``compliance.actions`` (which sign-in scopes), so a page cannot show data the
    user's scope does not allow."""
    tree = ast.parse((ROOT / "pages" / module).read_text(encoding="utf-8"))
    modules = {
        node.module for node in ast.walk(tree) if isinstance(node, ast.ImportFrom)
    } | {alias.name for node in ast.walk(tree) if isinstance(node, ast.Import)
         for alias in node.names}
    assert not {m for m in modules if m and m.startswith("compliance.store")}
    names = {node.id for node in ast.walk(tree) if isinstance(node, ast.Name)}
    assert "Store" not in names
    calls = {
        node.func.attr
        for node in ast.walk(tree)
        if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute)
        and not (isinstance(node.func.value, ast.Name) and node.func.value.id in DATA_LAYER)
    }
    assert not calls & (STORE_METHODS - {"open"}), calls & STORE_METHODS


def test_every_page_file_is_in_the_navigation() -> None:
    files = {f"pages/{p.name}" for p in (ROOT / "pages").glob("[!_]*.py")}
    assert files == set(PAGES)


@pytest.mark.parametrize("page", sorted(p.name for p in (ROOT / "pages").glob("[!_]*.py")))
def test_a_page_script_has_no_bare_strings_but_its_docstring(page: str) -> None:
    """Streamlit draws any bare string in a page script as markdown ("magic"): a note
    under a constant would appear on the page."""
    tree = ast.parse((ROOT / "pages" / page).read_text(encoding="utf-8"))
    bare = [
        node.lineno for node in ast.walk(tree)
        if isinstance(node, ast.Expr) and isinstance(node.value, ast.Constant)
        and isinstance(node.value.value, str) and node is not tree.body[0]
        and not _is_function_docstring(tree, node)
    ]
    assert bare == []


def _is_function_docstring(tree: ast.Module, node: ast.Expr) -> bool:
    return any(
        isinstance(parent, (ast.FunctionDef, ast.ClassDef)) and parent.body[0] is node
        for parent in ast.walk(tree)
    )
