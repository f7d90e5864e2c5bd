"""Creating users with their role, and keeping Django's staff flag in line with the role."""

from __future__ import annotations

from django.contrib.auth.models import Group, Permission
from django.db import transaction

from nmt.accounts.models import Agency, Region, Role, User

ADMIN_GROUP = "NMT administrators"
ADMIN_MODELS = ("user", "agency", "region", "county", "municipality")


def admin_group() -> Group:
    """The group whose members manage users and code lists in the admin site (no case data)."""
    group, _created = Group.objects.get_or_create(name=ADMIN_GROUP)
    permissions = Permission.objects.filter(
        content_type__app_label="accounts", content_type__model__in=ADMIN_MODELS
    )
    group.permissions.set(permissions)
    return group


def sync_role(user: User) -> None:
    """Only the admin role reaches the admin site; every other role is taken out of it."""
    is_admin = user.role == Role.ADMIN
    if user.is_staff != is_admin:
        user.is_staff = is_admin
        user.save(update_fields=["is_staff"])
    if is_admin:
        user.groups.add(admin_group())
    else:
        user.groups.remove(*Group.objects.filter(name=ADMIN_GROUP))


@transaction.atomic
def user_create(
    *,
    username: str,
    password: str,
    role: str,
    agency: Agency | None = None,
    region: Region | None = None,
    first_name: str = "",
    last_name: str = "",
    email: str = "",
) -> User:
    user = User.objects.create_user(
        username=username,
        password=password,
        email=email,
        first_name=first_name,
        last_name=last_name,
        role=role,
        agency=agency,
        region=region,
    )
    sync_role(user)
    return user
