"""Who may use national statistics: analysts only ("pseudonymised, aggregate data only").

Analysts import agency lists, make yearly runs and see their unprotected figures (the analyst
role's working material); everyone else gets 404 for every page and file of this app, as if it
did not exist. Published outputs are the protected tables only; the unprotected figures never
leave the analyst role.
"""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet

from nmt.access.policies import is_active_user
from nmt.accounts.models import Role
from nmt.reports.models import AgencyList, ReportRun


class ReportPolicy:
    def can_use(self, actor: Any) -> bool:
        if not is_active_user(actor):
            return False
        return actor.role == Role.ANALYST

    def visible_runs(self, actor: Any) -> QuerySet[ReportRun]:
        if not self.can_use(actor):
            return ReportRun.objects.none()
        return ReportRun.objects.all()

    def visible_lists(self, actor: Any) -> QuerySet[AgencyList]:
        if not self.can_use(actor):
            return AgencyList.objects.none()
        return AgencyList.objects.all()


report_policy = ReportPolicy()
