"""Early signals on a registry history: a planted rise signals, stable series stay quiet, only the
national team sees the board, and nothing shown is a small exact count."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied
from tests.methods.history import bulk_history, stable_counts

from nmt.audit.models import AuditEvent
from nmt.methods.signals import compute_board, signal_board

TODAY = dt.date(2025, 11, 15)


@pytest.fixture
def history(personas, region):
    anna = personas.coordinator_stockholm
    sara = personas.coordinator_syd
    # Begging in Stockholm: about 2 a month for six years, then 14 last month.
    begging = stable_counts(1, 2.0)
    begging[-1] = 14
    bulk_history(
        actor=anna,
        region=region["stockholm"],
        purpose="begging",
        counts=begging,
        today=TODAY,
        industry="",
    )
    # Sexual purposes in Syd: stable around 4, labour in the restaurant trade stable around 3.
    bulk_history(
        actor=sara,
        region=region["syd"],
        purpose="sexual",
        counts=stable_counts(2, 4.0),
        today=TODAY,
    )
    bulk_history(
        actor=sara,
        region=region["syd"],
        purpose="forced_labour",
        counts=stable_counts(3, 3.0),
        today=TODAY,
        industry="restaurant",
    )


def test_a_planted_rise_signals_and_stable_series_do_not(history):
    board = compute_board(today=TODAY)
    assert board.last_month == "2025-10"
    signalling = {(s.dimension, s.category) for s in board.signals}
    assert ("purpose", "begging") in signalling
    assert ("purpose", "sexual") not in signalling
    assert ("industry", "restaurant") not in signalling
    begging = next(s for s in board.series if (s.dimension, s.category) == ("purpose", "begging"))
    last = begging.points[-1]
    assert last.alarm
    assert last.month == "2025-10"
    assert last.expected < last.upper < 10
    assert len(begging.points) == 24


def test_nothing_shown_is_a_small_exact_count(history):
    board = compute_board(today=TODAY)
    shown = [p.published for s in board.series for p in s.points]
    assert shown
    assert not {1, 2} & set(shown)
    data = board.to_dict()
    assert "original" not in str(data)
    assert all(
        p["expected"] is None or float(p["expected"]).is_integer()
        for s in data["series"]
        for p in s["points"]
    )


def test_only_the_national_team_sees_the_board(personas, national, history, client_of):
    for persona in ("analyst", "coordinator_stockholm", "supportline", "admin", "auditor"):
        with pytest.raises(PermissionDenied):
            signal_board(actor=getattr(personas, persona), today=TODAY)
        assert client_of(getattr(personas, persona)).get("/signals/").status_code == 404
    board = signal_board(actor=national, today=TODAY)
    assert board.series
    assert AuditEvent.objects.filter(object_type="signals", actor=national).exists()


def test_the_dashboard_renders_charts_without_scripts(national, history, client_of):
    page = client_of(national).get("/signals/").content.decode()
    assert "<svg" in page
    assert 'class="band"' in page
    assert "<script>" not in page
    assert " style=" not in page
