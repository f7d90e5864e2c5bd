"""A seeded generator of multi-agency lists of identified persons, with the truth known.

It simulates a population of victims, lets each agency identify some of them (heterogeneous
capture, so some persons are never identified: the dark figure), and writes every
identification as one record the way that agency would: its own date format and code style,
names romanised by its own habit or copied from a passport, with the errors that real lists
have. What is simulated:

* the population: sixteen countries of origin weighted roughly as in Swedish trafficking
  statistics; per country some hundred given names per sex and hundreds to thousands of
  family names (:mod:`nmt.linkage._names`), drawn with a Zipf-Mandelbrot law so that a few
  names are very common and most are rare, as in real populations (Nguyễn, Andersson, Maria);
  compositional naming where it is real (Slavic and Swedish surnames, Thai surnames,
  Vietnamese middle names, Chinese two-syllable given names, Eritrean patronymics); siblings
  and twins (same family name and origin, birth dates close or equal);
* names per record: diacritics kept or dropped (ș/ş, ă, å, ö, ő, ė ...); Cyrillic names
  romanised by English (BGN/PCGN), passport (ICAO 9303), German or Swedish practice, now and
  then kept in Cyrillic; spelling variants of Arabic-, Thai-, Eritrean-, Albanian-, Hungarian-
  and Swedish-origin names (Mohammed/Muhammad, Porntip/Pornthip, Tesfay/Tesfai, Hoxha/Hodja,
  Andersson/Anderson); Chinese given names written joined or spaced; typing errors; given and
  family name swapped (Vietnamese and Chinese order above all); one, both or the second of two
  given names; nicknames used as given names or listed as aliases; a name missing;
* birth dates per record: full, year and month, year only, only an estimated age, or missing,
  at rates that differ by agency (the support line often knows only an age, the Migration
  Agency has documents but writes 1 January for an estimated date); day and month swapped; a
  mistyped digit; the year from a personnummer;
* sex, citizenship (code or Swedish or English name; sometimes missing or another country),
  Swedish personal identity and coordination numbers and passport numbers, region, purposes,
  identification date;
* duplicates inside one agency's list.

Three settings scale the error rates: ``easy``, ``default`` and ``hard`` (:data:`SETTINGS`,
documented with their rates in ``docs/linkage.md``). The generator is deterministic given its
seed and arguments.
"""

from __future__ import annotations

import bisect
import random
import string
from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from datetime import date, timedelta
from functools import cache
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from nmt.linkage import _names as N
from nmt.linkage.lists import FIELDS

__all__ = [
    "DEFAULT_SOURCES",
    "SETTINGS",
    "NoiseSetting",
    "SyntheticLists",
    "generate",
    "name_pool_summary",
    "with_noise",
]

DEFAULT_SOURCES: tuple[str, ...] = ("coordinators", "supportline", "migrationsverket", "police")


@dataclass(frozen=True)
class NoiseSetting:
    """Error rates per record (probabilities unless stated).

    The birth-date shares are those of an agency with average habits; each agency scales the
    incomplete shares by its own factor (``_AGENCY_STYLE``).
    """

    name: str
    typo: float  # per name field
    variant: float  # per name: another romanisation or spelling variant of the same name
    drop_diacritics: float
    swap_order: float  # extra to the habit of family-name-first cultures
    nickname: float  # per record whose given name has a common nickname (x4)
    given_missing: float
    family_missing: float
    dob_full: float  # shares of records by birth-date completeness; the rest are missing
    dob_year_month: float
    dob_year: float
    dob_age: float
    age_error: int  # the estimated age is off by up to this many years
    day_month_swap: float
    date_typo: float
    placeholder_day: float  # unknown day and month written as 1 January
    sex_missing: float
    citizenship_missing: float
    citizenship_wrong: float
    duplicate: float  # chance of each further record of the same person in one list
    sibling: float = 0.03  # share of persons with a sibling in the population (a tenth twins)


SETTINGS: dict[str, NoiseSetting] = {
    "easy": NoiseSetting(
        name="easy",
        typo=0.02,
        variant=0.10,
        drop_diacritics=0.3,
        swap_order=0.01,
        nickname=0.01,
        given_missing=0.005,
        family_missing=0.005,
        dob_full=0.93,
        dob_year_month=0.02,
        dob_year=0.02,
        dob_age=0.02,
        age_error=1,
        day_month_swap=0.01,
        date_typo=0.01,
        placeholder_day=0.01,
        sex_missing=0.02,
        citizenship_missing=0.03,
        citizenship_wrong=0.005,
        duplicate=0.05,
        sibling=0.01,
    ),
    "default": NoiseSetting(
        name="default",
        typo=0.05,
        variant=0.25,
        drop_diacritics=0.5,
        swap_order=0.03,
        nickname=0.03,
        given_missing=0.01,
        family_missing=0.02,
        dob_full=0.88,
        dob_year_month=0.02,
        dob_year=0.03,
        dob_age=0.05,
        age_error=2,
        day_month_swap=0.03,
        date_typo=0.02,
        placeholder_day=0.02,
        sex_missing=0.05,
        citizenship_missing=0.08,
        citizenship_wrong=0.01,
        duplicate=0.08,
        sibling=0.03,
    ),
    "hard": NoiseSetting(
        name="hard",
        typo=0.10,
        variant=0.40,
        drop_diacritics=0.6,
        swap_order=0.06,
        nickname=0.06,
        given_missing=0.03,
        family_missing=0.04,
        dob_full=0.72,
        dob_year_month=0.05,
        dob_year=0.06,
        dob_age=0.12,
        age_error=3,
        day_month_swap=0.06,
        date_typo=0.04,
        placeholder_day=0.04,
        sex_missing=0.10,
        citizenship_missing=0.15,
        citizenship_wrong=0.02,
        duplicate=0.12,
        sibling=0.05,
    ),
}


# --- name material ----------------------------------------------------------------------------
# Cyrillic origins hold their names in Cyrillic and romanise them per record.

