"""Method-support test setup: a member of the national team, the seeded guidance (again after the
flush of a transactional test), and logged-in clients."""

from __future__ import annotations

import pytest
from django.test import Client
from tests.conftest import make_user


@pytest.fixture
def guidance(db):
    from nmt.methods.guidance_seed import seed_guidance
    from nmt.methods.services import published_guidance

    seed_guidance()
    return published_guidance()


@pytest.fixture
def national(personas, guidance):
    """An analyst at Jämställdhetsmyndigheten in the national team's group."""
    from django.contrib.auth.models import Group, Permission

    from nmt.methods.guidance_seed import NATIONAL_TEAM_GROUP

    group = Group.objects.get(name=NATIONAL_TEAM_GROUP)
    permission = Permission.objects.get(codename="national_team", content_type__app_label="methods")
    group.permissions.add(permission)
    user = make_user("nina_nationell", "analyst", "jamstalldhetsmyndigheten")
    user.groups.add(group)
    return user


@pytest.fixture
def client_of():
    def make(user) -> Client:
        client = Client()
        client.force_login(user)
        return client

    return make
