"""The Swedish catalog: complete, compiled, in step with the code, and using the agreed terms.

Swedish is the default language of NMT and the code's msgids are English, so a string missing
from src/nmt/web/locale/sv shows up in English in the Swedish interface. docs/translation.md
says how to update the catalog.
"""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import polib
import pytest
from django.core.management import call_command
from django.test import override_settings
from django.urls import reverse
from django.utils import translation

import nmt

PACKAGE_DIR = Path(nmt.__file__).resolve().parent
LOCALE_DIR = PACKAGE_DIR / "web" / "locale"
PO_PATH = LOCALE_DIR / "sv" / "LC_MESSAGES" / "django.po"
MO_PATH = PO_PATH.with_suffix(".mo")

# The framework-free libraries have no user-facing Django strings (docs/translation.md).
IGNORED_APPS = ("estimation", "linkage", "disclosure", "demo")

PLACEHOLDER = re.compile(r"%\((\w+)\)[sd]|%[sd]")


def _catalog() -> polib.POFile:
    return polib.pofile(str(PO_PATH))


def _key(entry: polib.POEntry) -> tuple[str | None, str]:
    return (entry.msgctxt, entry.msgid)


def _live(po: polib.POFile) -> list[polib.POEntry]:
    return [entry for entry in po if not entry.obsolete]


def _msgstrs(entry: polib.POEntry) -> list[str]:
    if entry.msgid_plural:
        return [entry.msgstr_plural.get(i, "") for i in range(2)]
    return [entry.msgstr]


def _placeholders(text: str) -> list[str]:
    return sorted(match.group(0) for match in PLACEHOLDER.finditer(text))


# ------------------------------------------------------------------- (a) the committed catalog


def test_the_catalog_and_its_compiled_form_are_committed():
    assert PO_PATH.is_file(), f"{PO_PATH} is missing"
    assert MO_PATH.is_file(), f"{MO_PATH} is missing: run compilemessages (docs/translation.md)"


def test_every_entry_is_translated_and_none_is_fuzzy():
    po = _catalog()
    assert po.metadata.get("Language") == "sv"
    assert not po.metadata_is_fuzzy, "the header is marked fuzzy"
    entries = _live(po)
    assert len(entries) > 400
    untranslated = [e.msgid for e in entries if not all(s.strip() for s in _msgstrs(e))]
    fuzzy = [e.msgid for e in entries if "fuzzy" in e.flags]
    assert not untranslated, f"untranslated: {untranslated}"
    assert not fuzzy, f"fuzzy (check the translation, then remove the flag): {fuzzy}"


def test_translations_keep_the_placeholders():
    wrong = []
    for entry in _live(_catalog()):
        sources = [entry.msgid, entry.msgid_plural] if entry.msgid_plural else [entry.msgid]
        for i, text in enumerate(_msgstrs(entry)):
            source = sources[min(i, len(sources) - 1)]
            # A singular may leave its count out ("ett ärende"); it may not invent or rename one.
            if entry.msgid_plural and i == 0:
                ok = set(_placeholders(text)) <= set(
                    _placeholders(source) + _placeholders(sources[-1])
                )
            else:
                ok = _placeholders(text) == _placeholders(source)
            if not ok:
                wrong.append((entry.msgid, text))
    assert not wrong, f"placeholders differ from the msgid: {wrong}"


# ------------------------------------------------------------ (b) complete with respect to code


