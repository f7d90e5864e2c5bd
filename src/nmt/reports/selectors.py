"""Reads of the reports app, through the report policy (analysts only; 404 for everyone else)."""

from __future__ import annotations

from typing import Any

from django.http import Http404

from nmt.reports.models import AgencyList, ReportRun
from nmt.reports.policies import report_policy


def run_list(*, actor: Any) -> list[ReportRun]:
    return list(
        report_policy.visible_runs(actor)
        .defer("results_blob", "persons_blob", "membership_blob", "model_blob")
        .order_by("-created_at", "-id")[:100]
    )


def run_get(*, actor: Any, run_id: int) -> ReportRun:
    try:
        return report_policy.visible_runs(actor).get(pk=run_id)
    except ReportRun.DoesNotExist:
        raise Http404 from None


def list_list(*, actor: Any) -> list[AgencyList]:
    return list(report_policy.visible_lists(actor).select_related("imported_by"))
