import pytest

from compliance.store.url import DEFAULT_SQLITE_PATH, database_url, owner_url


@pytest.mark.parametrize(
    ("environ", "explicit", "expected"),
    [
        ({}, None, f"sqlite:///{DEFAULT_SQLITE_PATH}"),
        ({"COMPLIANCE_DB": "  "}, None, f"sqlite:///{DEFAULT_SQLITE_PATH}"),
        ({"COMPLIANCE_DB": "postgresql+psycopg://h/db"}, None, "postgresql+psycopg://h/db"),
        ({"COMPLIANCE_DB": "postgresql+psycopg://h/db"}, "sqlite:///x", "sqlite:///x"),
        ({}, "sqlite:///y.sqlite", "sqlite:///y.sqlite"),
    ],
)
def test_database_url_precedence(environ, explicit, expected):
    assert database_url(environ, explicit) == expected


def test_default_file_is_in_data_folder():
    assert DEFAULT_SQLITE_PATH.parent.name == "data"
    assert DEFAULT_SQLITE_PATH.name == "compliance.sqlite"


@pytest.mark.parametrize(
    ("environ", "expected"),
    [
        ({}, None),
        ({"COMPLIANCE_DB_OWNER": ""}, None),
        ({"COMPLIANCE_DB_OWNER": "  "}, None),
        ({"COMPLIANCE_DB": "postgresql+psycopg://app@h/db"}, None),
        ({"COMPLIANCE_DB_OWNER": " postgresql+psycopg://owner@h/db "}, "postgresql+psycopg://owner@h/db"),
    ],
)
def test_owner_url_only_from_its_own_variable(environ, expected):
    assert owner_url(environ) == expected
