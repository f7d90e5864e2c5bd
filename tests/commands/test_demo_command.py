"""``nmt demo``: seeds once, refreshes passwords on later runs, refuses foreign data, resets."""

from __future__ import annotations

import json

import pytest

from nmt.accounts.models import User
from nmt.audit.models import AuditEvent
from nmt.cases.models import Identification, Person
from nmt.cli import main
from nmt.demo import generator
from nmt.supportline.models import Contact


@pytest.fixture(autouse=True)
def _small_demo(monkeypatch):
    """A tenth of the demo's yearly volumes: the same code paths, a quicker test."""
    monkeypatch.setattr(generator, "VOLUME", {2017: (24, 44, 5, 4)})
    monkeypatch.setattr(generator, "CONTACTS_PER_YEAR", 30)


def demo(capsys, *args: str) -> tuple[int, dict | None, str]:
    code = main(["demo", "--no-serve", "--json", *args])
    captured = capsys.readouterr()
    return code, (json.loads(captured.out) if code == 0 else None), captured.err


def _counts() -> tuple[int, ...]:
    return (
        Person.objects.count(),
        Identification.objects.count(),
        Contact.objects.count(),
        User.objects.count(),
    )


def test_running_twice_seeds_once_and_renews_passwords(db, client, capsys):
    code, first, _err = demo(capsys)
    assert code == 0
    seeded = _counts()
    assert seeded[1] == first["counts"]["identifications"] > 300
    code, second, err = demo(capsys)
    assert code == 0
    assert "only the passwords are new" in err
    assert _counts() == seeded
    assert AuditEvent.objects.filter(object_type="demo_seed").count() == 1
    assert second["counts"] == first["counts"]
    old = {login["username"]: login["password"] for login in first["logins"]}
    for login in second["logins"]:
        assert login["password"] != old[login["username"]]
        assert client.login(username=login["username"], password=login["password"])
        assert not client.login(username=login["username"], password=old[login["username"]])
    assert second["url"] == "http://127.0.0.1:8000/"
    roles = {login["role"] for login in second["logins"]}
    assert roles == {"coordinator", "supportline", "agency_liaison", "analyst", "auditor", "admin"}


def test_refuses_a_database_with_other_data(db, capsys):
    User.objects.create_user(username="real.person", password="x" * 20)
    code, _out, err = demo(capsys)
    assert code == 1
    assert "did not create" in err
    assert Identification.objects.count() == 0


# Reset empties the tables (TRUNCATE on PostgreSQL), which must happen in a real transaction of
# its own; tests/conftest.py seeds the organisation again after the flush.
@pytest.mark.django_db(transaction=True)
def test_reset_seeds_again(capsys):
    code, first, _err = demo(capsys, "--seed", "3")
    assert code == 0
    code, again, err = demo(capsys, "--seed", "4")
    assert code == 0
    assert "seed 3" in err
    assert "--reset" in err
    assert again["counts"] == first["counts"]
    code, reset, _err = demo(capsys, "--seed", "4", "--reset")
    assert code == 0
    markers = AuditEvent.objects.filter(object_type="demo_seed")
    assert [event.details["seed"] for event in markers] == [4]
    assert Identification.objects.count() == reset["counts"]["identifications"]
