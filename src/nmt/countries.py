"""ISO 3166-1 countries with Swedish and English names (framework-free; data from pycountry)."""

from __future__ import annotations

import gettext
import unicodedata
from functools import cache

import pycountry


def _fold(text: str) -> str:
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    return " ".join("".join(c for c in decomposed if not unicodedata.combining(c)).split())


@cache
def _swedish() -> gettext.NullTranslations:
    return gettext.translation("iso3166-1", pycountry.LOCALES_DIR, languages=["sv"], fallback=True)


def country_name(alpha_2: str, language: str = "sv") -> str:
    """The country's common name in Swedish (default) or English; the code itself if unknown."""
    country = pycountry.countries.get(alpha_2=alpha_2.upper())
    if country is None:
        return alpha_2
    english = getattr(country, "common_name", None) or country.name
    if language == "en":
        return english
    return _swedish().gettext(country.name)


@cache
def _lookup() -> dict[str, str]:
    table: dict[str, str] = {}
    for country in pycountry.countries:
        names = {
            country.alpha_2,
            country.alpha_3,
            country.name,
            getattr(country, "common_name", ""),
            getattr(country, "official_name", ""),
            _swedish().gettext(country.name),
        }
        for name in names:
            if name:
                table.setdefault(_fold(name), country.alpha_2)
    return table


def normalise_country(value: str) -> str | None:
    """ISO alpha-2 code for an alpha-2 or alpha-3 code or a Swedish or English name, else None."""
    if not value or not value.strip():
        return None
    return _lookup().get(_fold(value.strip()))


def country_choices(language: str = "sv") -> list[tuple[str, str]]:
    """(code, name) for every country, sorted by name in ``language``."""
    pairs = [(c.alpha_2, country_name(c.alpha_2, language)) for c in pycountry.countries]
    return sorted(pairs, key=lambda pair: _fold(pair[1]))
