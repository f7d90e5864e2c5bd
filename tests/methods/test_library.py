"""The methods library: uploads checked by content, versions and history, tags that decide who sees
an item, full-text search in the database's own engine, downloads only through the access check."""

from __future__ import annotations

import io

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection
from django.http import Http404
from django.utils import translation
from tests.methods.files import docx_bytes, pdf_bytes

from nmt.audit.models import AuditEvent
from nmt.methods import selectors, services
from nmt.methods.library_files import DOCX, PDF, check_upload
from nmt.methods.selectors import LibraryFilters


def upload(content: bytes) -> io.BytesIO:
    return io.BytesIO(content)


@pytest.fixture
def library(national, region):
    """A labour-exploitation handbook (PDF, everyone), a coordinators-only template (DOCX) for
    Stockholm, and a page on begging."""
    handbook = services.library_item_create(
        actor=national,
        kind="document",
        category="handbook",
        title="Handbok om arbetskraftsexploatering",
        summary="För socialtjänsten och regionkoordinatorerna.",
        upload=upload(pdf_bytes("Skuldsättning och bärplockning: tecken på människohandeln.")),
        filename="handbok.pdf",
        purposes=["forced_labour"],
    )
    template = services.library_item_create(
        actor=national,
        kind="document",
        category="template",
        title="Mall för samverkansöverenskommelse",
        upload=upload(docx_bytes("Överenskommelse om skyddat boende", "Region Stockholm")),
        filename="mall.docx",
        roles=["coordinator"],
        regions=[region["stockholm"]],
    )
    page = services.library_item_create(
        actor=national,
        kind="page",
        category="guidance",
        title="Tiggeri och människohandel",
        body="Uppsökande arbete bland personer som tigger: frågor att ställa, tolk och stöd.",
        purposes=["begging"],
    )
    return {"handbook": handbook, "template": template, "page": page}


@translation.override("en")
def test_uploads_are_checked_by_content_not_name(settings):
    checked = check_upload(upload(pdf_bytes("Hej")), "x.docx")
    assert checked.content_type == PDF
    assert checked.filename == "x.pdf"
    assert check_upload(upload(docx_bytes("Hej")), "x.pdf").content_type == DOCX
    with pytest.raises(ValidationError, match="PDF"):
        check_upload(upload(b"MZ\x90\x00 an executable"), "handbok.pdf")
    with pytest.raises(ValidationError, match="PDF"):
        check_upload(upload(b"PK\x03\x04 not really a zip"), "mall.docx")
    with pytest.raises(ValidationError, match="read"):
        check_upload(upload(b"%PDF-1.4 garbage"), "broken.pdf")
    settings.NMT_LIBRARY_MAX_BYTES = 2048
    with pytest.raises(ValidationError, match="larger"):
        check_upload(upload(pdf_bytes("x" * 3000)), "big.pdf")


@translation.override("en")
def test_a_zip_that_unpacks_to_too_much_is_refused(monkeypatch):
    import zipfile

    monkeypatch.setattr("nmt.methods.library_files.MAX_UNPACKED_BYTES", 10_000)
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", "<x/>")
        archive.writestr("word/document.xml", "0" * 50_000)
    with pytest.raises(ValidationError, match="PDF"):
        check_upload(upload(buffer.getvalue()), "bomb.docx")


def test_text_is_extracted_and_searchable(personas, library):
    anna = personas.coordinator_stockholm
    hits = selectors.library_search(actor=anna, filters=LibraryFilters(q="bärplockning"))
    assert [h.item for h in hits] == [library["handbook"]]
    assert any(marked for _text, marked in hits[0].snippet)
    hits = selectors.library_search(actor=anna, filters=LibraryFilters(q="skyddat boende"))
    assert [h.item for h in hits] == [library["template"]]
    hits = selectors.library_search(actor=anna, filters=LibraryFilters(q="tolk"))
    assert [h.item for h in hits] == [library["page"]]
    # Inflected forms: a prefix (SQLite) or the Swedish stemmer (PostgreSQL) finds them.
    hits = selectors.library_search(actor=anna, filters=LibraryFilters(q="människohandel"))
    assert library["handbook"] in [h.item for h in hits]


def test_search_syntax_from_users_is_harmless(personas, library):
    anna = personas.coordinator_stockholm
    for q in ['"', "NEAR(", "title:x", "a OR", "*", "-", "'); DROP TABLE x; --"]:
        selectors.library_search(actor=anna, filters=LibraryFilters(q=q))


def test_tags_decide_who_sees_an_item(personas, library):
    def visible(persona):
        return {
            h.item.pk
            for h in selectors.library_search(
                actor=getattr(personas, persona), filters=LibraryFilters()
            )
        }

    everyone = {library["handbook"].pk, library["page"].pk}
    assert visible("coordinator_stockholm") == everyone | {library["template"].pk}
    assert visible("coordinator_syd") == everyone  # not the Stockholm template
    assert visible("liaison_migrationsverket") == everyone  # coordinators only
    assert visible("analyst") == everyone
    for persona in ("auditor", "admin", "outsider", "inactive_coordinator"):
        assert visible(persona) == set()
    with pytest.raises(Http404):
        selectors.access_library_item(personas.coordinator_syd, library["template"].pk)