_CYRILLIC_ROMANISATIONS: dict[str, dict[str, str]] = {
    # English practice (BGN/PCGN style)
    "english": {
        "а": "a",
        "б": "b",
        "в": "v",
        "г": "g",
        "ґ": "g",
        "д": "d",
        "е": "e",
        "є": "ye",
        "ё": "yo",
        "ж": "zh",
        "з": "z",
        "и": "i",
        "і": "i",
        "ї": "yi",
        "й": "y",
        "к": "k",
        "л": "l",
        "м": "m",
        "н": "n",
        "о": "o",
        "п": "p",
        "р": "r",
        "с": "s",
        "т": "t",
        "у": "u",
        "ф": "f",
        "х": "kh",
        "ц": "ts",
        "ч": "ch",
        "ш": "sh",
        "щ": "shch",
        "ъ": "",
        "ы": "y",
        "ь": "",
        "э": "e",
        "ю": "yu",
        "я": "ya",
    },
    # Passports (ICAO Doc 9303)
    "passport": {
        "а": "a",
        "б": "b",
        "в": "v",
        "г": "g",
        "ґ": "g",
        "д": "d",
        "е": "e",
        "є": "ie",
        "ё": "e",
        "ж": "zh",
        "з": "z",
        "и": "i",
        "і": "i",
        "ї": "i",
        "й": "i",
        "к": "k",
        "л": "l",
        "м": "m",
        "н": "n",
        "о": "o",
        "п": "p",
        "р": "r",
        "с": "s",
        "т": "t",
        "у": "u",
        "ф": "f",
        "х": "kh",
        "ц": "ts",
        "ч": "ch",
        "ш": "sh",
        "щ": "shch",
        "ъ": "ie",
        "ы": "y",
        "ь": "",
        "э": "e",
        "ю": "iu",
        "я": "ia",
    },
    "german": {
        "а": "a",
        "б": "b",
        "в": "w",
        "г": "g",
        "ґ": "g",
        "д": "d",
        "е": "e",
        "є": "je",
        "ё": "jo",
        "ж": "sch",
        "з": "s",
        "и": "i",
        "і": "i",
        "ї": "ji",
        "й": "j",
        "к": "k",
        "л": "l",
        "м": "m",
        "н": "n",
        "о": "o",
        "п": "p",
        "р": "r",
        "с": "s",
        "т": "t",
        "у": "u",
        "ф": "f",
        "х": "ch",
        "ц": "z",
        "ч": "tsch",
        "ш": "sch",
        "щ": "schtsch",
        "ъ": "",
        "ы": "y",
        "ь": "",
        "э": "e",
        "ю": "ju",
        "я": "ja",
    },
    "swedish": {
        "а": "a",
        "б": "b",
        "в": "v",
        "г": "g",
        "ґ": "g",
        "д": "d",
        "е": "e",
        "є": "je",
        "ё": "jo",
        "ж": "zj",
        "з": "z",
        "и": "i",
        "і": "i",
        "ї": "ji",
        "й": "j",
        "к": "k",
        "л": "l",
        "м": "m",
        "н": "n",
        "о": "o",
        "п": "p",
        "р": "r",
        "с": "s",
        "т": "t",
        "у": "u",
        "ф": "f",
        "х": "ch",
        "ц": "ts",
        "ч": "tj",
        "ш": "sj",
        "щ": "sjtj",
        "ъ": "",
        "ы": "y",
        "ь": "",
        "э": "e",
        "ю": "ju",
        "я": "ja",
    },
}


# Spellings of one name that agencies write interchangeably.
_VARIANTS: tuple[tuple[str, ...], ...] = (
    ("Mohammed", "Muhammad", "Mohamed", "Mohammad", "Muhammed", "Mohamad"),
    ("Ahmed", "Ahmad", "Achmed"),
    ("Hussein", "Husein", "Hossein", "Husain"),
    ("Hassan", "Hasan"),
    ("Fatima", "Fatma", "Fatemeh"),
    ("Aisha", "Aysha", "Aischa", "Ayesha"),
    ("Abdullah", "Abdallah", "Abdulla", "Abdellah"),
    ("Yusuf", "Yousef", "Youssef", "Jusuf"),
    ("Mustafa", "Mostafa", "Moustafa"),
    ("Khadija", "Khadidja", "Hadija"),
    ("Maryam", "Mariam", "Meryem"),
    ("Zainab", "Zaynab", "Zeinab"),
    ("Rachid", "Rashid", "Rachide"),
    ("Said", "Saeed", "Saïd"),
    ("Khalid", "Khaled"),
    ("Ayoub", "Ayub", "Ayyub"),
    ("Mohammadi", "Mohamadi", "Muhammadi"),
    ("Hosseini", "Husseini", "Hussaini"),
    ("Rezai", "Rezaei", "Rezaie"),
    ("Somchai", "Somchay"),
    ("Siriporn", "Siripon", "Siriphon"),
    ("Pornthip", "Porntip", "Phonthip"),
    ("Kanokwan", "Kanokwun"),
    ("Thongchai", "Tongchai"),
    ("Wanida", "Vanida"),
    ("Sukanya", "Sukanja"),
    ("Chaiya", "Chaiyaa", "Chaya"),
    ("Nguyễn", "Nguyen", "Nguen"),
    ("Tesfay", "Tesfaye", "Tesfai"),
    ("Gebremariam", "Ghebremariam", "Gebremaryam"),
    ("Yohannes", "Johannes", "Yohanes"),
    ("Berhane", "Berhe", "Birhane"),
    ("Haile", "Hayle"),
    ("Mebrahtu", "Mebrahtom"),
    ("Blessing", "Blessen"),
    ("Precious", "Presious"),
    ("Osaretin", "Osarentin"),
    ("Ioana", "Ionna"),
    ("Elena", "Helena", "Jelena"),
    ("Maria", "Mariya", "Marija"),
)
_VARIANT_OF: dict[str, tuple[str, ...]] = {name: group for group in _VARIANTS for name in group}

