"""The situation report on the demo registry's last full year: numbers against an independent
count, disclosure control (flags, differencing, CKM consistency), the HTCDS file, the PDF, the
command, and access (analysts only; exports audited)."""

from __future__ import annotations

import datetime as dt
import io
from collections import defaultdict

import pandas as pd
from django.db import connection
from django.test import TestCase, override_settings
from django.urls import reverse
from tests.conftest import make_user
from tests.disclosure.attacks import lp_intervals, subtraction_attack

from nmt.audit.models import AuditEvent
from nmt.demo.generator import DemoData, generate_demo
from nmt.demo.seed import seed_demo_data
from nmt.demo.users import ensure_demo_users, registrars
from nmt.disclosure import TOTAL, check_k_anonymity
from nmt.reports import registry, render, yearly
from nmt.reports.htcds import COLUMNS, QUASI_IDENTIFIERS, htcds_export
from nmt.reports.models import unpack
from nmt.reports.services import RunSettings, record_key_secret, report_run_create

FAST_HASHER = ["django.contrib.auth.hashers.MD5PasswordHasher"]
YEAR = dt.date.today().year - 1


def _one_year(data: DemoData) -> DemoData:
    cases = [c for c in data.identifications if c.identified_on.year == YEAR]
    keys = {c.person for c in cases}
    return DemoData(
        humans=data.humans,
        persons=[p for p in data.persons if p.key in keys],
        identifications=cases,
        contacts=[c for c in data.contacts if c.occurred_at.year == YEAR],
    )


def _independent_persons(run) -> pd.DataFrame:
    """Person facts counted again from the raw rows with SQL and plain Python, using only the
    run's record -> person assignment."""
    membership = pd.DataFrame(unpack(run.membership_blob))
    column = f"t{run.settings['threshold']:g}"
    person_of = {
        int(r[1:]): token
        for r, token in zip(membership["record_id"], membership[column], strict=True)
        if r.startswith("R")
    }
    with connection.cursor() as cursor:
        cursor.execute(
            """
            SELECT i.id, i.person_id, i.channel, i.identified_on, i.age_group, i.industry,
                   r.code, p.sex
            FROM cases_identification i
            JOIN accounts_region r ON r.id = i.region_id
            JOIN cases_person p ON p.id = i.person_id
            WHERE i.identified_on BETWEEN %s AND %s
            ORDER BY i.identified_on, i.id
            """,
            [dt.date(YEAR, 1, 1), dt.date(YEAR, 12, 31)],
        )
        cases = cursor.fetchall()
        cursor.execute("SELECT identification_id, purpose FROM cases_identificationpurpose")
        purposes = defaultdict(set)
        for case_id, purpose in cursor.fetchall():
            purposes[case_id].add(purpose)
        cursor.execute("SELECT person_id, country FROM cases_citizenship ORDER BY id")
        citizenship = {}
        for person_id, country in cursor.fetchall():
            citizenship.setdefault(person_id, country)
    people: dict[str, dict] = {}
    for case_id, person_id, channel, _on, age_group, industry, region, sex in cases:
        token = person_of[person_id]
        p = people.setdefault(
            token,
            {
                "sources": set(),
                "sex": "unknown",
                "age_group": "unknown",
                "region": "unknown",
                "purposes": set(),
                "citizenship": "unknown",
                "industry": "unknown",
            },
        )
        p["sources"].add(yearly.CHANNEL_SOURCE.get(channel, yearly.OTHER_SOURCE))
        if p["sex"] == "unknown" and sex != "unknown":
            p["sex"] = sex
        if p["age_group"] == "unknown" and age_group != "unknown":
            p["age_group"] = age_group
        if p["region"] == "unknown":
            p["region"] = region
        if p["citizenship"] == "unknown" and person_id in citizenship:
            p["citizenship"] = citizenship[person_id]
        p["purposes"] |= purposes[case_id] - {"unknown"}
        if p["industry"] == "unknown" and "forced_labour" in purposes[case_id] and industry:
            p["industry"] = industry
    return pd.DataFrame(
        [{"person": k, **v, "purposes": v["purposes"] or {"unknown"}} for k, v in people.items()]
    )


def _cells(table: dict) -> dict:
    return {tuple(sorted(c["coordinates"].items())): c for c in table["cells"]}