def test_filters_by_purpose_role_and_category(personas, library):
    anna = personas.coordinator_stockholm
    by_purpose = selectors.library_search(actor=anna, filters=LibraryFilters(purpose="begging"))
    assert [h.item for h in by_purpose] == [library["page"]]
    by_role = selectors.library_search(actor=anna, filters=LibraryFilters(role="coordinator"))
    assert [h.item for h in by_role] == [library["template"]]
    by_category = selectors.library_search(actor=anna, filters=LibraryFilters(category="handbook"))
    assert [h.item for h in by_category] == [library["handbook"]]


def test_new_versions_keep_the_history_and_reindex(personas, national, library):
    handbook = library["handbook"]
    services.library_version_add(
        actor=national,
        item=handbook,
        title="Handbok om arbetskraftsexploatering, andra upplagan",
        upload=upload(pdf_bytes("Restaurangbranschen och byggsektorn.")),
        filename="handbok-2.pdf",
        change_note="Nya branscher.",
    )
    item = selectors.access_library_item(personas.coordinator_stockholm, handbook.pk)
    assert [v.number for v in item.versions.all()] == [2, 1]
    assert item.current.number == 2
    anna = personas.coordinator_stockholm
    assert selectors.library_search(actor=anna, filters=LibraryFilters(q="byggsektorn"))
    assert not selectors.library_search(actor=anna, filters=LibraryFilters(q="bärplockning"))
    # Both versions' files stay downloadable.
    assert selectors.library_file_open(actor=anna, item_id=handbook.pk, number=1).sha256


def test_archived_items_disappear(personas, national, library):
    services.library_item_archive(actor=national, item=library["page"])
    anna = personas.coordinator_stockholm
    assert not selectors.library_search(actor=anna, filters=LibraryFilters(q="tolk"))
    with pytest.raises(Http404):
        selectors.access_library_item(anna, library["page"].pk)


def test_only_the_national_team_writes(personas, library):
    for persona in ("coordinator_stockholm", "analyst", "admin"):
        with pytest.raises(PermissionDenied):
            services.library_item_create(
                actor=getattr(personas, persona),
                kind="page",
                category="other",
                title="x",
                body="y",
            )


def test_downloads_check_access_and_are_audited(personas, library, client_of):
    template = library["template"]
    url = f"/library/{template.pk}/versions/1/download/"
    response = client_of(personas.coordinator_stockholm).get(url)
    assert response.status_code == 200
    assert response["Content-Type"] == DOCX
    assert response["Content-Disposition"].startswith("attachment")
    assert b"".join(response.streaming_content).startswith(b"PK")
    event = AuditEvent.objects.filter(object_type="library_item", action="export").latest("id")
    assert event.object_id == str(template.pk)
    for persona in ("coordinator_syd", "liaison_migrationsverket", "auditor", "outsider"):
        assert client_of(getattr(personas, persona)).get(url).status_code == 404
    # Files are not reachable as static or media files.
    stored = template.current.file.name
    assert client_of(personas.coordinator_stockholm).get(f"/media/{stored}").status_code == 404
    assert client_of(personas.coordinator_stockholm).get(f"/static/{stored}").status_code == 404


def test_library_pages(personas, national, library, client_of):
    anna = client_of(personas.coordinator_stockholm)
    page = anna.get("/library/", {"q": "bärplockning"}).content.decode()
    assert "Handbok om arbetskraftsexploatering" in page
    assert "<mark>" in page
    partial = anna.get(
        "/library/", {"q": "tolk"}, HTTP_HX_REQUEST="true", HTTP_HX_TARGET="library-results"
    )
    assert partial.content.decode().lstrip().startswith("<section")
    detail = anna.get(f"/library/{library['handbook'].pk}/").content.decode()
    assert "handbok.pdf" in detail
    assert anna.get("/library/new/").status_code == 403
    team = client_of(national)
    response = team.post(
        "/library/new/",
        {
            "kind": "document",
            "category": "training",
            "title": "Utbildning om barn",
            "file": io.BytesIO(docx_bytes("Barn som utnyttjas i kriminalitet")),
            "purposes": ["crime"],
        },
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    response = team.post(
        "/library/new/",
        {
            "kind": "document",
            "category": "training",
            "title": "Fel fil",
            "file": io.BytesIO(b"not a document"),
        },
    )
    assert response.status_code == 200
    assert "DOCX" in response.content.decode()


@pytest.mark.skipif(connection.vendor != "postgresql", reason="PostgreSQL only")
def test_postgresql_uses_the_swedish_configuration_and_the_gin_index(personas, library):
    anna = personas.coordinator_stockholm
    assert selectors.search_backend() == "postgresql"
    # The Swedish stemmer: "tolkar" is stemmed to "tolk", found in the page (a prefix would not).
    hits = selectors.library_search(actor=anna, filters=LibraryFilters(q="tolkar"))
    assert [h.item for h in hits] == [library["page"]]
    with connection.cursor() as cursor:
        cursor.execute("SET enable_seqscan = off")
        cursor.execute(
            "EXPLAIN SELECT id FROM methods_libraryitem WHERE to_tsvector('swedish'::regconfig, "
            "COALESCE(search_text, '')) @@ websearch_to_tsquery('swedish'::regconfig, 'tolk')"
        )
        plan = " ".join(row[0] for row in cursor.fetchall())
        cursor.execute("SET enable_seqscan = on")
    assert "methods_library_search_gin" in plan


@pytest.mark.skipif(connection.vendor != "sqlite", reason="SQLite only")
def test_sqlite_uses_fts5(personas, library):
    assert selectors.search_backend() == "sqlite-fts5"
    with connection.cursor() as cursor:
        cursor.execute("SELECT count(*) FROM methods_library_fts")
        assert cursor.fetchone()[0] == 3
