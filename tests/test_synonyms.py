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
