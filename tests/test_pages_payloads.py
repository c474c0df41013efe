"""Hostile text from files is shown as literal text on every page, never as formatting.

A store whose names, units, roles, managers, course titles and file names carry a payload
set (markdown image and link, a ``javascript:`` link, bold, LaTeX, Streamlit's colour and
icon syntax, ``<a href>``, ``<img onerror>``, and one name of 100,000 characters), then
every page for an admin: wherever a payload shows, the markdown behind it is its escaped
form, and no chart label or hover holds a live tag.
"""

from __future__ import annotations

import json
from pathlib import Path

import pandas as pd
import pytest
from streamlit.testing.v1 import AppTest

from pages import _navigation
from pages._format import literal
from tests.conftest import completion_frame, loaded, roster_frame
from tests.filemaker import csv_bytes
from tests.pages import app, plain

PAYLOADS = (
    "![b](http://beacon.test/x.png)",
    "[click](javascript:alert(1))",
    "**bold**",
    "$x^2$",
    ":red[red] :material/home:",
    "<a href='http://beacon.test/a'>link</a>",
    "<img src=x onerror=alert(1)>",
)
LONG = "L" * 100_000
AS_OF = pd.Timestamp("2025-06-01")
MARKDOWN_KINDS = ("markdown", "caption", "info", "warning", "error", "success", "subheader",
                  "title", "header")
RULES = (
    "requirements:\n"
    "  - course: Managing Information\n"
    "    renewal_months: 36\n"
    "  - course: '**Safe** $guard$ ![b](http://beacon.test/r.png)'\n"
)


def hostile_store(tmp_path: Path) -> str:
    """A store whose every text field carries a payload (and the file names too)."""
    from compliance.store import Store

    url = f"sqlite:///{tmp_path / 'hostile.sqlite'}"
    store = Store.open(url)
    store.import_file("requirements", RULES.encode(), f"{PAYLOADS[0]}.yaml", user="setup")
    ids = [str(n) for n in range(1, len(PAYLOADS) + 2)]
    roster = roster_frame(ids)
    texts = [*PAYLOADS, LONG]
    roster["name"] = texts
    roster["unit"] = [f"North / {text[:60]}" for text in texts]
    roster["unit_2"] = [text[:60] for text in texts]
    roster["role"] = texts
    roster["manager"] = list(reversed(texts))
    store.import_frame("roster", loaded(roster, f"{PAYLOADS[5]}.csv", "roster"), user="setup",
                       as_at=pd.Timestamp("2020-01-01").date())
    done = completion_frame([(i, t, "2024-01-10") for i, t in zip(ids, texts, strict=True)])
    done.loc[0, "course"] = "Managing Information"
    store.import_frame("completions", loaded(done, f"{PAYLOADS[1]}.csv", "completions"),
                       user="setup")
    store.engine.dispose()
    return url


def _markdown(at: AppTest) -> list[str]:
    """Every text Streamlit renders as markdown: bodies, titles and widget labels."""
    found = [str(e.value) for kind in MARKDOWN_KINDS for e in at.get(kind)]
    for kind in ("selectbox", "multiselect", "text_input", "button", "checkbox",
                 "number_input", "date_input", "download_button"):
        found += [str(widget.label) for widget in at.get(kind) if widget.label]
    found += [str(tab.label) for tab in at.tabs]
    return found


def assert_literal(at: AppTest) -> int:
    """Every payload shown comes from its escaped form; the number of payloads shown."""
    shown = 0
    for text in _markdown(at):
        for payload in (*PAYLOADS, "L" * 1000):
            count = plain(text).count(payload)
            assert count == text.count(literal(payload)), (payload, text[:300])
            shown += count
    for chart in at.get("plotly_chart"):
        spec = json.dumps(json.loads(chart.proto.spec)["data"])
        assert "<a href" not in spec and "<img" not in spec
    return shown


@pytest.fixture(scope="module")
def url(tmp_path_factory) -> str:
    return hostile_store(tmp_path_factory.mktemp("hostile"))


@pytest.mark.parametrize("page", [spec.file for spec in _navigation.PAGES])
def test_every_page_shows_payloads_as_literal_text(monkeypatch, url: str, page: str) -> None:
    at = app(monkeypatch, url, AS_OF, role="admin")
    at.switch_page(page).run()
    assert not at.exception
    assert_literal(at)


def test_the_payloads_do_show_somewhere(monkeypatch, url: str) -> None:
    """Sidebar file names, person page headings, the overview's worst unit: seen, escaped."""
    at = app(monkeypatch, url, AS_OF, role="admin")
    assert assert_literal(at) >= 1
    at.switch_page("pages/person.py").run()
    at.text_input(key="person_query").input("beacon").run()
    assert not at.exception
    assert assert_literal(at) >= 1
    assert any(PAYLOADS[0] in plain(text) for text in _markdown(at))


def test_an_upload_with_hostile_headers_and_name(monkeypatch, url: str) -> None:
    at = app(monkeypatch, url, AS_OF, role="admin")
    at.switch_page("pages/upload.py").run()
    data = csv_bytes([["Collar No", "**Name** ![x](http://beacon.test/h.png)", "Division"],
                      ["1", "Ann", "North"]])
    at.file_uploader[0].upload(f"{PAYLOADS[0]}.csv", data).run()
    assert not at.exception
    assert assert_literal(at) >= 2


def test_the_incident_check_shows_payloads_as_literal_text(monkeypatch, url: str) -> None:
    """Names, units, course titles and file names in the check's headings, captions and
    warnings (someone asked about who is on no roster included)."""
    at = app(monkeypatch, url, AS_OF, role="admin")
    at.switch_page("pages/incident.py").run()
    at.text_area(key="incident_ids").input("1 2 3 4 5 6 7 8 **x**").run()
    assert not at.exception
    assert assert_literal(at) >= len(PAYLOADS)
    assert any(PAYLOADS[5] in plain(text) for text in _markdown(at))
