"""The web UI in a real browser: Playwright driving Debian's Chromium against the live server.

One browser for the module, a fresh context (cookies, storage) per user and test. Labels and
button names are looked up through the translation catalog, so the tests hold whether or not a
string has been translated to Swedish yet. On failure every open page is saved as a screenshot
under ``test-results/``.
"""

from __future__ import annotations

import datetime as dt
import re
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest
from django.utils import timezone, translation
from tests.conftest import PASSWORD

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
RESULTS = Path(__file__).resolve().parents[2] / "test-results"

playwright_sync = pytest.importorskip("playwright.sync_api")
expect = playwright_sync.expect

pytestmark = [
    pytest.mark.browser,
    pytest.mark.skipif(
        not CHROMIUM.exists(),
        reason="Debian's Chromium is missing at /usr/bin/chromium (scripts/test installs it)",
    ),
    # The live server reads what the test commits.
    pytest.mark.django_db(transaction=True),
]


def sv(message: str) -> str:
    with translation.override("sv"):
        return translation.gettext(message)


def en(message: str) -> str:
    with translation.override("en"):
        return translation.gettext(message)


class Browser:
    """Chromium driven from a thread of its own.

    Playwright's sync API keeps an asyncio loop running in the thread that uses it, and Django
    switches its database connections to per-context storage in a thread with a running loop.
    So the browser lives in a worker thread, and the test's own thread keeps a plain Django
    database connection for fixtures and checks.
    """

    def __init__(self) -> None:
        self._worker = ThreadPoolExecutor(max_workers=1, thread_name_prefix="playwright")
        self._playwright, self._chromium = self._call(self._start)

    @staticmethod
    def _start():
        playwright = playwright_sync.sync_playwright().start()
        try:
            chromium = playwright.chromium.launch(
                executable_path=str(CHROMIUM), args=CHROMIUM_ARGS, headless=True
            )
        except BaseException:
            playwright.stop()
            raise
        return playwright, chromium

    def _call(self, function, *args, **kwargs):
        return self._worker.submit(function, *args, **kwargs).result()

    def run(self, scenario, *, base_url: str, screenshot_name: str, **kwargs):
        """Run ``scenario(new_page, **kwargs)`` in the browser thread; screenshots on failure."""
        return self._call(self._run, scenario, base_url, screenshot_name, kwargs)

    def _run(self, scenario, base_url, screenshot_name, kwargs):
        contexts = []

        def new_page(locale: str = "sv-SE"):
            context = self._chromium.new_context(
                base_url=base_url, locale=locale, extra_http_headers={"Accept-Language": locale}
            )
            context.set_default_timeout(10_000)
            contexts.append(context)
            return context.new_page()

        try:
            return scenario(new_page, **kwargs)
        except BaseException:
            RESULTS.mkdir(exist_ok=True)
            for number, context in enumerate(contexts):
                for index, page in enumerate(context.pages):
                    path = RESULTS / f"{screenshot_name}-{number}-{index}.png"
                    page.screenshot(path=path, full_page=True)
            raise
        finally:
            for context in contexts:
                context.close()

    def close(self) -> None:
        try:
            self._call(self._chromium.close)
            self._call(self._playwright.stop)
        finally:
            self._worker.shutdown()


@pytest.fixture(scope="module")
def chromium():
    browser = Browser()
    yield browser
    browser.close()


@pytest.fixture
def browse(chromium, live_server, request):
    name = re.sub(r"[^\w.-]+", "_", request.node.name)

    def run(scenario, **kwargs):
        return chromium.run(scenario, base_url=live_server.url, screenshot_name=name, **kwargs)

    return run


def field(page, message: str, translate=sv):
    """The form control labelled ``message``, whether or not marked as required."""
    return page.get_by_label(re.compile(rf"^{re.escape(translate(message))}(\s|$)"))


def section(page, heading: str):
    """A dashboard section, by the start of its heading (a count may follow)."""
    return page.get_by_role("region", name=re.compile(rf"^{re.escape(sv(heading))}"))


def log_in(page, user) -> None:
    page.goto("/login/")
    expect(page.locator("html")).to_have_attribute("lang", "sv")
    page.get_by_label(sv("Username")).fill(user.username)
    page.get_by_label(sv("Password")).fill(PASSWORD)
    page.get_by_role("button", name=sv("Log in"), exact=True).click()
    expect(page.get_by_role("heading", level=1)).to_contain_text(user.first_name)


