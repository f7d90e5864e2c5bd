"""The demo's logins: one user for every role, a coordinator in every region.

Passwords are generated on every run and printed once; the database keeps only their Argon2
hashes, so a lost password is replaced by running ``nmt demo`` again.
"""

from __future__ import annotations

import secrets
from dataclasses import dataclass

from django.contrib.auth.password_validation import validate_password

from nmt.accounts.models import Agency, Region, Role, User

# No 0/O, 1/l/I: the passwords are read off a terminal and typed.
_ALPHABET = "abcdefghijkmnpqrstuvwxyz23456789"


@dataclass(frozen=True)
class DemoUser:
    username: str
    first_name: str
    last_name: str
    role: str
    agency: str
    region: str = ""
    # The registrar key the generated records use for this user (see generator.registrar_keys).
    registrar: str = ""

    @property
    def label(self) -> str:
        where = Region.objects.get(code=self.region).name if self.region else ""
        text = Role(self.role).label
        if self.role == Role.AGENCY_LIAISON:
            text = f"{text}, {Agency.objects.get(code=self.agency).name}"
        return f"{text}, {where}" if where else str(text)


_COORDINATORS = [
    ("stockholm", "Karin", "Lindgren"),
    ("syd", "Jonas", "Holmberg"),
    ("vast", "Amira", "Haddad"),
    ("ost", "Linnea", "Ek"),
    ("mitt", "Petter", "Sund"),
    ("bergslagen", "Sofia", "Malm"),
    ("nord", "Nils", "Pekkari"),
]

DEMO_USERS: tuple[DemoUser, ...] = (
    *(
        DemoUser(
            username=f"koordinator.{region}",
            first_name=first,
            last_name=last,
            role=Role.COORDINATOR,
            agency="socialtjansten",
            region=region,
            registrar=f"coordinator:{region}",
        )
        for region, first, last in _COORDINATORS
    ),
    DemoUser(
        "stodtelefon",
        "Maria",
        "Berg",
        Role.SUPPORTLINE,
        "jamstalldhetsmyndigheten",
        registrar="supportline",
    ),
    DemoUser(
        "kontakt.migrationsverket",
        "Omar",
        "Nilsson",
        Role.AGENCY_LIAISON,
        "migrationsverket",
        registrar="liaison:migrationsverket",
    ),
    DemoUser(
        "kontakt.polisen",
        "Eva",
        "Strand",
        Role.AGENCY_LIAISON,
        "polismyndigheten",
        registrar="liaison:polismyndigheten",
    ),
    DemoUser("analytiker", "Anders", "Wiik", Role.ANALYST, "jamstalldhetsmyndigheten"),
    DemoUser("dataskydd", "Helena", "Frisk", Role.AUDITOR, "jamstalldhetsmyndigheten"),
    DemoUser("admin", "Ali", "Rahimi", Role.ADMIN, "jamstalldhetsmyndigheten"),
)
DEMO_USERNAMES = frozenset(user.username for user in DEMO_USERS)


def generate_password() -> str:
    """Four groups of four characters: 19 characters, about 80 bits, easy to type."""
    groups = ("".join(secrets.choice(_ALPHABET) for _i in range(4)) for _g in range(4))
    return "-".join(groups)


@dataclass(frozen=True)
class Login:
    spec: DemoUser
    user: User
    password: str


def ensure_demo_users() -> list[Login]:
    """Create the demo users (or bring them back to their demo role) with new passwords."""
    agencies = {agency.code: agency for agency in Agency.objects.all()}
    regions = {region.code: region for region in Region.objects.all()}
    logins = []
    for spec in DEMO_USERS:
        user, _created = User.objects.update_or_create(
            username=spec.username,
            defaults={
                "first_name": spec.first_name,
                "last_name": spec.last_name,
                "email": f"{spec.username}@demo.invalid",
                "role": spec.role,
                "agency": agencies[spec.agency],
                "region": regions.get(spec.region),
                "is_active": True,
                "is_staff": spec.role == Role.ADMIN,
            },
        )
        password = generate_password()
        validate_password(password, user)
        user.set_password(password)
        user.save(update_fields=["password"])
        logins.append(Login(spec=spec, user=user, password=password))
    return logins


def registrars(logins: list[Login]) -> dict[str, User]:
    return {login.spec.registrar: login.user for login in logins if login.spec.registrar}