# How transliterations and foreign clerks vary the spelling of names of an origin: one rule,
# where it applies, per varied name (RTGS against informal Thai romanisation, French against
# English romanisation of Arabic, Tigrinya vowels, Albanian and Hungarian letters written by
# Swedish clerks, Swedish double consonants).
_SPELLING_RULES: dict[str, tuple[tuple[str, str], ...]] = {
    "TH": (
        ("ph", "p"),
        ("th", "t"),
        ("kh", "k"),
        ("porn", "phon"),
        ("chai", "chay"),
        ("w", "v"),
        ("ee", "i"),
        ("oo", "u"),
        ("u", "oo"),
    ),
    "AF": (
        ("ou", "u"),
        ("u", "ou"),
        ("ee", "i"),
        ("oo", "u"),
        ("i", "ee"),
        ("mm", "m"),
        ("kh", "h"),
        ("q", "k"),
        ("a", "e"),
        ("zai", "zay"),
    ),
    "MA": (
        ("ou", "u"),
        ("u", "ou"),
        ("ch", "sh"),
        ("dj", "j"),
        ("kh", "h"),
        ("q", "k"),
        ("ss", "s"),
        ("el ", "el-"),
        ("el ", ""),
    ),
    "ER": (("y", "i"), ("gh", "g"), ("e", "a"), ("ts", "s"), ("w", "u")),
    "AL": (("xh", "j"), ("xh", "dj"), ("q", "ch"), ("ç", "ch"), ("ë", "e"), ("sh", "sch")),
    "HU": (("sz", "s"), ("cs", "ch"), ("gy", "dj"), ("ly", "j")),
    "SE": (("ss", "s"), ("qvist", "kvist"), ("ph", "f"), ("w", "v")),
    "NG": (("ph", "f"), ("gb", "b")),
    "PL": (("w", "v"), ("sz", "sh"), ("cz", "ch")),
}

# Nicknames the agencies write instead of a given name; some are in the standardiser's table,
# some (on purpose) are not.

# Nicknames the agencies write instead of a given name; some are in the standardiser's table,
# some (on purpose) are not.
_NICKNAMES_OF: dict[str, tuple[str, ...]] = {
    "Александр": ("Саша",),
    "Александра": ("Саша",),
    "Мария": ("Маша",),
    "Наталья": ("Наташа",),
    "Наталія": ("Наташа",),
    "Татьяна": ("Таня",),
    "Екатерина": ("Катя",),
    "Ольга": ("Оля",),
    "Елена": ("Лена",),
    "Анастасия": ("Настя",),
    "Дмитрий": ("Дима",),
    "Владимир": ("Вова", "Володя"),
    "Светлана": ("Света",),
    "Ирина": ("Ира",),
    "Nicolae": ("Nicu",),
    "Gabriela": ("Gabi",),
    "Constantin": ("Costel",),
    "Ștefan": ("Fane",),
    "Chukwuemeka": ("Emeka",),
    "Babatunde": ("Tunde",),
    "Katarzyna": ("Kasia",),
    "Małgorzata": ("Gosia",),
    "Mohammed": ("Mo", "Hamoudi"),
    "Ioana": ("Oana",),
    "Precious": ("Presh",),
    "Blessing": ("Bless",),
}


def _zipf_weights(n: int, q: float, s: float = 1.0) -> np.ndarray:
    """Zipf-Mandelbrot probabilities ``1/(rank + q)^s``, normalised, for ranks 1..n."""
    weights = 1.0 / (np.arange(1, n + 1) + q) ** s
    return weights / weights.sum()


@dataclass(frozen=True)
class _Pool:
    """Names of one kind with their probabilities; ``female`` holds the women's forms of
    gendered family names at the same positions (``None`` when the form does not change)."""

    names: tuple[str, ...]
    p: np.ndarray
    female: tuple[str, ...] | None = None

    @property
    def cumulative(self) -> list[float]:
        return _cumulative(self.p.tobytes())

    def pick(self, rng: random.Random) -> int:
        return min(bisect.bisect_right(self.cumulative, rng.random()), len(self.names) - 1)

    def name(self, rng: random.Random) -> str:
        return self.names[self.pick(rng)]

    def form(self, index: int, female: bool) -> str:
        return (self.female if female and self.female else self.names)[index]


@cache
def _cumulative(p: bytes) -> list[float]:
    return np.cumsum(np.frombuffer(p)).tolist()


def _pool(names: Sequence[str], q: float | None = None) -> _Pool:
    # With q = 10 the commonest of a hundred names has about a 4 per cent share and the tenth
    # 2 per cent, as for given names in real populations.
    q = 10.0 if q is None else q
    return _Pool(tuple(names), _zipf_weights(len(names), q))


def _composed(
    head: Sequence[str],
    stems: Sequence[str],
    middles: Sequence[str],
    endings: Sequence[str],
    *,
    female_endings: Sequence[str] | None = None,
    cyrillic: bool = False,
    q: float = 12.0,
    seed: int,
) -> _Pool:
    """Family names: the real ``head`` first (most common), then stem + middle + ending
    compositions ordered so that early stems, no middle and early endings are commoner."""
    jitter = random.Random(seed)  # noqa: S311 (simulation, not security)
    composed: list[tuple[float, str, str]] = []
    for m, middle in enumerate(middles):
        for i, stem in enumerate(stems):
            for e, ending in enumerate(endings):
                male = stem + middle + ending
                if female_endings:
                    woman = stem + middle + female_endings[e % len(female_endings)]
                elif cyrillic and male.endswith(("ов", "ев", "ёв", "ин")):
                    woman = male + "а"
                else:
                    woman = male
                rank = (m + 1) * (i + 1) * (e + 1) * (1 + jitter.random())
                composed.append((rank, male, woman))
    composed.sort()
    seen = set(head)
    male_forms, female_forms = list(head), list(head)
    for _, male, woman in composed:
        if male not in seen:
            seen.add(male)
            male_forms.append(male)
            female_forms.append(woman)
    female = tuple(female_forms) if female_forms != male_forms else None
    return _Pool(tuple(male_forms), _zipf_weights(len(male_forms), q), female)


@dataclass(frozen=True)
class _Origin:
    code: str
    weight: float
    female: _Pool
    male: _Pool
    family: _Pool | None  # None: patronymic (the father's given name)
    family_first: bool = False
    cyrillic: bool = False
    two_given: float = 0.15
    given_style: str = "plain"  # plain, vietnamese (middle + given), chinese (syllables)
    middles: tuple[_Pool, _Pool] | None = None  # Vietnamese middle names (female, male)
    no_family: float = 0.0  # share recorded with the father's name as family name


def _shares(shares: dict[str, float]) -> _Pool:
    p = np.array(list(shares.values()))
    return _Pool(tuple(shares), p / p.sum())


