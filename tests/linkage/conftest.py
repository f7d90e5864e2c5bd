import pytest

from nmt.linkage.synthetic import generate


@pytest.fixture(scope="session")
def small_lists():
    """Four agencies' lists of about 1,200 records, with the truth."""
    return generate(1200, seed=11, setting="default")
