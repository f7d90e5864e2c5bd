"""A social worker follows the guided workflow in a new case, in a real browser (Debian's
Chromium through Playwright, as tests/web/test_browser.py)."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from django.utils import timezone
from tests.web.test_browser import CHROMIUM, Browser, expect, field, log_in, sv

pytestmark = [
    pytest.mark.browser,
    pytest.mark.skipif(not CHROMIUM.exists(), reason="Debian's Chromium is missing"),
    pytest.mark.django_db(transaction=True),
]


@pytest.fixture(scope="module")
def chromium():
    browser = Browser()
    yield browser
    browser.close()


def test_a_worker_follows_the_guided_workflow_in_a_new_case(
    chromium, live_server, personas, guidance
):
    case_number = chromium.run(
        _follow_workflow,
        base_url=live_server.url,
        screenshot_name="guided-workflow",
        worker=personas.coordinator_stockholm,
    )
    from nmt.methods.models import CaseGuidance

    followed = CaseGuidance.objects.get(identification__case_number=case_number)
    assert followed.version.number == 1
    assert set(followed.ticks.values_list("item__key", flat=True)) == {
        "contact-coordinator",
        "assess-safety",
        "labour-pay",
        "reflection-period",
    }


def _follow_workflow(new_page, worker):
    today = timezone.localdate()
    page = new_page()
    log_in(page, worker)

    # A new case: forced labour, nothing else known yet.
    page.goto("/cases/new/")
    page.get_by_label(sv("Given names")).fill("Tomasz")
    page.get_by_label(sv("Forced labour")).check()
    page.get_by_role("button", name=sv("Register"), exact=True).click()
    expect(page).to_have_url(re.compile(r"/cases/NMT-\d{4}-\d{5}/$"))
    case_number = re.search(r"NMT-\d{4}-\d{5}", page.url).group(0)

    # The workflow panel: the first step comes next; labour indicators, not those of begging.
    panel = page.get_by_role("region", name=sv("Guided workflow"))
    expect(panel).to_contain_text("Kontakta regionkoordinatorn eller stödtelefonen")
    expect(panel.get_by_label("Lön långt under avtal, eller ingen lön alls")).to_be_visible()
    expect(panel.get_by_label("Lämnar det insamlade till någon annan")).to_have_count(0)

    # Tick what was done at the first meeting and save (htmx swaps the panel in place).
    panel.get_by_label("Kontakta regionkoordinatorn eller stödtelefonen").check()
    panel.get_by_label("Bedöm säkerheten, nu och framåt").check()
    panel.get_by_label("Lön långt under avtal, eller ingen lön alls").check()
    panel.get_by_role("button", name=sv("Save the workflow")).click()
    panel = page.get_by_role("region", name=sv("Guided workflow"))
    expect(panel.get_by_label("Bedöm säkerheten, nu och framåt")).to_be_checked()
    expect(panel.locator(".next-steps li").first).to_contain_text("Ordna skyddat boende")

    # A reflection period that started 20 days ago: its end date appears as the deadline.
    page.get_by_role("link", name=sv("Apply for a reflection period")).click()
    starts = today - dt.timedelta(days=20)
    field(page, "Starts").fill(starts.isoformat())
    page.get_by_role("button", name=sv("Save"), exact=True).click()
    panel = page.get_by_role("region", name=sv("Guided workflow"))
    ends = (starts + dt.timedelta(days=30)).isoformat()
    expect(panel).to_contain_text(ends)

    # The step is done; after a reload everything ticked is still ticked.
    panel.get_by_label("Ansök om betänketid").check()
    panel.get_by_role("button", name=sv("Save the workflow")).click()
    expect(
        page.get_by_role("region", name=sv("Guided workflow")).get_by_label("Ansök om betänketid")
    ).to_be_checked()
    # Let the htmx request settle first: the live server's SQLite takes one writer at a time.
    page.wait_for_load_state("networkidle")
    page.goto(f"/cases/{case_number}/")
    panel = page.get_by_role("region", name=sv("Guided workflow"))
    for label in ("Kontakta regionkoordinatorn eller stödtelefonen", "Ansök om betänketid"):
        expect(panel.get_by_label(label)).to_be_checked()
    return case_number
