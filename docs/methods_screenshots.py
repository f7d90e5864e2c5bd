"""Screenshots of method support for docs/methods.md: the guided workflow in a case, a library
search and the early-signals dashboard.

    .venv/bin/python docs/methods_screenshots.py [--out docs/img]

Builds a throw-away SQLite database with synthetic data, serves it on a local port and drives
Debian's Chromium (/usr/bin/chromium) with Playwright. Nothing outside the temporary directory and
the output PNGs is touched.
"""

from __future__ import annotations

import argparse
import datetime as dt
import io
import os
import sys
import tempfile
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from tests.methods.files import pdf_bytes  # noqa: E402  (the same small PDF the tests upload)

PASSWORD = "screenshots only, not a real password"  # noqa: S105


def _setup_django(data_dir: str) -> None:
    os.environ["NMT_DATA_DIR"] = data_dir
    os.environ["NMT_REQUIRE_TWO_FACTOR"] = "0"
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "nmt.config.settings")
    sys.path.insert(0, str(ROOT / "src"))
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)


def _docx(*paragraphs: str) -> bytes:
    import docx

    document = docx.Document()
    for paragraph in paragraphs:
        document.add_paragraph(paragraph)
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


def _user(username, first, last, role, agency, region=None):
    from nmt.accounts.models import Agency, Region, User

    user = User.objects.create_user(
        username=username,
        password=PASSWORD,
        first_name=first,
        last_name=last,
        role=role,
        agency=Agency.objects.get(code=agency),
        region=Region.objects.get(code=region) if region else None,
    )
    return user


