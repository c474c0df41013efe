"""Sign-in on the pages: deny by default, the viewer's scope everywhere, nothing tampered in.

Every page path of an anonymous session shows the sign-in form and nothing else; a unit
viewer sees only their units' people on every page, in every download and every reader,
also after the session state or the URL's query is edited; a session signed in with a
password goes through the form, and five wrong passwords lock the account.
"""

from __future__ import annotations

import io

import pandas as pd
import pytest
from streamlit.testing.v1 import AppTest

from compliance import account_admin, auth
from compliance.scope import in_units
from compliance.store import Store
from compliance.store.accounts import Account
from pages import _auth, _navigation, _session
from tests.pages import (
    DEMO_AS_OF,
    ENTRY,
    ROOT,
    TEST_PASSWORD,
    VIEWER_UNITS,
    app,
    capture_downloads,
    demo_url,
    engine_status,
    plain,
    small_store,
    texts,
)

PAGES = [spec.file for spec in _navigation.PAGES]
FIGURE_PAGES = ["pages/overview.py", "pages/units.py", "pages/overdue.py"]
DEMO_ACCOUNT_COLUMNS = ["name", "password", "role", "units"]
"""The one table the sign-in page shows while the demo is loaded: its demo accounts."""


def _is_sign_in(at: AppTest) -> bool:
    labels = [box.label for box in at.text_input]
    return labels == ["User name", "Password"] and at.title[0].value == "Training compliance"


def test_an_anonymous_session_has_no_page_but_the_sign_in_page(monkeypatch) -> None:
    at = app(monkeypatch, demo_url(), role=None)
    assert not at.exception and _is_sign_in(at)
    for page in PAGES:
        with pytest.raises(ValueError, match="Could not find a navigation page"):
            at.switch_page(page)


@pytest.mark.parametrize("page", PAGES)
def test_a_page_file_opened_directly_shows_only_the_sign_in_form(monkeypatch, page: str) -> None:
    """As when a page file runs without the navigation (a bookmark on a fresh server), with
    a forged account left in the session state: the page finds nobody signed in."""
    forged = Account(1, "mallory", "admin", (), None, None, False, False, False, 0, None)
    monkeypatch.setenv("COMPLIANCE_DB", demo_url())
    at = AppTest.from_file(str(ROOT / page), default_timeout=60)
    at.session_state[_navigation.ENTERED] = True
    at.session_state[_session.ACCOUNT] = forged
    at.run()
    assert not at.exception
    assert _is_sign_in(at)
    assert [list(t.value.columns) for t in at.dataframe] == [DEMO_ACCOUNT_COLUMNS]
    assert not at.get("plotly_chart") and not at.metric and not at.get("download_button")


def test_a_forged_account_in_session_state_signs_nobody_in(monkeypatch) -> None:
    forged = Account(1, "mallory", "admin", (), None, None, False, False, False, 0, None)
    monkeypatch.setenv("COMPLIANCE_DB", demo_url())
    at = AppTest.from_file(str(ENTRY), default_timeout=60)
    at.session_state[_session.ACCOUNT] = forged
    at.session_state[_auth.TOKEN] = "a-token-nobody-was-given"
    at.run()
    assert _is_sign_in(at)
    with pytest.raises(ValueError, match="Could not find a navigation page"):
        at.switch_page("pages/accounts.py")


def test_sign_in_with_the_form_then_out(monkeypatch) -> None:
    url = demo_url()
    store = Store.open(url)
    if store.accounts.get("form-user") is None:
        account_admin.add(store, "form-user", role="manager", password=TEST_PASSWORD, by="t")
    at = app(monkeypatch, url, role=None)
    at.text_input(key="sign_in_name").input("Form-User")
    at.text_input(key="sign_in_password").input(TEST_PASSWORD)
    at.button[0].click().run()
    assert not at.exception and not at.error
    assert at.title[0].value == "Compliance overview"
    assert "Signed in as **form\\-user** (manager)" in texts(at) or any(
        "form\\-user" in c.value for c in at.sidebar.caption
    )
    assert "sign_in_password" not in at.session_state
    at.button(key="sign_out").click().run()
    assert _is_sign_in(at)
    assert store.audit_log(user="form-user")["action"].tolist()[-2:] == ["sign-in", "sign-out"]


