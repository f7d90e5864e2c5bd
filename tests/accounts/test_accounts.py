import pytest
from django.conf import settings as django_settings
from tests.conftest import PASSWORD

from nmt.accounts.models import Agency, County, Municipality, Region
from nmt.accounts.services import sync_role, user_create


def test_organisation_is_seeded(db):
    assert Region.objects.count() == 7
    assert County.objects.count() == 21
    assert Municipality.objects.count() == 290
    assert Municipality.objects.get(code="1280").name == "Malmö"
    assert Municipality.objects.get(code="1280").county.region.code == "syd"
    assert County.objects.get(code="09").region.code == "stockholm"
    names = set(Agency.objects.values_list("name", flat=True))
    assert {"Migrationsverket", "Polismyndigheten", "Åklagarmyndigheten", "Tullverket"} <= names
    for region in Region.objects.all():
        assert region.counties.exists(), region


def test_passwords_are_hashed_with_argon2():
    # The test run swaps in a fast hasher; the configured one comes first in the real settings.
    from nmt.config import settings as real

    assert real.PASSWORD_HASHERS[0].endswith("Argon2PasswordHasher")
    assert django_settings.AUTH_PASSWORD_VALIDATORS


def test_common_and_short_passwords_are_rejected(db):
    from django.contrib.auth.password_validation import validate_password
    from django.core.exceptions import ValidationError

    for weak in ("password123", "qwertyuiop12", "short"):
        with pytest.raises(ValidationError):
            validate_password(weak)
    validate_password(PASSWORD)


def test_only_admins_reach_the_admin_site(db, client):
    agency = Agency.objects.get(code="jamstalldhetsmyndigheten")
    admin = user_create(username="adm", password=PASSWORD, role="admin", agency=agency)
    analyst = user_create(username="ana", password=PASSWORD, role="analyst", agency=agency)
    assert admin.is_staff
    assert not analyst.is_staff
    client.force_login(admin)
    assert client.get("/admin/accounts/user/").status_code == 200
    assert client.get("/admin/cases/").status_code == 404
    client.force_login(analyst)
    assert client.get("/admin/accounts/user/").status_code == 302
    admin.role = "coordinator"
    admin.save()
    sync_role(admin)
    assert not admin.is_staff
    assert not admin.groups.exists()