@cache
def _origins() -> tuple[_Origin, ...]:
    """The countries of origin, weighted roughly as in Swedish identification statistics."""
    return (
        _Origin(
            "RO",
            0.22,
            _pool(N.RO_FEMALE),
            _pool(N.RO_MALE),
            _composed(
                N.RO_FAMILY, N.RO_FAMILY_STEMS, N.RO_FAMILY_MIDDLES, N.RO_FAMILY_ENDINGS, seed=1
            ),
            two_given=0.2,
        ),
        _Origin(
            "BG",
            0.08,
            _pool(N.BG_FEMALE),
            _pool(N.BG_MALE),
            _composed(
                (),
                N.BG_FAMILY_STEMS,
                N.BG_FAMILY_MIDDLES,
                N.BG_FAMILY_ENDINGS,
                cyrillic=True,
                q=6,
                seed=2,
            ),
            cyrillic=True,
            two_given=0.05,
        ),
        _Origin(
            "NG",
            0.16,
            _pool(N.NG_FEMALE),
            _pool(N.NG_MALE),
            _composed(
                N.NG_FAMILY,
                N.NG_FAMILY_STEMS,
                N.NG_FAMILY_MIDDLES,
                N.NG_FAMILY_ENDINGS,
                q=20,
                seed=3,
            ),
            two_given=0.2,
        ),
        _Origin(
            "TH",
            0.07,
            _pool(N.TH_FEMALE),
            _pool(N.TH_MALE),
            # Thai surnames are unique to a family by law: a flat, very long tail.
            _composed(
                (), N.TH_FAMILY_STEMS, N.TH_FAMILY_MIDDLES, N.TH_FAMILY_ENDINGS, q=200, seed=4
            ),
            two_given=0.0,
        ),
        _Origin(
            "VN",
            0.06,
            _pool(N.VN_FEMALE_GIVEN),
            _pool(N.VN_MALE_GIVEN),
            _shares(N.VN_FAMILY_SHARES),
            family_first=True,
            two_given=0.0,
            given_style="vietnamese",
            middles=(_pool(N.VN_FEMALE_MIDDLE, q=1), _pool(N.VN_MALE_MIDDLE, q=1)),
        ),
        _Origin(
            "CN",
            0.03,
            _pool(N.CN_FEMALE_SYLLABLES),
            _pool(N.CN_MALE_SYLLABLES),
            _pool(N.CN_FAMILY, q=2),
            family_first=True,
            two_given=0.0,
            given_style="chinese",
        ),
        _Origin(
            "UA",
            0.07,
            _pool(N.UA_FEMALE),
            _pool(N.UA_MALE),
            _composed(
                (),
                N.UA_FAMILY_STEMS,
                N.UA_FAMILY_MIDDLES,
                N.UA_FAMILY_ENDINGS,
                cyrillic=True,
                q=10,
                seed=5,
            ),
            cyrillic=True,
            two_given=0.0,
        ),
        _Origin(
            "RU",
            0.03,
            _pool(N.RU_FEMALE),
            _pool(N.RU_MALE),
            _composed(
                (),
                N.RU_FAMILY_STEMS,
                N.RU_FAMILY_MIDDLES,
                N.RU_FAMILY_ENDINGS,
                cyrillic=True,
                q=6,
                seed=6,
            ),
            cyrillic=True,
            two_given=0.0,
        ),
        _Origin(
            "HU",
            0.04,
            _pool(N.HU_FEMALE),
            _pool(N.HU_MALE),
            _composed(N.HU_FAMILY, N.HU_FAMILY_STEMS, ("",), N.HU_FAMILY_ENDINGS, q=12, seed=10),
            two_given=0.1,
        ),
        _Origin(
            "AL",
            0.03,
            _pool(N.AL_FEMALE),
            _pool(N.AL_MALE),
            _composed(N.AL_FAMILY, N.AL_FAMILY_STEMS, ("",), N.AL_FAMILY_ENDINGS, q=12, seed=11),
            two_given=0.0,
        ),
        _Origin(
            "AF",
            0.05,
            _pool(N.AF_FEMALE),
            _pool(N.AF_MALE),
            _composed(N.AF_FAMILY, N.AF_FAMILY_STEMS, ("",), N.AF_FAMILY_ENDINGS, q=12, seed=12),
            two_given=0.05,
            no_family=0.3,
        ),
        _Origin(
            "MA",
            0.04,
            _pool(N.MA_FEMALE),
            _pool(N.MA_MALE),
            _composed(
                N.MA_FAMILY,
                N.MA_FAMILY_PREFIXES,
                N.MA_FAMILY_ROOTS,
                N.MA_FAMILY_ENDINGS,
                q=12,
                seed=13,
            ),
            two_given=0.05,
        ),
        _Origin("ER", 0.03, _pool(N.ER_FEMALE), _pool(N.ER_MALE), None, two_given=0.0),
        _Origin(
            "SE",
            0.05,
            _pool(N.SE_FEMALE),
            _pool(N.SE_MALE),
            _composed(
                N.SE_FAMILY,
                N.SE_FAMILY_STEMS,
                N.SE_FAMILY_MIDDLES,
                N.SE_FAMILY_ENDINGS,
                q=6,
                seed=7,
            ),
            two_given=0.3,
        ),
        _Origin(
            "PL",
            0.02,
            _pool(N.PL_FEMALE),
            _pool(N.PL_MALE),
            _composed(
                (),
                N.PL_FAMILY_STEMS,
                N.PL_FAMILY_MIDDLES,
                N.PL_FAMILY_ENDINGS,
                female_endings=N.PL_FEMALE_ENDINGS,
                q=6,
                seed=8,
            ),
            two_given=0.05,
        ),
        _Origin(
            "LT",
            0.02,
            _pool(N.LT_FEMALE),
            _pool(N.LT_MALE),
            _composed(
                (),
                N.LT_FAMILY_STEMS,
                N.LT_FAMILY_MIDDLES,
                N.LT_FAMILY_ENDINGS,
                female_endings=N.LT_FEMALE_ENDINGS,
                q=6,
                seed=9,
            ),
            two_given=0.05,
        ),
    )


def name_pool_summary() -> pd.DataFrame:
    """Per origin: distinct given names per sex and family names, and the share of the
    commonest and the chance that two random persons share the name (sum of squared shares).

    For the documentation: shows the generator's name diversity is that of real populations.
    """
    rows = []
    for origin in _origins():
        row: dict[str, Any] = {"origin": origin.code, "weight": origin.weight}
        for label, pool in (("female", origin.female), ("male", origin.male)):
            row[f"{label}_given"] = len(pool.names)
            row[f"{label}_top_share"] = float(pool.p.max())
            row[f"{label}_collision"] = float((pool.p**2).sum())
        family = origin.family or origin.male
        row["family"] = len(family.names)
        row["family_top_share"] = float(family.p.max())
        row["family_collision"] = float((family.p**2).sum())
        rows.append(row)
    return pd.DataFrame(rows)