def test_a_wrong_password_says_so_and_five_lock_with_the_time(monkeypatch) -> None:
    url = demo_url()
    store = Store.open(url)
    if store.accounts.get("locked-user") is None:
        account_admin.add(store, "locked-user", role="viewer", units=VIEWER_UNITS,
                          password=TEST_PASSWORD, by="t")
    at = app(monkeypatch, url, role=None)
    for attempt in range(auth.MAX_FAILURES):
        at.text_input(key="sign_in_name").input("locked-user")
        at.text_input(key="sign_in_password").input(f"wrong password {attempt}")
        at.button[0].click().run()
        assert _is_sign_in(at)
    assert "too many failed sign-ins: the account is locked until" in plain(at.error[0].value)
    at.text_input(key="sign_in_name").input("locked-user")
    at.text_input(key="sign_in_password").input(TEST_PASSWORD)
    at.button[0].click().run()
    assert _is_sign_in(at) and "locked until" in plain(at.error[0].value)


def test_a_one_time_password_must_be_changed_first(monkeypatch) -> None:
    url = demo_url()
    store = Store.open(url)
    name = "first-timer"
    if store.accounts.get(name) is None:
        one_time = account_admin.add(store, name, role="manager", by="t")
    else:
        one_time = account_admin.reset_password(store, name, by="t")
    at = app(monkeypatch, url, role=None)
    at.text_input(key="sign_in_name").input(name)
    at.text_input(key="sign_in_password").input(one_time)
    at.button[0].click().run()
    assert at.title[0].value == "Choose your password"
    with pytest.raises(ValueError, match=r"Known pages: \['Password'\]"):
        at.switch_page("pages/overdue.py")
    at.text_input(key="new_password").input("my own long password")
    at.text_input(key="new_password_again").input("my own long password")
    at.button[0].click().run()
    assert at.title[0].value == "Compliance overview"
    assert not store.accounts.get(name).must_change_password


def _viewer(monkeypatch, page: str | None = None) -> AppTest:
    at = app(monkeypatch, demo_url(), role="viewer", units=VIEWER_UNITS)
    return at.switch_page(page).run() if page else at


def _mine(units: pd.Series) -> bool:
    return bool(in_units(units, list(VIEWER_UNITS)).all())


@pytest.mark.parametrize("page", FIGURE_PAGES)
def test_a_viewer_sees_only_their_units(monkeypatch, page: str) -> None:
    at = _viewer(monkeypatch, page)
    assert not at.exception and not at.error
    unit_options = at.sidebar.selectbox(key="unit").options
    assert unit_options[0] == "All" and all(o.startswith("South Division") for o in
                                            unit_options[1:])
    for frame in (table.value for table in at.dataframe):
        if "unit" in frame:
            assert _mine(frame["unit"].astype("string").fillna("South Division"))
    if page == "pages/overview.py":
        status = engine_status(demo_url(), DEMO_AS_OF)
        mine = status[in_units(status["unit"], list(VIEWER_UNITS))]
        overdue = int((mine["status"] == "overdue").sum())
        assert at.metric[1].value == f"{overdue:,}"


def test_tampered_filters_and_query_widen_nothing(monkeypatch) -> None:
    at = app(monkeypatch, demo_url(), role="viewer", units=VIEWER_UNITS)
    at.session_state["keep_unit"] = "North Division"
    at.query_params["unit"] = "North Division"
    at.switch_page("pages/overdue.py").run()
    assert not at.exception
    for frame in (table.value for table in at.dataframe):
        if "unit" in frame:
            assert _mine(frame["unit"].astype("string").fillna("South Division"))
    for page in ("pages/upload.py", "pages/accounts.py", "pages/audit.py", "pages/rules.py"):
        _refused(at, page, "viewer")


