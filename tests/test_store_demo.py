"""Demo and real data never side by side: refused both ways, and removed in one action."""

from __future__ import annotations

import pytest

from compliance import account_admin
from compliance.errors import StoreError
from tests.conftest import REQUIREMENTS_YAML, completion_frame, loaded, roster_frame


def _demo_roster(store) -> None:
    frame = roster_frame(["1", "2"])
    store.import_frame("roster", loaded(frame, "demo-hr.csv", "roster"), user="demo", demo=True)


def test_a_real_file_is_refused_while_the_demo_is_loaded(store) -> None:
    _demo_roster(store)
    assert store.demo_active()
    lms = loaded(completion_frame([("1", "Managing Information", "2024-01-10")]), "lms.csv",
                 "completions")
    with pytest.raises(StoreError, match="demo --remove") as raised:
        store.import_frame("completions", lms, user="tm")
    assert raised.value.reason == "demo_loaded"
    with pytest.raises(StoreError, match="the demo force is loaded"):
        store.import_file("requirements", REQUIREMENTS_YAML, "rules.yaml", user="tm")
    assert store.imports()["file"].tolist() == ["demo-hr.csv"]


def test_the_demo_is_refused_beside_real_data(store) -> None:
    store.import_frame("roster", loaded(roster_frame(["9"]), "hr.csv", "roster"), user="tm")
    with pytest.raises(StoreError, match="holds a real force's data") as raised:
        _demo_roster(store)
    assert raised.value.reason == "real_data"
    assert not store.demo_active()


def test_removing_the_demo_withdraws_its_imports_and_disables_its_accounts(store) -> None:
    _demo_roster(store)
    store.accounts.add("demo-x", role="manager", units=(), email=None, password_hash="h",
                       by="demo", demo_password="fictional password")
    account_admin.add(store, "real-admin", role="admin", password="a long real password",
                      by="root")
    assert store.remove_demo(user="tm") == (1, 1)
    assert store.imports()["state"].tolist() == ["withdrawn"]
    assert store.accounts.get("demo-x").disabled
    assert not store.accounts.get("real-admin").disabled
    assert store.accounts.demo_accounts().empty
    assert store.audit_log()["action"].tolist()[-1] == "demo removed"
    assert store.remove_demo(user="tm") == (0, 0)
    store.import_frame("roster", loaded(roster_frame(["9"]), "hr.csv", "roster"), user="tm")


def test_restoring_cannot_mix_them_either(store) -> None:
    _demo_roster(store)
    store.remove_demo(user="tm")
    store.import_frame("roster", loaded(roster_frame(["9"]), "hr.csv", "roster"), user="tm")
    with pytest.raises(StoreError, match="holds a real force's data"):
        store.restore(1, user="tm")
    store.withdraw(2, user="tm")
    store.restore(1, user="tm")
    with pytest.raises(StoreError, match="the demo force is loaded"):
        store.restore(2, user="tm")


def test_rules_edited_during_the_demo_belong_to_it(store) -> None:
    _demo_roster(store)
    store.import_file("requirements", REQUIREMENTS_YAML, "rules.yaml", user="demo", demo=True)
    rules = store.rules()
    outcome = store.save_rules(rules.__class__(rules.requirements[:1]), "edited.yaml", user="tm")
    assert outcome.created
    store.remove_demo(user="tm")
    assert store.rules() is None