@override_settings(PASSWORD_HASHERS=FAST_HASHER)
class ReportTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        today = dt.date.today()
        logins = ensure_demo_users()
        seed_demo_data(
            data=_one_year(generate_demo(3, today)), users=registrars(logins), seed=3, today=today
        )
        cls.analyst = make_user("ann_analys", "analyst", "jamstalldhetsmyndigheten")
        cls.coordinator = make_user("kim_sthlm", "coordinator", "socialtjansten", "stockholm")
        cls.ckm = report_run_create(actor=cls.analyst, year=YEAR)
        cls.sup = report_run_create(
            actor=cls.analyst,
            year=YEAR,
            run_settings=RunSettings(disclosure="suppression", reuse_model=True),
        )

    # ----------------------------------------------------------------------- the numbers

    def test_numbers_equal_an_independent_count(self):
        persons = _independent_persons(self.ckm)
        truth = unpack(self.ckm.results_blob)["tables"]
        sex_age = _cells(truth["sex_age"])
        for (sex, group), n in persons.groupby(["sex", "age_group"]).size().items():
            cell = sex_age[(("age_group", group), ("sex", sex))]
            assert cell["original"] == n, (sex, group)
        assert sex_age[(("age_group", TOTAL), ("sex", TOTAL))]["original"] == len(persons)
        region = _cells(truth["region"])
        for code, n in persons["region"].value_counts().items():
            assert region[(("region", code),)]["original"] == n
        purpose = _cells(truth["purpose_age"])
        for code in yearly.PURPOSES:
            n = sum(code in ps for ps in persons["purposes"])
            assert purpose[(("age_group", TOTAL), ("purpose", code))]["original"] == n
        overlap = _cells(truth["overlap"])
        sources = self.ckm.summary["sources"]
        for s in sources:
            n = sum(s in ss for ss in persons["sources"])
            key = tuple(sorted((f"in_{x}", "yes" if x == s else TOTAL) for x in sources))
            assert overlap[key]["original"] == n
        industry = _cells(truth["industry"])
        labour = persons[[("forced_labour" in ps) for ps in persons["purposes"]]]
        for code, n in labour["industry"].value_counts().items():
            assert industry[(("industry", code), ("purpose", "forced_labour"))]["original"] == n

    def test_published_values_stay_close_to_the_truth(self):
        truth = unpack(self.ckm.results_blob)["tables"]
        for name, table in truth.items():
            for cell in table["cells"]:
                assert abs(cell["value"] - cell["original"]) <= 3, name
                assert cell["value"] not in (1, 2), name
        truth = unpack(self.sup.results_blob)["tables"]
        for table in truth.values():
            for cell in table["cells"]:
                if cell["value"] is not None:
                    assert cell["value"] == cell["original"]

    def test_records_of_one_registry_person_are_one_person(self):
        membership = pd.DataFrame(unpack(self.ckm.membership_blob))
        column = f"t{self.ckm.settings['threshold']:g}"
        registry_rows = membership[membership["registry_person"].notna()]
        assert len(registry_rows) == len(membership)
        per_person = registry_rows.groupby("registry_person")[column].nunique()
        assert (per_person == 1).all()
        # A person is named by the smallest registry person linked into it.
        for person, token in zip(
            registry_rows["registry_person"], registry_rows[column], strict=True
        ):
            assert token.startswith("R")
            assert int(token[1:]) <= int(person)
        linked_together = registry_rows.groupby(column)["registry_person"].nunique()
        assert (linked_together > 1).any(), "the demo has duplicate registrations to link"

    def test_the_registry_is_read_as_the_orm_reads_it(self):
        from nmt.cases.models import Person

        identities, facts = registry.registry_lists(registry.read_registry(YEAR))
        people = {
            p.pk: p
            for p in Person.objects.filter(identifications__identified_on__year=YEAR).distinct()
        }
        assert sorted(identities["registry_person"]) == sorted(people)
        assert set(facts["registry_person"]) == set(people)
        for row in identities.itertuples():
            person = people[row.registry_person]
            assert row.record_id == f"R{person.pk}"
            assert row.given_name == (person.given_name or None)
            assert row.family_name == (person.family_name or None)
            assert row.birth_date == (person.birth_date or None)
            document = person.documents.order_by("id").first()
            if document is None:
                assert row.id_number is None

    def test_an_imported_list_links_to_the_registry_persons(self):
        from nmt.cases.models import Person
        from nmt.reports.services import agency_list_import

        person = next(
            p
            for p in Person.objects.filter(identifications__identified_on__year=YEAR).order_by("id")
            if p.given_name and p.family_name and len(p.birth_date) == 10
        )
        country = person.citizenships.order_by("id").first()
        data = (
            "record_id;given_name;family_name;birth_date;sex;citizenship;identification_date;"
            "purposes\n"
            f"A1;{person.given_name};{person.family_name};{person.birth_date};{person.sex};"
            f"{country.country if country else ''};{YEAR}-06-01;sexual\n"
            f"A2;Zebulon;Quixotewright;1950-01-01;male;NO;{YEAR}-06-02;crime\n"
        ).encode()
        agency_list_import(
            actor=self.analyst,
            data=data,
            filename="ngo.csv",
            source="ngo_test",
            origin="NGO",
            period_start=dt.date(YEAR, 1, 1),
            period_end=dt.date(YEAR, 12, 31),
        )
        run = report_run_create(
            actor=self.analyst, year=YEAR, run_settings=RunSettings(reuse_model=True)
        )
        assert run.settings["model_from_run"] is not None
        membership = pd.DataFrame(unpack(run.membership_blob))
        column = f"t{run.settings['threshold']:g}"
        token = dict(
            zip(
                membership["source"] + ":" + membership["record_id"],
                membership[column],
                strict=True,
            )
        )
        mine = membership.loc[membership["registry_person"] == person.pk, column]
        assert token["ngo_test:A1"] == mine.iloc[0]
        assert token["ngo_test:A2"] == "Lngo_test:A2"
        assert "ngo_test" in run.summary["sources"]
        overlap = _cells(unpack(run.results_blob)["tables"]["overlap"])
        sources = run.summary["sources"]
        key = tuple(sorted((f"in_{x}", "yes" if x == "ngo_test" else TOTAL) for x in sources))
        assert overlap[key]["original"] == 2

    # ------------------------------------------------------------------ disclosure control

    def test_no_small_cell_is_published_unflagged(self):
        truth = unpack(self.sup.results_blob)["tables"]
        for name, table in self.sup.published.items():
            originals = _cells(truth[name]) if name in truth else {}
            for cell in table["cells"]:
                if cell["value"] is not None:
                    assert not 1 <= cell["value"] < 5, (name, cell)
                else:
                    assert cell["flags"] == ["suppressed"]
                key = tuple(sorted(cell["coordinates"].items()))
                if key in originals and 1 <= originals[key]["original"] < 5:
                    assert cell["value"] is None
        for table in self.ckm.published.values():
            for cell in table["cells"]:
                assert "perturbed" in cell["flags"]
                if cell["value"] is not None and cell["value"] < 10:
                    assert "small" in cell["flags"]

    def test_a_differencing_attack_on_the_suppressed_tables_fails(self):
        persons = pd.DataFrame(unpack(self.sup.persons_blob))
        persons["sources"] = persons["sources"].map(tuple)
        persons["purposes"] = persons["purposes"].map(tuple)
        persons["measures"] = persons["measures"].map(tuple)
        summary = self.sup.summary
        records = yearly.table_records(persons, summary["sources"], summary["countries"])
        specs = yearly.table_specs(summary["sources"], summary["countries"], summary["regions"])
        protection = yearly.protect(records, specs, "suppression", record_key_secret())
        tables = list(protection.tables.values())
        small = {
            frozenset((v, c) for v, c in cell.coordinates if c != TOTAL)
            for t in tables
            for cell in t.cells
            if cell.suppression == "primary"
        }
        assert small, "the demo year should have small cells to protect"
        recovered = subtraction_attack(tables)
        assert not (set(recovered) & small)
        intervals, truth = lp_intervals(tables, only=small)
        assert set(intervals) == small
        for cell, (low, high) in intervals.items():
            assert high >= truth[cell] + 3, cell
            assert low <= max(1, truth[cell] - 3), cell
        # The published tables are those the run kept.
        for t in tables:
            kept = _cells(self.sup.published[t.name])
            for cell in t.cells:
                assert kept[tuple(sorted(cell.coordinates))]["value"] == cell.value

    def test_ckm_gives_the_same_figure_for_the_same_persons_everywhere(self):
        published = self.ckm.published
        totals = {
            name: _cells(t)[tuple(sorted((v, TOTAL) for v in t["variables"]))]["value"]
            for name, t in published.items()
            if name != "calls"
        }
        assert len(set(totals.values())) == 1, totals
        children_sex = _cells(published["sex_age"])[(("age_group", "child"), ("sex", TOTAL))]
        children_purpose = _cells(published["purpose_age"])[
            (("age_group", "child"), ("purpose", TOTAL))
        ]
        assert children_sex["value"] == children_purpose["value"]
        persons = pd.DataFrame(unpack(self.ckm.persons_blob))
        for column in ("sources", "purposes", "measures"):
            persons[column] = persons[column].map(tuple)
        summary = self.ckm.summary
        records = yearly.table_records(persons, summary["sources"], summary["countries"])
        specs = yearly.table_specs(summary["sources"], summary["countries"], summary["regions"])
        shuffled = records.sample(frac=1, random_state=7)
        again = yearly.protect(shuffled, specs, "ckm", record_key_secret())
        for name, table in again.tables.items():
            assert table.to_dict() == published[name]

    # ----------------------------------------------------------------------------- outputs

    def test_the_htcds_file_is_k_anonymous_without_identifiers(self):
        export = htcds_export(self.ckm)
        assert list(export.data.columns) == list(COLUMNS)
        check = check_k_anonymity(export.data, list(QUASI_IDENTIFIERS), k=11)
        assert check.satisfied
        assert check.achieved_k >= 11
        text = export.to_csv().decode("utf-8")
        assert "NMT-" not in text
        assert "R1" not in text.split("\n", 1)[0]

    def test_the_pdf_renders_with_its_text(self):
        from pypdf import PdfReader

        for lang in ("en", "sv"):
            pdf = render.render_pdf(self.ckm, lang)
            text = " ".join(page.extract_text() for page in PdfReader(io.BytesIO(pdf)).pages)
            assert f" {YEAR}" in text
            if lang == "en":
                assert f"Situation report {YEAR}" in text
                assert "What the estimate means" in text
            assert str(self.ckm.summary["persons"]) in text.replace("\u00a0", "").replace(" ", "")

    def test_xlsx_has_a_sheet_per_table_with_flags_and_csv_a_file_per_table(self):
        from openpyxl import load_workbook

        book = load_workbook(io.BytesIO(render.render_xlsx(self.sup, "en")))
        for name in self.sup.published:
            assert name in book.sheetnames
        sheet = book["sex_age"]
        header = [c.value for c in sheet[1]]
        assert "flags" in header
        assert "value" in header
        files = render.csv_files(self.ckm, "sv")
        assert f"nmt-{YEAR}-overlap.csv" in files
        assert f"nmt-{YEAR}-estimate.csv" in files

    def test_the_command_writes_a_kept_run_and_names_bad_input(self):
        import tempfile
        from pathlib import Path

        from nmt.cli import main

        with tempfile.TemporaryDirectory() as out:
            code = main(
                [
                    "report",
                    "--year",
                    str(YEAR),
                    "--run",
                    str(self.ckm.pk),
                    "--format",
                    "csv",
                    "--out",
                    out,
                    "--lang",
                    "en",
                ]
            )
            assert code == 0
            assert (Path(out) / f"nmt-{YEAR}-sex_age.csv").exists()
        assert main(["report", "--year", str(YEAR), "--run", "999999"]) == 2

    # ------------------------------------------------------------------------------ access

    def test_analysts_only(self):
        pages = [
            reverse("report-list"),
            reverse("report-lists"),
            reverse("report-detail", args=[self.ckm.pk]),
            reverse("report-download", args=[self.ckm.pk, "csv"]),
        ]
        for user in (self.coordinator, make_user("oda_dso", "auditor", "jamstalldhetsmyndigheten")):
            self.client.force_login(user)
            for url in pages:
                assert self.client.get(url).status_code == 404, (user, url)
        self.client.logout()
        assert self.client.get(pages[0]).status_code == 302
        self.client.force_login(self.analyst)
        assert self.client.get(pages[2]).status_code == 200

    def test_exports_are_audited(self):
        self.client.force_login(self.analyst)
        before = AuditEvent.objects.filter(action="export").count()
        response = self.client.get(reverse("report-download", args=[self.ckm.pk, "xlsx"]))
        assert response.status_code == 200
        response = self.client.get(reverse("report-download", args=[self.ckm.pk, "htcds"]))
        assert response.status_code == 200
        events = AuditEvent.objects.filter(action="export").order_by("-id")
        assert events.count() == before + 2
        assert events[0].actor_id == self.analyst.pk
        assert events[0].details["format"] == "htcds"