def _refused(at: AppTest, page: str, role: str) -> None:
    """``page`` is not in the role's navigation, or, reached anyway, refuses to draw."""
    title = _navigation.spec(page).title
    try:
        at.switch_page(page)
    except ValueError as error:
        assert "Could not find a navigation page" in str(error)
        return
    at.run()
    assert not at.exception
    refused = any(f"Your role ({role}) cannot open {title}" in plain(e.value) for e in at.error)
    assert refused or at.title[0].value == "Compliance overview", page
    assert not at.file_uploader and not at.get("download_button")


def test_a_viewers_downloads_hold_only_their_units(monkeypatch) -> None:
    files = capture_downloads(monkeypatch)
    at = _viewer(monkeypatch, "pages/overdue.py")
    at.selectbox(key="overdue_reason").set_value("Reminders to line managers")
    at.text_input(key="overdue_reference").input("South reminders 2026")
    at.text_input(key="overdue_recipient").input("South sergeants").run()
    name = next(n for n in files if n.endswith(".csv") and "overdue" in n)
    exported = pd.read_csv(io.BytesIO(files[name]()), dtype=str, encoding="utf-8-sig")
    assert len(exported) and _mine(exported["Unit"])


def test_a_manager_and_a_viewer_never_share_a_cached_frame(monkeypatch) -> None:
    manager = app(monkeypatch, demo_url(), role="manager")
    manager.switch_page("pages/overdue.py").run()
    everyone = manager.dataframe[0].value
    assert not _mine(everyone["unit"])
    viewer = _viewer(monkeypatch, "pages/overdue.py")
    assert _mine(viewer.dataframe[0].value["unit"])
    assert len(viewer.dataframe[0].value) < len(everyone)


@pytest.mark.parametrize(
    ("role", "allowed"),
    [
        ("viewer", {"Overview", "Units", "Overdue", "Board report", "Person", "Incident check"}),
        ("auditor", {"Person", "Incident check", "Audit log"}),
        ("manager", {"Overview", "Units", "Overdue", "Board report", "Person", "Incident check",
                     "Upload", "Imports", "Rules", "Data quality"}),
    ],
)
def test_the_navigation_lists_only_what_a_role_may_open(role: str, allowed: set[str]) -> None:
    assert {spec.title for spec in _navigation.PAGES if auth.may(role, spec.needs)} == allowed


def test_a_page_the_role_may_not_open_says_so_when_run_directly(monkeypatch) -> None:
    """An auditor has no Overdue page in the navigation; run as a file, it refuses too."""
    at = app(monkeypatch, demo_url(), role="auditor")
    _refused(at, "pages/overdue.py", "auditor")
    token = at.session_state[_auth.TOKEN]
    direct = AppTest.from_file(str(ROOT / "pages/overdue.py"), default_timeout=60)
    direct.session_state[_navigation.ENTERED] = True
    direct.session_state[_auth.TOKEN] = token
    direct.run()
    assert not direct.exception
    assert "Your role (auditor) cannot open Overdue" in plain(direct.error[0].value)
    assert not direct.dataframe and not direct.get("download_button")


def _oidc_app(monkeypatch, url: str, email: str | None) -> AppTest:
    """The dashboard with ``COMPLIANCE_AUTH=oidc``, the identity provider having signed in
    ``email`` (None: nobody yet); ``st.login`` and ``st.logout`` are recorded, not run."""
    monkeypatch.setenv("COMPLIANCE_AUTH", "oidc")
    monkeypatch.setattr(_auth, "_oidc_email", lambda: email)
    store = Store.open(url)
    if store.accounts.count() == 0:
        account_admin.add(store, "first-admin", role="admin", password=TEST_PASSWORD, by="t")
    return app(monkeypatch, url, role=None)


