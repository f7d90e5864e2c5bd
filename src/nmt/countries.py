"""Countries for the platform's forms and pages: ISO 3166-1 with Swedish and English names (data
from pycountry). Parsing what users and agencies write is ``nmt.linkage.countries``'s job."""

from __future__ import annotations

import gettext
import unicodedata
from functools import cache

import pycountry

from nmt.linkage.countries import STATELESS, parse_citizenship

# Codes outside ISO 3166-1 that the agencies use (see nmt.linkage.countries).
_EXTRA_NAMES = {
    "XK": {"sv": "Kosovo", "en": "Kosovo"},
    STATELESS: {"sv": "Statslös", "en": "Stateless"},
}


def _fold(text: str) -> str:
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    return " ".join("".join(c for c in decomposed if not unicodedata.combining(c)).split())


@cache
def _swedish() -> gettext.NullTranslations:
    return gettext.translation("iso3166-1", pycountry.LOCALES_DIR, languages=["sv"], fallback=True)


def country_name(alpha_2: str, language: str = "sv") -> str:
    """The country's common name in Swedish (default) or English; the code itself if unknown."""
    code = alpha_2.upper()
    if code in _EXTRA_NAMES:
        return _EXTRA_NAMES[code]["en" if language == "en" else "sv"]
    country = pycountry.countries.get(alpha_2=code)
    if country is None:
        return alpha_2
    english = getattr(country, "common_name", None) or country.name
    if language == "en":
        return english
    return _swedish().gettext(country.name)


def normalise_country(value: str) -> str | None:
    """ISO alpha-2 code for a code or a Swedish or English name; None if it names no country."""
    if not value or not value.strip():
        return None
    try:
        return parse_citizenship(value)
    except ValueError:
        return None


def country_choices(language: str = "sv") -> list[tuple[str, str]]:
    """(code, name) for every country, sorted by name in ``language``."""
    codes = [c.alpha_2 for c in pycountry.countries] + list(_EXTRA_NAMES)
    pairs = [(code, country_name(code, language)) for code in codes]
    return sorted(pairs, key=lambda pair: _fold(pair[1]))
