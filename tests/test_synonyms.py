import pytest

from loaders.synonyms import FIELDS, IGNORE, KINDS, SYNONYMS
from loaders.values import fold


@pytest.mark.parametrize("kind", KINDS)
def test_no_folded_synonym_names_two_fields(kind):
    owners: dict[str, set[str]] = {}
    for field, synonyms in SYNONYMS[kind].items():
        for synonym in synonyms:
            owners.setdefault(fold(synonym), set()).add(field)
    assert {k: v for k, v in owners.items() if len(v) > 1} == {}


@pytest.mark.parametrize("kind", KINDS)
def test_every_mappable_field_has_synonyms_and_ignore_is_not_a_field(kind):
    assert set(FIELDS[kind]) <= set(SYNONYMS[kind])
    assert IGNORE not in FIELDS[kind]


DESIGN_SYNONYMS = {
    "person_id": "collar number, collar no, warrant number, warrant no, payroll number, "
    "payroll no, employee number, employee id, staff number, staff id, personnel number, "
    "force number, user id, id number, service number, employee no, emp no, staff no, "
    "personnel no, pers no, person number, person reference, payroll id",
    "email": "email, email address, e-mail, work email",
    "unit": "division, bcu, basic command unit, district, command, directorate, area, "
    "department, unit, section, team, station, organisation, org unit, cost centre name, "
    "organisational unit, organizational unit, business unit",
    "role": "rank, role, job title, position, grade, rank grade, grade rank, rank or grade, "
    "job, post title, position title",
    "staff_type": "staff type, employee type, employee category, worker type, officer/staff, "
    "employee group, staff group, person type, assignment category",
    "start_date": "start date, date joined, joining date, date of joining, hire date, "
    "employment start, service start",
    "leave_date": "leaving date, leave date, end date, termination date, date left",
}


@pytest.mark.parametrize(
    ("field", "synonym"),
    [(f, s.strip()) for f, listed in DESIGN_SYNONYMS.items() for s in listed.split(",")],
)
def test_every_roster_synonym_in_design_is_known(field: str, synonym: str) -> None:
    folded = {fold(s): f for f, synonyms in SYNONYMS["roster"].items() for s in synonyms}
    assert folded[fold(synonym)] == field
    assert folded[fold(synonym.title().replace(" ", "/"))] == field