def test_register_refer_and_the_liaison_sees_it_while_open(browse, personas, agency):
    from nmt.cases.models import Identification

    case_number = browse(
        _register_refer_accept_close,
        coordinator=personas.coordinator_stockholm,
        liaison=personas.liaison_migrationsverket,
        other_region=personas.coordinator_syd,
        migrationsverket=agency["migrationsverket"].pk,
    )

    case = Identification.objects.get(case_number=case_number)
    assert case.region.code == "stockholm"
    assert case.registered_by == personas.coordinator_stockholm
    assert case.person.family_name == "Popescu"
    assert [c.country for c in case.person.citizenships.all()] == ["RO"]
    assert [p.purpose for p in case.purpose_rows.all()] == ["sexual"]
    (measure,) = case.measures.all()
    assert measure.kind == "reflection_period"
    assert measure.ends_on - measure.starts_on == dt.timedelta(days=30)
    (referral,) = case.referrals.all()
    assert (referral.legal_ground, referral.consent) == ("consent", "given")
    assert referral.responded_by == personas.liaison_migrationsverket
    assert referral.status == "closed"


def _register_refer_accept_close(new_page, coordinator, liaison, other_region, migrationsverket):
    today = timezone.localdate()
    page = new_page()
    log_in(page, coordinator)

    # Register a suspected victim: name, citizenship, purpose; date, channel, region preset.
    page.get_by_role("link", name=sv("Register a suspected victim")).click()
    expect(field(page, "Region")).to_have_value(str(coordinator.region_id))
    page.get_by_label(sv("Given names")).fill("Ioana")
    page.get_by_label(sv("Family name")).fill("Popescu")
    field(page, "Citizenship").select_option("RO")
    page.get_by_label(sv("Sexual purposes")).check()
    page.get_by_role("button", name=sv("Register"), exact=True).click()
    expect(page).to_have_url(re.compile(r"/cases/NMT-\d{4}-\d{5}/$"))
    case_url = page.url
    case_number = re.search(r"NMT-\d{4}-\d{5}", case_url).group(0)
    expect(page.get_by_role("heading", level=1)).to_contain_text("Ioana Popescu")
    expect(page.get_by_role("region", name=sv("The person"))).to_contain_text("Rumänien")
    identification = page.get_by_role("region", name=sv("Identification"))
    expect(identification).to_contain_text(sv("Sexual purposes"))

    # A reflection period that started 25 days ago: its statutory 30 days end in 5.
    page.get_by_role("link", name=sv("Apply for a reflection period")).click()
    expect(field(page, "Measure")).to_have_value("reflection_period")
    page.get_by_label(sv("Applied for by")).fill("Socialtjänsten Stockholm")
    starts = today - dt.timedelta(days=25)
    field(page, "Starts").fill(starts.isoformat())
    page.get_by_role("button", name=sv("Save"), exact=True).click()
    measures = page.get_by_role("region", name=sv("Measures"))
    expect(measures).to_contain_text(sv("Reflection period"))
    expect(measures).to_contain_text((starts + dt.timedelta(days=30)).isoformat())

    # Refer to Migrationsverket on the person's consent.
    page.get_by_role("link", name=sv("Refer to another agency")).click()
    field(page, "To").select_option(str(migrationsverket))
    page.get_by_label(sv("Consent of the person")).check()
    field(page, "The person's consent").select_option("given")
    page.get_by_role("button", name=sv("Refer"), exact=True).click()
    referrals = page.get_by_role("region", name=sv("Referrals"))
    expect(referrals).to_contain_text("Migrationsverket")
    expect(referrals).to_contain_text(sv("Awaiting answer"))

    # The deadline is on the coordinator's dashboard.
    page.get_by_role("link", name=sv("Overview")).click()
    deadlines = section(page, "Deadlines in the next 7 days")
    expect(deadlines.get_by_role("link", name=case_number)).to_be_visible()

    # The liaison sees the referral on the dashboard, opens the case and accepts it.
    liaison_page = new_page()
    log_in(liaison_page, liaison)
    inbox = section(liaison_page, "Referrals to my agency")
    inbox.get_by_role("link", name=case_number).click()
    expect(liaison_page.get_by_role("heading", level=1)).to_contain_text("Ioana Popescu")
    liaison_page.get_by_role("button", name=sv("Accept"), exact=True).click()
    expect(liaison_page.get_by_role("region", name=sv("Referrals"))).to_contain_text(sv("Accepted"))

    # A coordinator of another region gets the same 404 as for a missing case.
    other_page = new_page()
    log_in(other_page, other_region)
    assert other_page.goto(case_url).status == 404
    assert other_page.goto("/cases/NMT-1999-00001/").status == 404

    # When the coordinator closes the referral, the liaison loses the case.
    page.goto(case_url)
    page.get_by_role("button", name=sv("Close referral"), exact=True).click()
    expect(page.get_by_role("region", name=sv("Referrals"))).to_contain_text(sv("Closed"))
    assert liaison_page.goto(case_url).status == 404
    liaison_page.goto("/")
    expect(
        section(liaison_page, "Referrals to my agency").get_by_role("link", name=case_number)
    ).to_have_count(0)
    return case_number