def test_single_sign_on_offers_the_organisation_button_and_no_password_form(
    monkeypatch, tmp_path
) -> None:
    url = small_store(tmp_path)
    calls: list[str] = []
    monkeypatch.setattr(_auth.st, "login", lambda *a: calls.append("login"))
    at = _oidc_app(monkeypatch, url, None)
    assert not at.exception and [box.label for box in at.text_input] == []
    assert [b.label for b in at.button] == ["Sign in with your organisation account"]
    at.button(key="oidc_sign_in").click().run()
    assert calls == ["login"]


def test_single_sign_on_takes_the_role_and_units_of_the_account_with_that_email(
    monkeypatch, tmp_path
) -> None:
    url = small_store(tmp_path)
    store = Store.open(url)
    account_admin.add(store, "sso-viewer", role="viewer", units=("North",),
                      email="Ann.Other@Force.Police.uk", password=TEST_PASSWORD, by="t")
    logouts: list[str] = []
    monkeypatch.setattr(_auth.st, "logout", lambda: logouts.append("logout"))
    at = _oidc_app(monkeypatch, url, " ann.other@force.police.UK")
    assert not at.exception and not at.error
    assert at.title[0].value == "Compliance overview"
    assert "Signed in as **sso-viewer** (viewer) - North" in [
        plain(caption.value) for caption in at.sidebar.caption
    ]
    entry = store.audit_log(user="sso-viewer").iloc[-1]
    assert entry["action"] == "sign-in" and "single sign-on" in entry["detail"]
    at.button(key="sign_out").click().run()
    assert logouts == ["logout"]


@pytest.mark.parametrize("disabled", [False, True])
def test_single_sign_on_without_an_enabled_account_opens_nothing(
    monkeypatch, tmp_path, disabled: bool
) -> None:
    url = small_store(tmp_path)
    if disabled:
        store = Store.open(url)
        account_admin.add(store, "gone", role="manager", email="gone@force.police.uk",
                          password=TEST_PASSWORD, by="t")
        account_admin.set_disabled(store, "gone", disabled=True, by="t")
    at = _oidc_app(monkeypatch, url, "gone@force.police.uk")
    assert not at.exception
    assert [plain(e.value) for e in at.error] == [
        "There is no enabled account for gone@force.police.uk: ask an administrator to "
        "add one with this e-mail."
    ]
    assert at.title[0].value == "Training compliance" and not at.metric
    assert [b.label for b in at.button] == ["Sign out"]


def _everything_shown(at: AppTest) -> str:
    """Every text, label, value and table cell the run drew, main area and sidebar."""
    parts = [texts(at)]
    for kind in ("title", "header", "subheader", "error", "success", "caption", "markdown"):
        parts += [str(e.value) for e in at.sidebar.get(kind)] + [str(e.value) for e in at.get(kind)]
    for widget in (*at.text_input, *at.selectbox, *at.multiselect, *at.button):
        parts += [str(widget.label), str(getattr(widget, "value", ""))]
    for table in at.dataframe:
        parts.append(table.value.to_csv())
    return "\n".join(parts)


def test_no_password_or_hash_is_ever_shown_or_logged(monkeypatch, tmp_path, caplog) -> None:
    """An admin who signed in with a password opens every page: neither the password, nor
    a one-time password just issued, nor any argon2 hash appears on a page or in a log."""
    url = small_store(tmp_path)
    store = Store.open(url)
    account_admin.add(store, "pw-admin", role="admin", password=TEST_PASSWORD, by="t")
    one_time = account_admin.reset_password(store, "pw-admin", by="t")
    account_admin.change_password(store, "pw-admin", TEST_PASSWORD, by="t")
    caplog.set_level("DEBUG")
    at = app(monkeypatch, url, role=None)
    at.text_input(key="sign_in_name").input("pw-admin")
    at.text_input(key="sign_in_password").input(TEST_PASSWORD)
    at.button[0].click().run()
    assert at.title[0].value == "Compliance overview"
    shown = []
    for page in PAGES:
        at.switch_page(page).run()
        assert not at.exception, page
        shown.append(_everything_shown(at))
    everything = "\n".join([*shown, caplog.text, store.audit_frame().to_csv()])
    for secret in (TEST_PASSWORD, one_time, "$argon2"):
        assert secret not in everything