_REGIONS: tuple[str, ...] = (
    "Stockholm",
    "Västra Götaland",
    "Skåne",
    "Östergötland",
    "Uppsala",
    "Jönköping",
    "Halland",
    "Örebro",
    "Södermanland",
    "Dalarna",
    "Gävleborg",
    "Värmland",
    "Västmanland",
    "Västerbotten",
    "Norrbotten",
    "Kalmar",
    "Västernorrland",
    "Kronoberg",
    "Blekinge",
    "Jämtland",
    "Gotland",
)

_PURPOSE_WEIGHTS: dict[str, float] = {
    "sexual": 0.45,
    "forced_labour": 0.2,
    "begging": 0.1,
    "crime": 0.12,
    "forced_marriage": 0.03,
    "other_distress": 0.05,
    "organ_removal": 0.005,
    "war_service": 0.005,
    "unknown": 0.04,
}

# How each agency writes its lists (a habit, not a rule: every record may deviate).
# ``dob_incomplete`` scales the setting's shares of partial, age-only and missing birth dates
# (the support line often hears only an age; the Migration Agency has documents), and
# ``placeholder`` its rate of 1 January for an estimated date (the Migration Agency's habit).
_AGENCY_STYLE: dict[str, dict[str, Any]] = {
    "coordinators": {
        "date": "iso",
        "sex": "sv",
        "cit": "sv",
        "romanise": "english",
        "capture": 0.35,
        "dob_incomplete": 1.0,
        "placeholder": 1.0,
        "id": 0.05,
        "passport": 0.15,
    },
    "supportline": {
        "date": "dmy_slash",
        "sex": "letter",
        "cit": "en",
        "romanise": "swedish",
        "capture": 0.25,
        "dob_incomplete": 2.0,
        "placeholder": 0.5,
        "id": 0.02,
        "passport": 0.05,
    },
    "migrationsverket": {
        "date": "compact8",
        "sex": "en",
        "cit": "alpha3",
        "romanise": "passport",
        "capture": 0.45,
        "dob_incomplete": 0.5,
        "placeholder": 3.0,
        "id": 0.55,
        "passport": 0.6,
    },
    "police": {
        "date": "dmy_dot",
        "sex": "sv",
        "cit": "alpha2",
        "romanise": "german",
        "capture": 0.3,
        "dob_incomplete": 0.8,
        "placeholder": 1.0,
        "id": 0.35,
        "passport": 0.35,
    },
}
_GENERIC_STYLE: dict[str, Any] = {
    "date": "iso",
    "sex": "sv",
    "cit": "alpha2",
    "romanise": "english",
    "capture": 0.3,
    "dob_incomplete": 1.0,
    "placeholder": 1.0,
    "id": 0.1,
    "passport": 0.2,
}


@dataclass(frozen=True)
class SyntheticLists:
    """Generated lists and the truth behind them.

    Attributes
    ----------
    sources : tuple of str
        Source names, in order.
    lists : dict of str to pandas.DataFrame
        Per source, the records in the agency list format, as text.
    truth : pandas.DataFrame
        ``source``, ``record_id``, ``person_id`` for every record, with ``corruptions``
        (what was done to the record, ``;``-separated: ``typo``, ``variant``, ``nickname``,
        ``dob_age_only`` ...) and ``relation`` (``sibling`` or ``twin`` when the person has
        one in the population), for the analysis of errors.
    population : int
        Persons simulated, including those no agency identified.
    setting : NoiseSetting
        The error rates used.
    seed : int
    """

    sources: tuple[str, ...]
    lists: dict[str, pd.DataFrame]
    truth: pd.DataFrame
    population: int
    setting: NoiseSetting
    seed: int

    @property
    def n_records(self) -> int:
        return len(self.truth)

    def true_capture_table(self) -> pd.DataFrame:
        """The capture table a perfect linkage would give."""
        from nmt.linkage.capture import capture_table

        return capture_table(self.truth, self.sources)

    def write(self, directory: str | Path, *, xlsx: Sequence[str] = ()) -> dict[str, Path]:
        """Write each list as CSV in its agency's encoding (XLSX for sources in ``xlsx``).

        The support line's list is written in Windows-1252 with semicolons, the way Swedish
        Excel saves CSV; the others in UTF-8, the migration agency's with a BOM.
        """
        directory = Path(directory)
        directory.mkdir(parents=True, exist_ok=True)
        paths: dict[str, Path] = {}
        for source, frame in self.lists.items():
            if source in xlsx:
                path = directory / f"{source}.xlsx"
                frame.to_excel(path, index=False)
            elif source == "supportline":
                path = directory / f"{source}.csv"
                encodable = frame.map(_cp1252_safe)
                encodable.to_csv(path, index=False, sep=";", encoding="cp1252")
            else:
                path = directory / f"{source}.csv"
                encoding = "utf-8-sig" if source == "migrationsverket" else "utf-8"
                frame.to_csv(path, index=False, encoding=encoding)
            paths[source] = path
        return paths

    def to_dict(self) -> dict[str, Any]:
        return {
            "sources": list(self.sources),
            "records": {s: len(f) for s, f in self.lists.items()},
            "persons_identified": int(self.truth["person_id"].nunique()),
            "population": self.population,
            "setting": self.setting.name,
            "seed": self.seed,
        }


def _cp1252_safe(value: Any) -> Any:
    if not isinstance(value, str):
        return value
    # Windows-1252 lacks ș, ț, ă, ő, ė and Cyrillic; agencies' systems replace them.
    from anyascii import anyascii

    return "".join(c if _in_cp1252(c) else anyascii(c) for c in value)


def _in_cp1252(char: str) -> bool:
    try:
        char.encode("cp1252")
    except UnicodeEncodeError:
        return False
    return True


@dataclass
class _Person:
    origin: _Origin
    sex: str
    given: list[str]
    family: str
    birth: date
    citizenship: str
    id_number: str | None = None  # personnummer (Swedish-born) or coordination number
    passports: list[str] = field(default_factory=list)
    purposes: list[str] = field(default_factory=list)
    region: str = ""
    relation: str = ""  # "sibling" or "twin" of another person in the population