def test_keyboard_only_registration_with_visible_focus(browse, personas):
    from nmt.cases.models import Identification

    case_number = browse(_keyboard_registration, user=personas.coordinator_stockholm)
    case = Identification.objects.get(case_number=case_number)
    assert case.person.given_name == "Tangent"
    assert case.region == personas.coordinator_stockholm.region


def _keyboard_registration(new_page, user):
    page = new_page()
    page.goto("/login/")
    # The username field has focus on load; Tab moves to the password, Enter submits.
    expect(page.get_by_label(sv("Username"))).to_be_focused()
    page.keyboard.type(user.username)
    page.keyboard.press("Tab")
    page.keyboard.type(PASSWORD)
    page.keyboard.press("Enter")
    expect(page.get_by_role("heading", level=1)).to_contain_text(user.first_name)

    page.goto("/cases/new/")
    # The first Tab stop is the skip link, which shows itself when focused.
    page.keyboard.press("Tab")
    skip = page.get_by_role("link", name=sv("Skip to content"))
    expect(skip).to_be_focused()
    expect(skip).to_be_in_viewport()

    _tab_to(page, "id_person-given_name")
    given_name = page.get_by_label(sv("Given names"))
    expect(given_name).to_be_focused()
    outline = given_name.evaluate(
        "el => { const s = getComputedStyle(el);"
        " return {style: s.outlineStyle, width: parseFloat(s.outlineWidth)}; }"
    )
    assert outline["style"] not in ("none", "hidden"), outline
    assert outline["width"] >= 2, outline
    page.keyboard.type("Tangent")

    _tab_to(page, sv("Register"))
    page.keyboard.press("Enter")
    expect(page).to_have_url(re.compile(r"/cases/NMT-\d{4}-\d{5}/$"))
    expect(page.get_by_role("heading", level=1)).to_contain_text("Tangent")
    return re.search(r"NMT-\d{4}-\d{5}", page.url).group(0)


def _focused(page) -> str:
    return page.evaluate("document.activeElement.id || document.activeElement.textContent.trim()")


def _tab_to(page, target: str, limit: int = 100) -> None:
    for _ in range(limit):
        page.keyboard.press("Tab")
        if _focused(page) == target:
            return
    raise AssertionError(f"Tab never reached {target!r}")


def test_swedish_by_default_and_the_language_switch(browse, personas):
    browse(_language_switch, user=personas.coordinator_stockholm)


def _language_switch(new_page, user):
    # A browser that asks for English still gets Swedish until the user chooses otherwise.
    page = new_page(locale="en-GB")
    assert page.evaluate("navigator.language") == "en-GB"
    log_in(page, user)
    expect(page.locator("html")).to_have_attribute("lang", "sv")

    page.get_by_label(sv("Language")).select_option("en")
    page.get_by_role("button", name=sv("Change"), exact=True).click()
    expect(page.locator("html")).to_have_attribute("lang", "en")
    welcome = en("Welcome, %(name)s") % {"name": user.first_name}
    expect(page.get_by_role("heading", level=1)).to_have_text(welcome)
    expect(page.get_by_role("link", name=en("Register a suspected victim"))).to_be_visible()

    # The choice holds on the next page, and switching back gives Swedish again.
    page.get_by_role("link", name=en("Cases"), exact=True).click()
    expect(page.locator("html")).to_have_attribute("lang", "en")
    expect(page.get_by_role("heading", level=1)).to_have_text(en("Cases"))
    page.get_by_label(en("Language")).select_option("sv")
    page.get_by_role("button", name=en("Change"), exact=True).click()
    expect(page.locator("html")).to_have_attribute("lang", "sv")
