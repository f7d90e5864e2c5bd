"""Synthetic person records shaped like NMT's identified persons (no real data)."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from nmt.disclosure import with_record_keys

SECRET = b"test-secret-0123456789abcdef"
SEXES = ["kvinna", "man", "annat", "okänt"]
AGE_GROUPS = ["0-17", "18-24", "25-34", "35+"]
PURPOSES = ["sexual", "forced_labour", "begging", "crime", "unknown"]
REGIONS = [f"region_{i:02d}" for i in range(1, 8)]


def make_persons(n: int = 225, seed: int = 2017) -> pd.DataFrame:
    """``n`` persons with stable ids, sex, age group, purposes (multi-valued), region and keys.

    ``child`` says whether the age group is 0-17: a different variable holding the same persons.
    """
    rng = np.random.default_rng(seed)
    age_group = rng.choice(AGE_GROUPS, n, p=[0.25, 0.3, 0.25, 0.2])
    frame = pd.DataFrame(
        {
            "person_id": [f"person-{seed}-{i}" for i in range(n)],
            "sex": rng.choice(SEXES, n, p=[0.55, 0.35, 0.06, 0.04]),
            "age_group": age_group,
            "child": np.where(age_group == "0-17", "child", "adult"),
            "purpose": [
                sorted(rng.choice(PURPOSES, rng.integers(1, 3), replace=False).tolist())
                for _ in range(n)
            ],
            "region": rng.choice(REGIONS, n),
        }
    )
    return with_record_keys(frame, id_column="person_id", secret=SECRET)


@pytest.fixture
def persons() -> pd.DataFrame:
    return make_persons()