def _luhn_digit(nine: str) -> str:
    total = 0
    for position, char in enumerate(nine):
        product = int(char) * (2 if position % 2 == 0 else 1)
        total += product - 9 if product > 9 else product
    return str((10 - total % 10) % 10)


def _swedish_number(born: date, rng: random.Random, *, coordination: bool) -> str:
    serial = f"{rng.randrange(1000):03d}"
    day = born.day + 60 if coordination else born.day
    nine = f"{born.year % 100:02d}{born.month:02d}{day:02d}{serial}"
    return f"{born.year // 100:02d}{nine}{_luhn_digit(nine)}"


def _romanise(text: str, system: str) -> str:
    table = _CYRILLIC_ROMANISATIONS[system]
    out = []
    for i, char in enumerate(text):
        lower = char.lower()
        if lower in table:
            latin = table[lower]
            # English practice writes initial е as ye.
            if system == "english" and lower == "е" and (i == 0 or text[i - 1] == " "):
                latin = "ye"
            out.append(latin.capitalize() if char.isupper() else latin)
        else:
            out.append(char)
    return "".join(out)


_KEYBOARD = string.ascii_lowercase


def _typo(word: str, rng: random.Random) -> str:
    if len(word) < 3:
        return word
    i = rng.randrange(1, len(word))
    kind = rng.random()
    if kind < 0.3:
        return word[:i] + word[i + 1 :]
    if kind < 0.55:
        return word[:i] + rng.choice(_KEYBOARD) + word[i:]
    if kind < 0.8:
        return word[:i] + rng.choice(_KEYBOARD) + word[i + 1 :]
    if i < len(word) - 1:
        return word[:i] + word[i + 1] + word[i] + word[i + 2 :]
    return word + word[-1]


def _strip_diacritics(text: str) -> str:
    from anyascii import anyascii

    return "".join(anyascii(c) if ord(c) > 127 and c.isalpha() else c for c in text)


def _given_name(origin: _Origin, female: bool, rng: random.Random) -> list[str]:
    pool = origin.female if female else origin.male
    if origin.given_style == "chinese":
        count = 1 if rng.random() < 0.3 else 2
        return [" ".join(pool.name(rng) for _ in range(count))]
    if origin.given_style == "vietnamese" and origin.middles is not None:
        middle = origin.middles[0 if female else 1]
        return [f"{middle.name(rng)} {pool.name(rng)}"]
    first = pool.name(rng)
    given = [first]
    if origin.two_given and rng.random() < origin.two_given:
        second = pool.name(rng)
        if second != first:
            given.append(second)
    return given


def _family_name(origin: _Origin, female: bool, rng: random.Random) -> str:
    if origin.family is None or (origin.no_family and rng.random() < origin.no_family):
        return origin.male.name(rng)
    return origin.family.form(origin.family.pick(rng), female)


def _sibling_family(origin: _Origin, family: str, female: bool) -> str:
    """The family name of a sibling of the other sex (Popov / Popova, Kowalski / Kowalska)."""
    pool = origin.family
    if pool is None or pool.female is None:
        return family
    source = pool.female if not female else pool.names
    target = pool.female if female else pool.names
    try:
        return target[source.index(family)]
    except ValueError:
        return family


def _population(
    n: int, rng: np.random.Generator, reference: date, noise: NoiseSetting
) -> list[_Person]:
    origins = _origins()
    weights = np.array([o.weight for o in origins])
    origin_index = rng.choice(len(origins), size=n, p=weights / weights.sum())
    female = rng.random(n) < 0.72
    # Ages at identification: mostly young adults, a fifth children.
    ages = np.clip(rng.gamma(6.0, 4.5, size=n).astype(int) + 8, 12, 70)
    days = rng.integers(0, 365, size=n)
    purposes = list(_PURPOSE_WEIGHTS)
    purpose_p = np.array(list(_PURPOSE_WEIGHTS.values()))
    purpose_p /= purpose_p.sum()
    sibling_of = np.where(rng.random(n) < noise.sibling, rng.integers(0, max(n, 1), n), -1)
    scalar = random.Random(int(rng.integers(0, 2**63)))  # noqa: S311 (simulation)
    people: list[_Person] = []
    for k in range(n):
        is_female = bool(female[k])
        j = int(sibling_of[k])
        if 0 <= j < k:
            # A sibling of an earlier person: same origin and family name, born one to eight
            # years apart, or a twin.
            elder = people[j]
            origin = elder.origin
            family = _sibling_family(origin, elder.family, is_female)
            twin = scalar.random() < 0.1
            if twin:
                birth = elder.birth
            else:
                gap = scalar.choice((-1, 1)) * scalar.randint(1, 8) * 365
                birth = elder.birth + timedelta(days=gap + scalar.randint(-150, 150))
                birth = min(birth, reference - timedelta(days=12 * 365))
            region = elder.region if scalar.random() < 0.8 else _region(scalar)
        else:
            origin = origins[origin_index[k]]
            family = _family_name(origin, is_female, scalar)
            birth = reference - timedelta(days=int(ages[k]) * 365 + int(days[k]))
            region = _region(scalar)
        given = _given_name(origin, is_female, scalar)
        if 0 <= j < k:
            # Parents do not give two of their children the same name.
            for _ in range(20):
                if not set(given) & set(people[j].given):
                    break
                given = _given_name(origin, is_female, scalar)
        person = _Person(
            origin=origin,
            sex="f" if is_female else "m",
            given=given,
            family=family,
            birth=birth,
            citizenship=origin.code,
        )
        if origin.code == "SE":
            person.id_number = _swedish_number(birth, scalar, coordination=False)
        elif scalar.random() < 0.4:
            person.id_number = _swedish_number(birth, scalar, coordination=True)
        person.passports = [
            "".join(scalar.choices(string.ascii_uppercase, k=2))
            + str(scalar.randrange(10**6, 10**7))
            for _ in range(scalar.randrange(3))
        ]
        chosen = scalar.choices(purposes, weights=purpose_p, k=1 + int(scalar.random() < 0.2))
        person.purposes = sorted(set(chosen))
        person.region = region
        if 0 <= j < k:
            person.relation = elder.relation = "twin" if twin else (elder.relation or "sibling")
        people.append(person)
    return people


def _region(rng: random.Random) -> str:
    return _REGIONS[min(int(rng.expovariate(0.25)), len(_REGIONS) - 1)]


