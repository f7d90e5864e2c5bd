"""Synthetic data for the demo and the benchmarks.

``names`` and ``generator`` are framework-free: they produce plain records (persons as each agency
recorded them, identifications, measures, referrals, support-line calls) together with the ground
truth of who is who, so linkage and estimation code can be checked against them. ``seed`` writes the
records into the database in bulk; ``users`` creates the demo logins. Every name, number, address
and note is invented; no record describes a real person.
"""
