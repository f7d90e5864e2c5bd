"""For tests that need a PostgreSQL server of their own to talk to (through DATABASE_URL), not
only Django's test database: they skip, saying why, where none is reachable."""

from __future__ import annotations

import os

import pytest


def postgres_reachable() -> bool:
    url = os.environ.get("DATABASE_URL", "")
    if not url.startswith(("postgres://", "postgresql://")):
        return False
    import psycopg

    try:
        psycopg.connect(url, connect_timeout=3).close()
    except psycopg.Error:
        return False
    return True


needs_postgres = [
    pytest.mark.postgres,
    pytest.mark.skipif(not postgres_reachable(), reason="needs PostgreSQL via DATABASE_URL"),
]