def _spelling_variant(word: str, origin: _Origin, rng: random.Random) -> str:
    group = _VARIANT_OF.get(word)
    if group is not None:
        return rng.choice(group)
    rules = _SPELLING_RULES.get(origin.code)
    if not rules:
        return word
    lower = word.lower()
    usable = [(a, b) for a, b in rules if a in lower]
    if not usable:
        return word
    old, new = rng.choice(usable)
    starts = [i for i in range(len(lower)) if lower.startswith(old, i)]
    at = rng.choice(starts)
    varied = lower[:at] + new + lower[at + len(old) :]
    if word[:1].isupper():
        varied = " ".join(part[:1].upper() + part[1:] for part in varied.split(" "))
    return varied


def _render_name(
    part: str,
    person: _Person,
    style: dict[str, Any],
    noise: NoiseSetting,
    rng: random.Random,
    flags: set[str],
) -> str:
    origin = person.origin
    if origin.cyrillic:
        if rng.random() < 0.03:
            text = part
            flags.add("cyrillic_kept")
        else:
            system = style["romanise"]
            if rng.random() < noise.variant:
                system = rng.choice(list(_CYRILLIC_ROMANISATIONS))
                if system != style["romanise"]:
                    flags.add("variant")
            text = _romanise(part, system)
    else:
        chinese_given = origin.given_style == "chinese" and part in person.given
        # Two-syllable Chinese given names: joined (Xiaoling) more often than spaced (Xiao Ling).
        if chinese_given and " " in part and rng.random() < 0.65:
            part = part.replace(" ", "").capitalize()
        if rng.random() < noise.variant:
            words = part.split(" ")
            j = rng.randrange(len(words))
            varied = _spelling_variant(words[j], origin, rng)
            if varied != words[j]:
                flags.add("variant")
            words[j] = varied
            text = " ".join(words)
        else:
            text = part
        if rng.random() < noise.drop_diacritics:
            text = _strip_diacritics(text)
        elif rng.random() < 0.15:
            # Cedilla for comma below (ş for ș, ţ for ț): both are in use in Romania.
            text = text.replace("ș", "ş").replace("ț", "ţ").replace("Ș", "Ş").replace("Ț", "Ţ")
    if rng.random() < noise.typo:
        words = text.split(" ")
        j = rng.randrange(len(words))
        words[j] = _typo(words[j], rng)
        text = " ".join(words)
        flags.add("typo")
    if rng.random() < 0.05:
        text = text.upper()
    return text


def _format_date(born: date, style: str) -> str:
    if style == "compact8":
        return born.strftime("%Y%m%d")
    if style == "dmy_slash":
        return born.strftime("%d/%m/%Y")
    if style == "dmy_dot":
        return born.strftime("%d.%m.%Y")
    if style == "compact6":
        return born.strftime("%y%m%d")
    return born.isoformat()


_SEX_WORDS = {
    "sv": {
        ("f", False): "kvinna",
        ("m", False): "man",
        ("f", True): "flicka",
        ("m", True): "pojke",
    },
    "en": {
        ("f", False): "female",
        ("m", False): "male",
        ("f", True): "female",
        ("m", True): "male",
    },
    "letter": {("f", False): "K", ("m", False): "M", ("f", True): "K", ("m", True): "M"},
}


def _citizenship_text(code: str, style: str) -> str:
    import gettext

    import pycountry

    country = pycountry.countries.get(alpha_2=code)
    if style == "alpha2":
        return code
    if style == "alpha3":
        return country.alpha_3
    name = getattr(country, "common_name", None) or country.name
    if style == "sv":
        swedish = gettext.translation("iso3166-1", pycountry.LOCALES_DIR, languages=["sv"])
        return swedish.gettext(country.name)
    return name


def _record(
    person: _Person,
    record_id: str,
    identified: date,
    style: dict[str, Any],
    noise: NoiseSetting,
    rng: random.Random,
    citizenship_names: dict[tuple[str, str], str],
    flags: set[str],
) -> dict[str, str]:
    origin = person.origin
    given_parts = person.given
    roll = rng.random()
    if len(given_parts) > 1:
        given_parts = (
            given_parts if roll < 0.5 else ([given_parts[0]] if roll < 0.85 else [given_parts[1]])
        )
        if len(given_parts) == 1:
            flags.add("one_of_two_given")
    given_words = list(given_parts)
    aliases: list[str] = []
    nick = _NICKNAMES_OF.get(given_words[0])
    if nick and rng.random() < noise.nickname * 4:
        nickname = rng.choice(nick)
        if rng.random() < 0.5:
            given_words[0] = nickname
            flags.add("nickname")
        else:
            aliases.append(nickname)
            flags.add("alias")
    given = " ".join(_render_name(g, person, style, noise, rng, flags) for g in given_words)
    family = _render_name(person.family, person, style, noise, rng, flags)
    aliases = [_render_name(a, person, style, noise, rng, flags) for a in aliases]
    swapped = rng.random() < noise.swap_order + (0.25 if origin.family_first else 0.0)
    if swapped:
        given, family = family, given
        flags.add("order_swapped")
    if rng.random() < noise.given_missing:
        given = ""
        flags.add("given_missing")
    if rng.random() < noise.family_missing:
        family = ""
        flags.add("family_missing")

    age = (
        identified.year
        - person.birth.year
        - ((identified.month, identified.day) < (person.birth.month, person.birth.day))
    )
    birth_text, age_text = "", ""
    born = person.birth
    scale = style["dob_incomplete"]
    year_month = noise.dob_year_month * scale
    year_only = year_month + noise.dob_year * scale
    age_only = year_only + noise.dob_age * scale
    missing = (
        age_only
        + (1.0 - noise.dob_full - noise.dob_year_month - noise.dob_year - noise.dob_age) * scale
    )
    pick = rng.random()
    if pick >= missing:
        shown = born
        if rng.random() < noise.day_month_swap and born.day <= 12 and born.day != born.month:
            shown = date(born.year, born.day, born.month)
            flags.add("dob_day_month_swap")
        elif rng.random() < noise.date_typo:
            shown = _date_typo(born, rng)
            flags.add("dob_typo")
        elif rng.random() < noise.placeholder_day * style["placeholder"]:
            shown = date(born.year, 1, 1)
            flags.add("dob_1_january")
        if shown > identified:
            shown = born
            flags -= {"dob_day_month_swap", "dob_typo", "dob_1_january"}
        birth_text = _format_date(shown, style["date"] if rng.random() > 0.1 else "iso")
    elif pick < year_month:
        birth_text = f"{born.year:04d}-{born.month:02d}"
        flags.add("dob_year_month")
    elif pick < year_only:
        birth_text = f"{born.year:04d}"
        flags.add("dob_year_only")
    elif pick < age_only:
        error = rng.randint(-noise.age_error, noise.age_error)
        age_text = str(max(age + error, 1))
        flags.add("dob_age_only")
    else:
        flags.add("dob_missing")

    sex = ""
    if rng.random() >= noise.sex_missing:
        sex = _SEX_WORDS[style["sex"]][(person.sex, age < 18)]
    else:
        flags.add("sex_missing")

    citizenship = ""
    if rng.random() >= noise.citizenship_missing:
        code = person.citizenship
        if rng.random() < noise.citizenship_wrong:
            code = rng.choice(_origins()).code
            if code != person.citizenship:
                flags.add("citizenship_wrong")
        key = (code, style["cit"] if rng.random() > 0.1 else "alpha2")
        if key not in citizenship_names:
            citizenship_names[key] = _citizenship_text(*key)
        citizenship = citizenship_names[key]
    else:
        flags.add("citizenship_missing")

    id_number = ""
    if person.id_number and rng.random() < style["id"]:
        number = person.id_number
        id_number = f"{number[2:8]}-{number[8:]}" if rng.random() < 0.5 else number
    elif person.passports and rng.random() < style["passport"]:
        id_number = rng.choice(person.passports)
        if rng.random() < noise.typo / 2:
            id_number = _typo(id_number.lower(), rng).upper()
            flags.add("id_typo")

    purposes = person.purposes
    if len(purposes) > 1 and rng.random() < 0.3:
        purposes = purposes[:1]
    region = person.region if rng.random() > 0.1 else rng.choice(_REGIONS)
    return {
        "record_id": record_id,
        "given_name": given,
        "family_name": family,
        "aliases": ";".join(aliases),
        "birth_date": birth_text,
        "age": age_text,
        "sex": sex,
        "citizenship": citizenship,
        "identification_date": identified.isoformat(),
        "purposes": ";".join(purposes),
        "region": region,
        "id_number": id_number,
    }