def _history(actor, region, purpose, counts, today, **extra):
    from nmt.cases.models import Citizenship, Identification, IdentificationPurpose, Person

    persons = Person.objects.bulk_create([Person(sex="female") for _ in range(sum(counts))])
    Citizenship.objects.bulk_create([Citizenship(person=p, country="RO") for p in persons])
    people = iter(persons)
    cases = []
    start = Identification.objects.count()
    this_month = today.year * 12 + today.month - 1
    for i, count in enumerate(counts):
        index = this_month - (len(counts) - i)
        day = dt.date(index // 12, index % 12 + 1, 10)
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


def build_data() -> dict:
    """Users, a case part-way through the workflow, a library and six years of history."""
    import numpy as np
    from django.contrib.auth.models import Group
    from django.utils import timezone

    from nmt.accounts.models import Region
    from nmt.cases.services import PersonInput, case_register, measure_add
    from nmt.methods import services
    from nmt.methods.guidance_seed import NATIONAL_TEAM_GROUP

    today = timezone.localdate()
    regions = {r.code: r for r in Region.objects.all()}
    karin = _user("karin", "Karin", "Berg", "coordinator", "socialtjansten", "stockholm")
    nina = _user("nina", "Nina", "Lind", "analyst", "jamstalldhetsmyndigheten")
    nina.groups.add(Group.objects.get(name=NATIONAL_TEAM_GROUP))

    case = case_register(
        actor=karin,
        channel="regional_coordinator",
        identified_on=today - dt.timedelta(days=26),
        region=regions["stockholm"],
        person=PersonInput(
            given_name="Andrei", family_name="Munteanu", sex="male", citizenships=["RO"]
        ),
        purposes=["forced_labour"],
        industry="construction",
    )
    measure_add(
        actor=karin,
        case=case,
        kind="reflection_period",
        status="active",
        starts_on=today - dt.timedelta(days=24),
        applied_by="Polisen, region Stockholm",
    )
    measure_add(actor=karin, case=case, kind="interpreter", status="granted")
    services.workflow_update(
        actor=karin,
        case=case,
        tick={
            "contact-coordinator",
            "assess-safety",
            "interpreter",
            "police-report",
            "reflection-period",
            "labour-pay",
            "labour-housing",
            "general-debt",
        },
    )

    items = [
        (
            "document",
            "handbook",
            "Handbok: arbetskraftsexploatering i Sverige",
            "Tecken, branscher och samverkan med Arbetsmiljöverket.",
            ("pdf", "Skuldsattning, lon under avtal och boende hos arbetsgivaren."),
            ["forced_labour"],
        ),
        (
            "document",
            "template",
            "Mall: samverkansöverenskommelse om skyddat boende",
            "Att fylla i tillsammans med kommunen.",
            ("docx", "Overenskommelse om skyddat boende och tolk vid forsta samtalet."),
            [],
        ),
        (
            "page",
            "guidance",
            "Tolk i första samtalet",
            "Varför tolken aldrig ska vara någon som följer med personen.",
            (
                "body",
                "Boka tolk via telefon från en annan ort. Medföljande personer kan vara "
                "gärningspersoner; en professionell tolk är en del av säkerheten.",
            ),
            [],
        ),
        (
            "page",
            "training",
            "Barn som utnyttjas i kriminalitet",
            "Utbildningsmaterial för skola och socialtjänst.",
            ("body", "Barn i kriminella nätverk är brottsoffer. Tolk och god man behövs ofta."),
            ["crime"],
        ),
    ]
    for kind, category, title, summary, (form, text), purposes in items:
        content = {}
        if form == "pdf":
            content = {"upload": io.BytesIO(pdf_bytes(text)), "filename": "handbok.pdf"}
        elif form == "docx":
            content = {"upload": io.BytesIO(_docx(text)), "filename": "mall.docx"}
        else:
            content = {"body": text}
        services.library_item_create(
            actor=nina,
            kind=kind,
            category=category,
            title=title,
            summary=summary,
            purposes=purposes,
            **content,
        )

    rng = np.random.default_rng(2025)
    begging = [int(x) for x in rng.poisson(2.5, 72)]
    begging[-2:] = [9, 16]
    _history(karin, regions["stockholm"], "begging", begging, today)
    _history(karin, regions["vast"], "sexual", [int(x) for x in rng.poisson(6, 72)], today)
    _history(
        karin,
        regions["syd"],
        "forced_labour",
        [int(x) for x in rng.poisson(4, 72)],
        today,
        industry="berry_picking",
    )
    return {"case": case.case_number}


def shoot(base_url: str, out: Path, case_number: str) -> list[Path]:
    from playwright.sync_api import sync_playwright

    shots = []
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path="/usr/bin/chromium", args=["--no-sandbox", "--disable-gpu"]
        )

        def page_for(username: str):
            context = browser.new_context(
                base_url=base_url, locale="sv-SE", viewport={"width": 1280, "height": 900}
            )
            page = context.new_page()
            page.goto("/login/")
            page.locator("input[name=username]").fill(username)
            page.locator("input[name=password]").fill(PASSWORD)
            page.locator("form button[type=submit]").last.click()
            page.wait_for_load_state("networkidle")
            return page

        karin = page_for("karin")
        karin.goto(f"/cases/{case_number}/")
        panel = karin.locator("#workflow")
        panel.scroll_into_view_if_needed()
        path = out / "methods-workflow.png"
        karin.screenshot(path=path, full_page=True)
        shots.append(path)

        karin.goto("/library/?q=tolk")
        path = out / "methods-library-search.png"
        karin.screenshot(path=path, full_page=True)
        shots.append(path)

        nina = page_for("nina")
        nina.goto("/signals/")
        path = out / "methods-signals.png"
        nina.screenshot(path=path, full_page=False)
        shots.append(path)
        browser.close()
    return shots


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=ROOT / "docs" / "img")
    args = parser.parse_args()
    args.out.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(prefix="nmt-screens-") as data_dir:
        _setup_django(data_dir)
        data = build_data()
        from django.db import connections
        from django.test.testcases import LiveServerThread

        connections.close_all()
        server = LiveServerThread("127.0.0.1", static_handler=_static_handler(), port=0)
        server.daemon = True
        server.start()
        server.is_ready.wait()
        if server.error:
            raise server.error
        try:
            base_url = f"http://127.0.0.1:{server.port}"
            with ThreadPoolExecutor(max_workers=1) as pool:
                shots = pool.submit(shoot, base_url, args.out, data["case"]).result()
        finally:
            server.terminate()
    for path in shots:
        print(path.relative_to(ROOT) if path.is_relative_to(ROOT) else path)
    return 0


def _static_handler():
    from django.contrib.staticfiles.handlers import StaticFilesHandler

    return StaticFilesHandler


if __name__ == "__main__":
    raise SystemExit(main())
