"""A registry history for the aggregate tests: persons and identifications made in bulk (the
services would be too slow for six years of cases, and these tests read aggregates only)."""

from __future__ import annotations

import datetime as dt

import numpy as np


def month_start(today: dt.date, months_back: int) -> dt.date:
    index = today.year * 12 + today.month - 1 - months_back
    return dt.date(index // 12, index % 12 + 1, 1)


def bulk_history(*, actor, region, purpose: str, counts: list[int], today: dt.date, **extra):
    """``counts[i]`` persons identified in the month ``len(counts) - i`` months before this one
    (the last count is the last complete month), one case each, female adults from Romania."""
    from nmt.cases.models import Citizenship, Identification, IdentificationPurpose, Person

    persons = Person.objects.bulk_create([Person(sex="female") for _ in range(sum(counts))])
    Citizenship.objects.bulk_create([Citizenship(person=p, country="RO") for p in persons])
    cases = []
    start = Identification.objects.count()
    people = iter(persons)
    for i, count in enumerate(counts):
        day = month_start(today, len(counts) - i) + dt.timedelta(days=9)
        for _ in range(count):
            cases.append(
                Identification(
                    case_number=f"NMT-HIST-{start + len(cases):06d}",
                    person=next(people),
                    identified_on=day,
                    channel="regional_coordinator",
                    agency_id=actor.agency_id,
                    region=region,
                    age_group="adult",
                    registered_by=actor,
                    **extra,
                )
            )
    cases = Identification.objects.bulk_create(cases)
    IdentificationPurpose.objects.bulk_create(
        [IdentificationPurpose(identification=c, purpose=purpose) for c in cases]
    )
    return cases


def stable_counts(seed: int, mean: float, months: int = 72) -> list[int]:
    return [int(x) for x in np.random.default_rng(seed).poisson(mean, months)]
