"""Standardisation of identifying values before linkage.

Every function here is pure and works on one value, so callers can apply it to the distinct
values of a column only (a list of a million records has far fewer distinct names and dates).

Names go through three stages, each of which a linkage level compares:

``clean``
    NFKC, case-folded, transliterated to ASCII (``anyascii``: ș, ş, ă, å, ö, é, Cyrillic, Greek,
    Thai and other scripts), letters only, tokens split on spaces and hyphens. Two spellings that
    differ only in diacritics or case are equal here.
``canon``
    A transliteration skeleton: rewrite rules that map the usual romanisation variants of the
    same name onto one form (Yuliya / Iuliia / Julia, Somchay / Somchai, Kuznetsova / Kuznecova,
    Mohammed / Mohamed), then doubled letters collapsed. Coarser than ``clean``, on purpose.
``phonetic``
    NYSIIS of the skeleton (Taft 1970, via ``jellyfish``), which also absorbs vowel variation
    (Muhamad / Mohamed).

Dates are partial: a :class:`PartialDate` may lack its day or month.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from datetime import date
from functools import lru_cache

import jellyfish
from anyascii import anyascii

__all__ = [
    "PURPOSES",
    "IdNumber",
    "PartialDate",
    "canon_name",
    "clean_name",
    "deletion_neighbourhood",
    "name_grams",
    "name_tokens",
    "nickname_expansions",
    "parse_age",
    "parse_date",
    "parse_id_number",
    "parse_purposes",
    "parse_sex",
    "phonetic",
]

_NON_LETTER = re.compile(r"[^a-z]+")
_SPACES = re.compile(r"\s+")

# The rules run in this order; earlier ones must not create input for later ones unintentionally.
# They fold spellings that transliteration systems disagree on (ISO 9, BGN/PCGN, German, French,
# Polish, Romanian and Thai royal-institute practice), not spellings that sound different.
_CANON_RULES: tuple[tuple[re.Pattern[str], str, tuple[str, ...]], ...] = tuple(
    (re.compile("|".join(literals)), replacement, literals)
    for literals, replacement in (
        (("shch", "szcz", "sch"), "sh"),
        (("tsch", "tch", "cz"), "ch"),
        (("sz", "sj"), "sh"),
        (("tj",), "ch"),
        (("zh", "zs", "rz", "zj"), "z"),
        (("kh",), "h"),
        (("gh",), "g"),
        (("ph",), "f"),
        (("th",), "t"),
        (("dh",), "d"),
        (("bh",), "b"),
        (("ck", "q"), "k"),
        (("x",), "ks"),
        (("ts", "tz"), "c"),
        (("w",), "v"),
        (("y", "j"), "i"),
        (("ou", "oo"), "u"),
    )
)
_DOUBLED = re.compile(r"(.)\1+")

# Diminutives and short forms that are used as given names or aliases in the agencies' records.
# Each maps to the clean full forms it may stand for; the linkage adds their skeletons to a
# record's bag of names, so that "Sasha" can meet "Aleksandr" or "Aleksandra".
_NICKNAMES: dict[str, tuple[str, ...]] = {
    "sasha": ("aleksandr", "aleksandra"),
    "sasa": ("aleksandar", "aleksandra"),
    "sanda": ("alexandra",),
    "masha": ("maria",),
    "mariya": ("maria",),
    "dima": ("dmitri",),
    "kolya": ("nikolai",),
    "vova": ("vladimir",),
    "volodya": ("vladimir",),
    "misha": ("mikhail",),
    "natasha": ("natalia",),
    "tanya": ("tatiana",),
    "katya": ("ekaterina",),
    "olya": ("olga",),
    "lena": ("elena",),
    "yura": ("yuri",),
    "zhenya": ("evgeni", "evgenia"),
    "sveta": ("svetlana",),
    "nastya": ("anastasia",),
    "ira": ("irina",),
    "galya": ("galina",),
    "lyuba": ("lyubov",),
    "mo": ("mohamed",),
    "nicu": ("nicolae",),
    "gabi": ("gabriel", "gabriela"),
    "costel": ("constantin",),
    "fane": ("stefan",),
    "ionut": ("ion",),
    "geta": ("georgeta",),
    "lili": ("liliana",),
    "kate": ("katarina", "catherine"),
    "nok": ("noknoi",),
    "chidi": ("chidiebere", "chidinma"),
    "emeka": ("chukwuemeka",),
    "ngozi": ("ngozichukwu",),
    "tunde": ("babatunde",),
    "bola": ("bolanle",),
    "kasia": ("katarzyna",),
    "gosia": ("malgorzata",),
    "tomek": ("tomasz",),
    "asia": ("joanna",),
}

PURPOSES: tuple[str, ...] = (
    "sexual",
    "forced_labour",
    "begging",
    "crime",
    "organ_removal",
    "war_service",
    "forced_marriage",
    "other_distress",
    "unknown",
)

# Swedish and English labels the agencies use for the DESIGN.md purpose codes (Penal Code 4:1a).
_PURPOSE_LABELS: dict[str, str] = {
    **{code: code for code in PURPOSES},
    "sexuella ändamål": "sexual",
    "sexuell exploatering": "sexual",
    "sexual exploitation": "sexual",
    "tvångsarbete": "forced_labour",
    "forced labour": "forced_labour",
    "forced labor": "forced_labour",
    "arbete": "forced_labour",
    "tiggeri": "begging",
    "begging": "begging",
    "brottslig verksamhet": "crime",
    "criminal activities": "crime",
    "brott": "crime",
    "avlägsnande av organ": "organ_removal",
    "organhandel": "organ_removal",
    "removal of organs": "organ_removal",
    "krigstjänst": "war_service",
    "war service": "war_service",
    "tvångsäktenskap": "forced_marriage",
    "forced marriage": "forced_marriage",
    "annan nödsituation": "other_distress",
    "other": "other_distress",
    "annat": "other_distress",
    "okänt": "unknown",
    "okänd": "unknown",
}

# Sex and the Swedish categories (kvinna, man, flicka, pojke, annat, okänt) folded to f/m/x.
_SEX_LABELS: dict[str, str | None] = {
    "f": "f",
    "k": "f",
    "w": "f",
    "female": "f",
    "woman": "f",
    "girl": "f",
    "kvinna": "f",
    "flicka": "f",
    "m": "m",
    "male": "m",
    "man": "m",
    "boy": "m",
    "pojke": "m",
    "x": "x",
    "other": "x",
    "annat": "x",
    "annan": "x",
    "u": None,
    "unknown": None,
    "okänt": None,
    "okänd": None,
}


def _fold(text: str) -> str:
    return _SPACES.sub(" ", unicodedata.normalize("NFKC", text)).strip().casefold()


@lru_cache(maxsize=1 << 20)
def _name_tokens(text: str) -> tuple[str, ...]:
    # Most names are written in ASCII; they need neither normalisation nor transliteration.
    ascii_text = text.lower() if text.isascii() else anyascii(_fold(text)).lower()
    ascii_text = ascii_text.replace("'", "").replace("`", "")
    return tuple(token for token in _NON_LETTER.split(ascii_text) if token)


def name_tokens(text: str) -> list[str]:
    """Split a name field into clean ASCII tokens.

    Parameters
    ----------
    text : str
        A name as written, in any script.

    Returns
    -------
    list of str
        Lower-case ASCII letter tokens; spaces, hyphens and punctuation separate tokens and
        apostrophes vanish (O'Brien -> ``obrien``).
    """
    return list(_name_tokens(text))


def clean_name(text: str) -> str:
    """The clean form of a whole name field: its tokens joined by single spaces."""
    return " ".join(name_tokens(text))


@lru_cache(maxsize=1 << 20)
def canon_name(token: str) -> str:
    """The transliteration skeleton of one clean token (or of tokens joined without spaces)."""
    skeleton = token.replace(" ", "")
    for pattern, replacement, literals in _CANON_RULES:
        # A rule whose letters do not occur cannot apply; testing that is much cheaper.
        if any(literal in skeleton for literal in literals):
            skeleton = pattern.sub(replacement, skeleton)
    return _DOUBLED.sub(r"\1", skeleton)


def _by_skeleton(table: dict[str, tuple[str, ...]]) -> dict[str, tuple[str, ...]]:
    out: dict[str, tuple[str, ...]] = {}
    for nickname, full in table.items():
        key = canon_name(nickname)
        out[key] = tuple(dict.fromkeys((*out.get(key, ()), *full)))
    return out


_NICKNAMES_BY_SKELETON = _by_skeleton(_NICKNAMES)


def phonetic(skeleton: str) -> str:
    """NYSIIS code of a skeleton; empty for an empty skeleton."""
    return jellyfish.nysiis(skeleton) if skeleton else ""


def deletion_neighbourhood(word: str, *, min_length: int = 4) -> list[str]:
    """The word and every string obtained by deleting one of its characters.

    Two words share an element of their neighbourhoods exactly when one substitution, insertion,
    deletion or transposition of adjacent characters turns one into the other (the symmetric
    deletion idea of Garbe's SymSpell). It lets keyed tokens express "edit distance at most 1"
    as plain set intersection, with no string ever revealed.

    Words shorter than ``min_length`` get no deletions: one edit between three-letter names
    (Jun, Jian; Min, Jing) says nothing about their being the same name. Four letters do
    (Besa and Bsea, Vata and Vtaa): the model weighs a one-edit agreement of both names.
    """
    if not word:
        return []
    if len(word) < min_length:
        return [word]
    return sorted({word, *[word[:i] + word[i + 1 :] for i in range(len(word))]})


@lru_cache(maxsize=1 << 20)
def token_grams(skeleton: str) -> frozenset[str]:
    """Character bigrams of one skeleton, padded with ``^`` and ``$`` so that first and last
    letters count (``ana`` -> ``^a an na a$``)."""
    padded = f"^{skeleton}$"
    return frozenset(padded[i : i + 2] for i in range(len(padded) - 1)) if skeleton else frozenset()


def name_grams(tokens: list[str] | tuple[str, ...]) -> list[str]:
    """The set of padded character bigrams of the skeletons of a name's tokens (sorted).

    Graded similarity that survives keyed tokens (Schnell, Bachteler and Reiher 2009 encode the
    same sets in Bloom filters): two spellings of a name share most of their bigrams, so the
    overlap of the two sets (Dice's coefficient) measures how close they are, typing errors
    and romanisations beyond the skeleton included, and set overlap is all a token file needs
    to keep.
    """
    grams: set[str] = set()
    for token in tokens:
        grams |= token_grams(canon_name(token))
    return sorted(grams)


def nickname_expansions(token: str) -> tuple[str, ...]:
    """Full clean names a diminutive may stand for (empty when the token is no known nickname).

    Looked up by skeleton, so every romanisation of a nickname finds it (Masha, Masja, Mascha).
    """
    return _NICKNAMES_BY_SKELETON.get(canon_name(token), ())


@dataclass(frozen=True)
class PartialDate:
    """A calendar date of which the month and day may be unknown."""

    year: int
    month: int | None = None
    day: int | None = None

    def iso(self) -> str:
        """``YYYY``, ``YYYY-MM`` or ``YYYY-MM-DD``."""
        if self.month is None:
            return f"{self.year:04d}"
        if self.day is None:
            return f"{self.year:04d}-{self.month:02d}"
        return f"{self.year:04d}-{self.month:02d}-{self.day:02d}"

    def is_full(self) -> bool:
        return self.day is not None

    def not_after(self, other: PartialDate) -> bool:
        """True unless this date is certainly later than ``other``."""
        mine = (self.year, self.month or 0, self.day or 0)
        theirs = (other.year, other.month or 12, other.day or 31)
        return mine <= theirs


_ISO = re.compile(r"^(\d{4})(?:-(\d{1,2})(?:-(\d{1,2}))?)?(?:[ T]00:00(?::00(?:\.0+)?)?)?$")
_COMPACT8 = re.compile(r"^(\d{4})(\d{2})(\d{2})$")
_COMPACT6 = re.compile(r"^(\d{2})(\d{2})(\d{2})$")
_DMY = re.compile(r"^(\d{1,2})([./])(\d{1,2})\2(\d{4})$")


def parse_date(text: str, *, today: date | None = None) -> PartialDate:
    """Parse a full or partial date in one of the formats the agencies send.

    Accepted: ``YYYY-MM-DD``, ``YYYY-MM``, ``YYYY``, ``YYYYMMDD``, ``YYMMDD``, ``DD/MM/YYYY`` and
    ``DD.MM.YYYY``. A six-digit date takes the latest century that does not put it after
    ``today`` (birth dates and identification dates are never in the future).

    Raises
    ------
    ValueError
        With a message fit for the user, when the text is no date in these formats or names a
        day that does not exist.
    """
    text = text.strip()
    today = today or date.today()
    year: int
    month: int | None
    day: int | None
    if match := _ISO.match(text):
        year = int(match[1])
        month = int(match[2]) if match[2] else None
        day = int(match[3]) if match[3] else None
    elif match := _COMPACT8.match(text):
        year, month, day = int(match[1]), int(match[2]), int(match[3])
    elif match := _COMPACT6.match(text):
        yy, month, day = int(match[1]), int(match[2]), int(match[3])
        year = (today.year // 100) * 100 + yy
        if (year, month, day) > (today.year, today.month, today.day):
            year -= 100
    elif match := _DMY.match(text):
        day, month, year = int(match[1]), int(match[3]), int(match[4])
    else:
        raise ValueError(
            f"{text!r} is not a date (use YYYY-MM-DD, YYYY-MM, YYYY, YYYYMMDD, YYMMDD, "
            "DD/MM/YYYY or DD.MM.YYYY)"
        )
    if year < 1880:
        raise ValueError(f"{text!r}: year {year} is implausible")
    if month is not None and not 1 <= month <= 12:
        raise ValueError(f"{text!r}: month {month} does not exist")
    if month is not None and day is not None:
        try:
            date(year, month, day)
        except ValueError:
            raise ValueError(f"{text!r}: day {day} does not exist in {year}-{month:02d}") from None
    parsed = PartialDate(year, month, day)
    if not parsed.not_after(PartialDate(today.year, today.month, today.day)):
        raise ValueError(f"{text!r} is in the future")
    return parsed


def parse_age(text: str) -> int:
    """An estimated age in whole years (``25``, ``25.0`` from spreadsheets, ``25 år``)."""
    cleaned = _fold(text).removesuffix("år").removesuffix("years").strip().replace(",", ".")
    try:
        value = float(cleaned)
    except ValueError:
        raise ValueError(f"{text!r} is not an age in years") from None
    if value != int(value) or not 0 <= value <= 120:
        raise ValueError(f"{text!r} is not an age in whole years between 0 and 120")
    return int(value)


def parse_sex(text: str) -> str | None:
    """``f``, ``m``, ``x`` (other) or ``None`` (unknown) from Swedish or English labels."""
    key = _fold(text)
    if key not in _SEX_LABELS:
        raise ValueError(
            f"{text!r} is not a sex (kvinna, man, flicka, pojke, annat, okänt; "
            "female, male, other, unknown; K, F, M, X)"
        )
    return _SEX_LABELS[key]


def parse_purposes(text: str) -> list[str]:
    """Purpose codes from a ``;``-separated field of codes or their Swedish/English labels."""
    codes: list[str] = []
    for part in text.split(";"):
        key = _fold(part)
        if not key:
            continue
        if key not in _PURPOSE_LABELS:
            raise ValueError(f"{part.strip()!r} is not a purpose (codes: {', '.join(PURPOSES)})")
        code = _PURPOSE_LABELS[key]
        if code not in codes:
            codes.append(code)
    return codes


@dataclass(frozen=True)
class IdNumber:
    """A standardised identity number and what kind it is.

    ``kind`` is ``personnummer`` or ``samordningsnummer`` (Swedish personal identity and
    coordination numbers, stored as 12 digits) or ``other`` (passport and foreign numbers,
    upper-case letters and digits only).
    """

    value: str
    kind: str
    birth_date: PartialDate | None = None


_SWEDISH_ID = re.compile(r"^(\d{2})?(\d{2})(\d{2})(\d{2})([-+]?)(\d{3})(\d)$")


_LUHN_DOUBLED = {str(d): (2 * d) - 9 if 2 * d > 9 else 2 * d for d in range(10)}


def _luhn_ok(digits: str) -> bool:
    # Skatteverket's check digit: Luhn over the 10-digit form (SKV 704); every other digit,
    # from the first, is doubled (less 9 when two digits long).
    doubled = sum(map(_LUHN_DOUBLED.__getitem__, digits[0::2]))
    return (doubled + sum(map(int, digits[1::2]))) % 10 == 0


def parse_id_number(text: str, *, today: date | None = None) -> IdNumber:
    """Standardise an identity number, checking Swedish numbers' check digit.

    Ten- or twelve-digit numbers in the Swedish form (``YYMMDD-NNNC``, ``YYYYMMDDNNNC``, a ``+``
    for persons aged 100 or more) are personal identity numbers, or coordination numbers when
    the day is increased by 60. Their date and Luhn check digit must be valid. Anything else is
    kept as an ``other`` number.

    Raises
    ------
    ValueError
        For a Swedish-form number whose date or check digit is wrong.
    """
    today = today or date.today()
    compact = re.sub(r"[\s]", "", text)
    match = _SWEDISH_ID.match(compact)
    if match is None:
        other = re.sub(r"[^0-9A-Z]", "", anyascii(_fold(text)).upper())
        if not other:
            raise ValueError(f"{text!r} contains no letters or digits")
        return IdNumber(other, "other")
    century, yy, mm, dd, sep, serial, check = match.groups()
    month, day = int(mm), int(dd)
    kind = "personnummer"
    if day > 60:
        kind, day = "samordningsnummer", day - 60
    if century is not None:
        year = int(century + yy)
    else:
        year = (today.year // 100) * 100 + int(yy)
        if (year, month, day) > (today.year, today.month, today.day):
            year -= 100
        if sep == "+":
            year -= 100
    try:
        born = date(year, month, day)
    except ValueError:
        raise ValueError(f"{text!r}: the date in this {kind} does not exist") from None
    if born > today:
        raise ValueError(f"{text!r}: the date in this {kind} is in the future")
    ten = f"{yy}{mm}{dd}{serial}{check}"
    if not _luhn_ok(ten):
        raise ValueError(f"{text!r}: the check digit of this {kind} is wrong")
    return IdNumber(f"{year:04d}{mm}{dd}{serial}{check}", kind, PartialDate(year, month, day))
