"""Key rotation re-seals every identifying value under the new key, and search keeps working."""

import json

import pytest
from django.db import connection

from nmt.access import crypto
from nmt.access.rotation import rotate_field_keys
from nmt.cases.models import Person
from nmt.cases.selectors import CaseFilters, case_list
from nmt.cli import main


@pytest.fixture
def new_field_key(settings):
    old = list(settings.FIELD_ENCRYPTION_KEYS)
    settings.FIELD_ENCRYPTION_KEYS = ["a-brand-new-field-key-for-the-test", *old]
    crypto.reset_keys()
    yield
    settings.FIELD_ENCRYPTION_KEYS = old
    crypto.reset_keys()


def raw_names():
    with connection.cursor() as cursor:
        cursor.execute("SELECT given_name, family_name FROM cases_person")
        return [value for row in cursor.fetchall() for value in row]


def test_rotation_reseals_everything(stockholm_case, new_field_key, settings, personas):
    before = raw_names()
    report = rotate_field_keys()
    current = crypto.key_ring().current[0]
    assert report.resealed >= 1
    after = raw_names()
    assert all(crypto.sealed_key_id(v) == current for v in after)
    assert before != after
    # The old key is no longer needed: drop it and everything still opens.
    settings.FIELD_ENCRYPTION_KEYS = settings.FIELD_ENCRYPTION_KEYS[:1]
    crypto.reset_keys()
    assert Person.objects.get().given_name == "Ioana Maria"
    assert rotate_field_keys().resealed == 0  # idempotent


def test_unknown_key_fails_loudly(stockholm_case, settings):
    settings.FIELD_ENCRYPTION_KEYS = ["some-other-key"]
    crypto.reset_keys()
    try:
        with pytest.raises(crypto.DecryptionError):
            Person.objects.get()
    finally:
        crypto.reset_keys()


def test_reindex_after_blind_key_change(stockholm_case, settings, personas, capsys):
    actor = personas.coordinator_stockholm
    settings.BLIND_INDEX_KEY = "a-new-blind-index-key"
    crypto.reset_keys()
    try:
        assert not case_list(actor=actor, filters=CaseFilters(q="Popescu")).object_list
        assert main(["keys", "reindex", "--json"]) == 0
        assert json.loads(capsys.readouterr().out) == {"persons_reindexed": 1}
        assert len(case_list(actor=actor, filters=CaseFilters(q="Popescu")).object_list) == 1
    finally:
        crypto.reset_keys()


def test_status_changes_nothing(stockholm_case, new_field_key, capsys):
    before = raw_names()
    assert main(["keys", "status", "--json"]) == 0
    status = json.loads(capsys.readouterr().out)
    assert status["resealed"] >= 1  # would re-seal
    assert raw_names() == before