def _date_typo(born: date, rng: random.Random) -> date:
    for _ in range(10):
        text = born.strftime("%Y%m%d")
        position = rng.randrange(2, 8)
        digit = str(rng.randrange(10))
        candidate = text[:position] + digit + text[position + 1 :]
        try:
            return date(int(candidate[:4]), int(candidate[4:6]), int(candidate[6:]))
        except ValueError:
            continue
    return born


def generate(
    n_records: int = 10_000,
    *,
    setting: str | NoiseSetting = "default",
    seed: int = 0,
    sources: Sequence[str] = DEFAULT_SOURCES,
    year: int = 2024,
) -> SyntheticLists:
    """Generate multi-agency lists of about ``n_records`` records in total.

    Parameters
    ----------
    n_records : int
        Target number of records over all lists (the result is within a few per cent).
    setting : str or NoiseSetting
        ``easy``, ``default``, ``hard`` or a custom :class:`NoiseSetting`.
    seed : int
        Seed of the random generator; the same arguments give the same lists.
    sources : sequence of str
        Source names. The four default agencies have their own habits; other names get a
        generic one.
    year : int
        Year of the identifications.

    Returns
    -------
    SyntheticLists
    """
    noise = SETTINGS[setting] if isinstance(setting, str) else setting
    rng = np.random.default_rng(seed)
    styles = [_AGENCY_STYLE.get(s, _GENERIC_STYLE) for s in sources]
    capture = np.array([s["capture"] for s in styles])
    records_per_identified = 1.0 / (1.0 - noise.duplicate)
    expected_per_person = capture.sum() * records_per_identified
    population = max(1, round(n_records / expected_per_person))
    reference = date(year, 1, 1)
    people = _population(population, rng, reference, noise)

    # Heterogeneous capture: a person's visibility (a latent propensity) scales every
    # agency's chance, so lists are positively dependent, as in real multi-list data.
    visibility = rng.gamma(2.0, 0.5, size=population)
    probabilities = np.clip(visibility[:, None] * capture[None, :], 0, 0.95)
    captured = rng.random((population, len(sources))) < probabilities

    scalar = random.Random(int(rng.integers(0, 2**63)))  # noqa: S311 (simulation)
    rows: dict[str, list[dict[str, str]]] = {s: [] for s in sources}
    truth_source: list[str] = []
    truth_record: list[str] = []
    truth_person: list[str] = []
    truth_flags: list[str] = []
    truth_relation: list[str] = []
    citizenship_names: dict[tuple[str, str], str] = {}
    for j, source in enumerate(sources):
        style = styles[j]
        prefix = source[:3].upper()
        counter = 0
        for k in np.flatnonzero(captured[:, j]):
            person = people[k]
            copies = 1
            while scalar.random() < noise.duplicate:
                copies += 1
            for _ in range(copies):
                counter += 1
                record_id = f"{prefix}-{year}-{counter:07d}"
                identified = reference + timedelta(days=scalar.randrange(365))
                flags: set[str] = set()
                row = _record(
                    person, record_id, identified, style, noise, scalar, citizenship_names, flags
                )
                rows[source].append(row)
                truth_flags.append(";".join(sorted(flags)))
                truth_relation.append(person.relation)
                truth_source.append(source)
                truth_record.append(record_id)
                truth_person.append(f"T{k:08d}")
    lists: dict[str, pd.DataFrame] = {}
    for source in sources:
        frame = pd.DataFrame(rows[source], columns=list(FIELDS))
        # Lists are not sorted by person: shuffle so duplicates are not adjacent.
        lists[source] = frame.sample(
            frac=1.0, random_state=int(rng.integers(0, 2**31))
        ).reset_index(drop=True)
    truth = pd.DataFrame(
        {
            "source": truth_source,
            "record_id": truth_record,
            "person_id": truth_person,
            "corruptions": truth_flags,
            "relation": truth_relation,
        }
    )
    return SyntheticLists(
        sources=tuple(sources),
        lists=lists,
        truth=truth,
        population=population,
        setting=noise,
        seed=seed,
    )


def with_noise(base: str, **changes: Any) -> NoiseSetting:
    """A copy of a named setting with some rates changed (for experiments and tests)."""
    return replace(SETTINGS[base], name=f"{base}*", **changes)
