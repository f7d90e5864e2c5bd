"""Citizenship as ISO 3166-1 alpha-2, from codes or Swedish and English country names."""

from __future__ import annotations

import gettext
import unicodedata
from functools import cache

import pycountry
from anyascii import anyascii

__all__ = ["STATELESS", "parse_citizenship"]

# ICAO Doc 9303 writes stateless persons as XXA; alpha-2 has no code, so the user-assigned XX.
STATELESS = "XX"

# Names the agencies write that ISO's own names (and pycountry's Swedish translations) miss.
# Kosovo has no ISO code; XK is the user-assigned code the EU and Sweden's agencies use.
_ALIASES: dict[str, str] = {
    "kosovo": "XK",
    "xk": "XK",
    "xkx": "XK",
    "ryssland": "RU",
    "russia": "RU",
    "syrien": "SY",
    "syria": "SY",
    "iran": "IR",
    "storbritannien": "GB",
    "england": "GB",
    "uk": "GB",
    "usa": "US",
    "sydkorea": "KR",
    "nordkorea": "KP",
    "south korea": "KR",
    "north korea": "KP",
    "vietnam": "VN",
    "laos": "LA",
    "moldavien": "MD",
    "moldova": "MD",
    "tjeckien": "CZ",
    "kongo-kinshasa": "CD",
    "demokratiska republiken kongo": "CD",
    "kongo-brazzaville": "CG",
    "elfenbenskusten": "CI",
    "bolivia": "BO",
    "venezuela": "VE",
    "tanzania": "TZ",
    "makedonien": "MK",
    "nordmakedonien": "MK",
    "vitryssland": "BY",
    "belarus": "BY",
    "turkiet": "TR",
    "turkey": "TR",
    "palestina": "PS",
    "statslös": STATELESS,
    "statslos": STATELESS,
    "stateless": STATELESS,
    "xxa": STATELESS,
}

_UNKNOWN = {"okänt", "okänd", "okand", "okant", "unknown", "xxx"}


def _key(text: str) -> str:
    return " ".join(unicodedata.normalize("NFKC", text).casefold().split())


@cache
def _lookup() -> dict[str, str]:
    swedish = gettext.translation("iso3166-1", pycountry.LOCALES_DIR, languages=["sv"])
    table: dict[str, str] = {}
    for country in pycountry.countries:
        code = country.alpha_2
        names = {country.alpha_2, country.alpha_3, country.name}
        for attribute in ("common_name", "official_name"):
            if value := getattr(country, attribute, None):
                names.add(value)
        names |= {swedish.gettext(name) for name in list(names)}
        for name in names:
            table[_key(name)] = code
            # Spreadsheets lose diacritics now and then (Osterrike for Österrike).
            table.setdefault(_key(anyascii(name)), code)
    for alias, code in _ALIASES.items():
        table[_key(alias)] = code
    return table


def parse_citizenship(text: str) -> str | None:
    """ISO 3166-1 alpha-2 code for a citizenship, ``None`` when it is given as unknown.

    Parameters
    ----------
    text : str
        Alpha-2 or alpha-3 code, or a country's English or Swedish name (``Rumänien``,
        ``Romania``, ``ROU``, ``RO``). Stateless persons get ``XX``, Kosovo ``XK``.

    Raises
    ------
    ValueError
        When the text names no country.
    """
    key = _key(text)
    if key in _UNKNOWN:
        return None
    table = _lookup()
    if key in table:
        return table[key]
    folded = _key(anyascii(text))
    if folded in table:
        return table[folded]
    raise ValueError(f"{text.strip()!r} is no country code or country name (ISO 3166)")
