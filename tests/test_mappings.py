import pytest

from compliance.mappings import (
    IGNORE,
    apply_corrections,
    corrections,
    fold_headers,
    header_signature,
    recall,
    remember,
)
from compliance.store.settings import SETTING_ACTION


class MemoryBackend:
    def __init__(self) -> None:
        self.values: dict[str, str] = {}
        self.users: list[str] = []

    def get_setting(self, key: str) -> str | None:
        return self.values.get(key)

    def set_setting(self, key: str, value: str, *, user: str) -> None:
        self.values[key] = value
        self.users.append(user)


@pytest.mark.parametrize(
    ("raw", "folded"),
    [
        ("E-mail Address", "email address"),
        ("  Collar   No. ", "collar no"),
        ("User's Fullname", "users fullname"),
        ("staff_number", "staff number"),
        (None, ""),
        (1234, "1234"),
    ],
)
def test_fold_headers(raw, folded):
    assert fold_headers([raw]) == [folded]


@pytest.mark.parametrize(
    ("a", "b", "same"),
    [
        (["Ref", "E-mail"], ["ref", "E-MAIL "], True),
        (["Ref", "E-mail", None, ""], ["Ref", "E-mail"], True),
        (["Ref", "E-mail"], ["E-mail", "Ref"], False),
        (["Ref", "E-mail"], ["Ref", "E-mail", "Unit"], False),
    ],
)
def test_header_signature(a, b, same):
    assert (header_signature("roster", a) == header_signature("roster", b)) is same


def test_header_signature_depends_on_kind():
    assert header_signature("roster", ["Ref"]) != header_signature("completions", ["Ref"])


@pytest.mark.parametrize(
    ("detected", "chosen", "expected"),
    [
        ({"Ref": "person_id"}, {"Ref": "person_id"}, {}),
        ({"Internal": "person_id"}, {"Ref": "person_id"}, {"Internal": IGNORE, "Ref": "person_id"}),
        ({"Name": "name"}, {"Name": "name", "Section": "unit"}, {"Section": "unit"}),
        ({"Name": "name", "Note": "role"}, {"Name": "name"}, {"Note": IGNORE}),
    ],
)
def test_corrections(detected, chosen, expected):
    assert corrections(detected, chosen) == expected


@pytest.mark.parametrize(
    ("detected", "remembered", "expected"),
    [
        ({"Ref": "person_id"}, {}, {"Ref": "person_id"}),
        (
            {"Internal": "person_id", "Name": "name"},
            {"Staff": "person_id"},
            {"Name": "name", "Staff": "person_id"},
        ),
        ({"Note": "role", "Name": "name"}, {"Note": IGNORE}, {"Name": "name"}),
    ],
)
def test_apply_corrections(detected, remembered, expected):
    assert apply_corrections(detected, remembered) == expected


def test_remember_and_recall_round_trip():
    backend = MemoryBackend()
    headers = ["Staff Ref", "Email"]
    fixes = corrections({"Email": "email"}, {"Email": "email", "Staff Ref": "person_id"})
    remember(backend, "roster", headers, fixes, user="trainer")
    assert recall(backend, "roster", ["staff ref", "EMAIL"]) == {"staff ref": "person_id"}
    assert recall(backend, "roster", headers) == {"Staff Ref": "person_id"}
    assert recall(backend, "completions", headers) == {}
    remember(backend, "roster", headers, {}, user="admin")
    assert recall(backend, "roster", headers) == {}
    assert backend.users == ["trainer", "admin"]


def test_accepting_detection_for_a_new_layout_stores_nothing():
    backend = MemoryBackend()
    remember(backend, "roster", ["Ref"], {}, user="trainer")
    assert backend.values == {}


@pytest.mark.parametrize("stored", ["not json", "[1, 2]", ""])
def test_recall_ignores_unreadable_values(stored):
    backend = MemoryBackend()
    backend.values[header_signature("roster", ["A"])] = stored
    assert recall(backend, "roster", ["A"]) == {}


def test_remembered_in_the_store_settings(store):
    headers = ["Ref", "Mail"]
    remember(store, "roster", headers, {}, user="trainer")
    assert store.audit_log().empty
    assert store.get_setting(header_signature("roster", headers)) is None
    remember(store, "roster", headers, {"Ref": "person_id"}, user="trainer")
    remember(store, "roster", headers, {"Ref": "person_id"}, user="trainer")
    remember(store, "completions", headers, {"Mail": "email"}, user="trainer")
    assert recall(store, "roster", headers) == {"Ref": "person_id"}
    assert recall(store, "completions", headers) == {"Mail": "email"}
    log = store.audit_log()
    assert log["action"].tolist() == [SETTING_ACTION, SETTING_ACTION]
    assert set(log["user"]) == {"trainer"}
    remember(store, "roster", headers, {}, user="trainer")
    assert recall(store, "roster", headers) == {}
    assert store.get_setting(header_signature("roster", headers)) == "{}"
