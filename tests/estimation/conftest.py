"""Shared fixtures: the published capture tables in ../shared/mse-data/ (never copied here)."""

from __future__ import annotations

from pathlib import Path

import pytest

from nmt.estimation import CaptureTable, read_capture_table

DATA = Path(__file__).resolve().parents[2].parent / "shared" / "mse-data"


@pytest.fixture
def load():
    """Load a published table by file stem, skipping when ../shared/mse-data is absent."""

    def _load(name: str) -> CaptureTable:
        path = DATA / f"{name}.csv"
        if not path.exists():
            pytest.skip(f"published capture tables not found at {DATA} (needs ../shared/mse-data)")
        return read_capture_table(path)

    return _load


@pytest.fixture
def data_file():
    """Path of a published table by file stem, skipping when ../shared/mse-data is absent."""

    def _path(name: str) -> Path:
        path = DATA / f"{name}.csv"
        if not path.exists():
            pytest.skip(f"published capture tables not found at {DATA} (needs ../shared/mse-data)")
        return path

    return _path