def _extracted_msgids(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> set[tuple]:
    """Run makemessages over a copy of the package and its locale directory; never the tree."""
    source = tmp_path / "nmt"
    shutil.copytree(
        PACKAGE_DIR,
        source,
        ignore=shutil.ignore_patterns(*IGNORED_APPS, "__pycache__", "*.pyc", "*.mo"),
    )
    locale = source / "web" / "locale"
    monkeypatch.chdir(source)
    with override_settings(LOCALE_PATHS=[str(locale)]):
        call_command("makemessages", locale=["sv"], verbosity=0)
    fresh = polib.pofile(str(locale / "sv" / "LC_MESSAGES" / "django.po"))
    return {_key(entry) for entry in _live(fresh)}


def test_the_catalog_has_every_string_of_the_code(tmp_path, monkeypatch):
    tools = ("xgettext", "msguniq", "msgmerge", "msgattrib")
    absent = [tool for tool in tools if shutil.which(tool) is None]
    if absent:
        pytest.skip(
            f"GNU gettext is not installed ({', '.join(absent)} missing): cannot extract the "
            "strings of the code to compare (apt-get install gettext)"
        )
    extracted = _extracted_msgids(tmp_path, monkeypatch)
    committed = {_key(entry) for entry in _live(_catalog())}
    missing = sorted(extracted - committed, key=lambda key: (key[0] or "", key[1]))
    assert len(extracted) > 400, "makemessages found too few strings; did it scan the package?"
    assert not missing, (
        f"{len(missing)} strings of the code are not in {PO_PATH.name}; run makemessages, "
        f"translate and compilemessages (docs/translation.md): {missing}"
    )


# ---------------------------------------------------------------- (c) the .mo matches the .po


def test_the_compiled_catalog_matches_the_po():
    wrong = []
    with translation.override("sv"):
        for entry in _live(_catalog()):
            if entry.msgid_plural:
                got = [
                    translation.npgettext(entry.msgctxt, entry.msgid, entry.msgid_plural, n)
                    if entry.msgctxt
                    else translation.ngettext(entry.msgid, entry.msgid_plural, n)
                    for n in (1, 2)
                ]
            elif entry.msgctxt:
                got = [translation.pgettext(entry.msgctxt, entry.msgid)]
            else:
                got = [translation.gettext(entry.msgid)]
            if got != _msgstrs(entry):
                wrong.append((entry.msgid, got, _msgstrs(entry)))
    assert not wrong, f"{MO_PATH.name} is out of date: run compilemessages. Differences: {wrong}"


# ------------------------------------------------------------------------ (d) the agreed terms

TERMS = [
    ("Case", "Ärende"),
    ("Cases", "Ärenden"),
    ("Register a suspected victim", "Registrera misstänkt offer"),
    ("Regional coordinator", "Regionkoordinator"),
    ("Support line", "Stödtelefonen"),
    ("Agency liaison", "Kontaktperson på myndighet"),
    ("Referral", "Hänvisning"),
    ("Referred to %(agency)s", "Hänvisat till %(agency)s"),
    ("Measure", "Insats"),
    ("Reflection period", "Betänketid"),
    ("Temporary residence permit", "Tidsbegränsat uppehållstillstånd"),
    ("Safe housing", "Skyddat boende"),
    ("Counsel for the injured party", "Målsägandebiträde"),
    ("Trafficking in human beings", "Människohandel"),
    ("Human exploitation", "Människoexploatering"),
    ("Sexual purposes", "Sexuella ändamål"),
    ("Forced labour", "Tvångsarbete"),
    ("Protected personal data", "Skyddade personuppgifter"),
    ("Swedish coordination number", "Svenskt samordningsnummer"),
    ("Data protection officer", "Dataskyddsombud"),
]


@pytest.mark.parametrize(("english", "swedish"), TERMS)
def test_key_terms(english, swedish):
    with translation.override("sv"):
        assert translation.gettext(english) == swedish


def test_key_terms_with_context_and_plural():
    with translation.override("sv"):
        assert translation.pgettext("person", "Woman") == "Kvinna"
        assert translation.pgettext("person", "Boy") == "Pojke"
        assert translation.ngettext("%(n)s case", "%(n)s cases", 1) % {"n": 1} == "1 ärende"
        assert translation.ngettext("%(n)s case", "%(n)s cases", 3) % {"n": 3} == "3 ärenden"


def test_the_login_page_is_swedish(client):
    content = client.get(reverse("login")).content.decode()
    assert '<html lang="sv">' in content
    assert "Logga in i NMT" in content
    assert "Log in" not in content
