"""A seeded generator of multi-agency lists of identified persons, with the truth known.

It simulates a population of victims, lets each agency identify some of them (heterogeneous
capture, so some persons are never identified: the dark figure), and writes every
identification as one record the way that agency would: its own date format and code style,
names romanised by its own habit or copied from a passport, with the errors that real lists
have. What is simulated, per record:

* names: diacritics kept or dropped (ș/ş, ă, å, ö, ő, ė ...); Cyrillic names romanised by
  English (BGN/PCGN), passport (ICAO 9303), German or Swedish practice, now and then kept in
  Cyrillic; Thai, Arabic-origin, Eritrean and Vietnamese names in their common variant
  spellings; typing errors; given and family name swapped (Vietnamese and Chinese order above
  all); one, both or the second of two given names; nicknames used as given names or listed
  as aliases; a name missing;
* birth dates: full, year and month, year only, only an estimated age, or missing; day and month
  swapped; a mistyped digit; 1 January written for an unknown day; the year from a personnummer;
* sex, citizenship (code or Swedish or English name; sometimes missing or another country),
  Swedish coordination numbers and passport numbers, region, purposes, identification date;
* duplicates inside one agency's list.

Three settings scale the error rates: ``easy``, ``default`` and ``hard``. The generator is
deterministic given its seed and arguments.
"""

from __future__ import annotations

import string
from collections.abc import Sequence
from dataclasses import dataclass, replace
from datetime import date, timedelta
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

__all__ = [
    "DEFAULT_SOURCES",
    "SETTINGS",
    "NoiseSetting",
    "SyntheticLists",
    "generate",
    "with_noise",
]

DEFAULT_SOURCES: tuple[str, ...] = ("coordinators", "supportline", "migrationsverket", "police")


@dataclass(frozen=True)
class NoiseSetting:
    """Error rates per record (probabilities unless stated)."""

    name: str
    typo: float  # per name field
    variant: float  # another romanisation or spelling variant of the same name
    drop_diacritics: float
    swap_order: float  # extra to the habit of family-name-first cultures
    nickname: float
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
    ),
}


# --- name material ----------------------------------------------------------------------------
# Each origin: weight in the population, ISO code, given names (female, male), family-name
# material, and whether family name customarily comes first. Cyrillic origins hold their names
# in Cyrillic and romanise per record. Family names are built from stems and endings so that a
# million persons do not all share a few dozen surnames; common surnames stay common.

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
    ("Abdullah", "Abdallah", "Abdulla"),
    ("Yusuf", "Yousef", "Youssef", "Jusuf"),
    ("Mustafa", "Mostafa", "Moustafa"),
    ("Khadija", "Khadidja", "Hadija"),
    ("Somchai", "Somchay"),
    ("Siriporn", "Siripon", "Siriphon"),
    ("Pornthip", "Porntip", "Phonthip"),
    ("Kanokwan", "Kanokwun"),
    ("Thongchai", "Tongchai"),
    ("Wanida", "Vanida"),
    ("Sukanya", "Sukanja"),
    ("Chaiya", "Chaiyaa", "Chaya"),
    ("Nguyen", "Nguyễn", "Nguen"),
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


@dataclass(frozen=True)
class _Origin:
    code: str
    weight: float
    female: tuple[str, ...]
    male: tuple[str, ...]
    family_stems: tuple[str, ...]
    family_endings: tuple[str, ...] = ("",)
    family_middles: tuple[str, ...] = ("",)
    female_endings: tuple[str, ...] | None = None  # gendered surname endings (Slavic)
    family_first: bool = False
    cyrillic: bool = False
    common_families: tuple[str, ...] = ()
    common_share: float = 0.0
    two_given: float = 0.15


_ORIGINS: tuple[_Origin, ...] = (
    _Origin(
        "RO",
        0.22,
        female=(
            "Ioana",
            "Maria",
            "Elena",
            "Andreea",
            "Alexandra",
            "Gabriela",
            "Mihaela",
            "Florentina",
            "Nicoleta",
            "Ramona",
            "Roxana",
            "Georgiana",
            "Larisa",
            "Denisa",
            "Bianca",
            "Cristina",
            "Loredana",
            "Alina",
            "Daniela",
            "Simona",
            "Ștefania",
            "Mădălina",
            "Luminița",
            "Violeta",
            "Anișoara",
            "Liliana",
            "Camelia",
            "Raluca",
        ),
        male=(
            "Ion",
            "Gheorghe",
            "Nicolae",
            "Constantin",
            "Vasile",
            "Ștefan",
            "Marian",
            "Florin",
            "Daniel",
            "Adrian",
            "Cristian",
            "Mihai",
            "Ionuț",
            "Costel",
            "Petrică",
            "Marius",
            "Sorin",
            "Cătălin",
            "Bogdan",
            "Alexandru",
            "Dumitru",
            "Iulian",
        ),
        family_stems=(
            "Pop",
            "Ion",
            "Dumitr",
            "Stan",
            "Stoi",
            "Gheorghi",
            "Rad",
            "Munteanu",
            "Constantin",
            "Marin",
            "Tudor",
            "Dobr",
            "Barbu",
            "Nistor",
            "Florea",
            "Ene",
            "Dinu",
            "Lazăr",
            "Mocanu",
            "Ciobanu",
            "Moldovan",
            "Mureșan",
            "Oprea",
            "Pătrașc",
            "Vlăd",
            "Nedelc",
            "Zamfir",
            "Sârb",
            "Țăran",
            "Bălan",
            "Căldăr",
            "Lupu",
            "Neagu",
            "Preda",
            "Voicu",
            "Stănc",
            "Cozm",
            "Ilie",
            "Grigor",
            "Matei",
            "Buzat",
            "Roșc",
            "Chiriac",
            "Răduc",
            "Sandu",
            "Toma",
        ),
        family_middles=("", "", "ov", "ic", "an", "ăr", "in", "ul", "er"),
        family_endings=("escu", "eanu", "u", "", "ache", "oiu", "a"),
        common_families=(
            "Popescu",
            "Ionescu",
            "Popa",
            "Pop",
            "Radu",
            "Dumitru",
            "Stan",
            "Stoica",
            "Gheorghe",
            "Matei",
            "Ciobanu",
            "Lăcătuș",
        ),
        common_share=0.25,
        two_given=0.2,
    ),
    _Origin(
        "BG",
        0.08,
        female=(
            "Мария",
            "Иванка",
            "Елена",
            "Йорданка",
            "Пенка",
            "Цветелина",
            "Десислава",
            "Радостина",
            "Галина",
            "Гергана",
            "Надежда",
            "Силвия",
            "Теодора",
            "Виктория",
            "Станислава",
            "Росица",
            "Ива",
            "Петя",
            "Милена",
            "Зорница",
        ),
        male=(
            "Георги",
            "Иван",
            "Димитър",
            "Николай",
            "Петър",
            "Христо",
            "Стоян",
            "Тодор",
            "Йордан",
            "Васил",
            "Стефан",
            "Атанас",
            "Красимир",
            "Цветан",
            "Живко",
            "Любомир",
        ),
        family_stems=(
            "Иван",
            "Георги",
            "Димитр",
            "Петр",
            "Никол",
            "Христ",
            "Стоян",
            "Тодор",
            "Или",
            "Атанас",
            "Ангел",
            "Йордан",
            "Кол",
            "Марин",
            "Стефан",
            "Костадин",
            "Цветк",
            "Желязк",
            "Михайл",
            "Асен",
            "Рус",
            "Славч",
            "Божин",
            "Чолак",
            "Кирил",
            "Лазар",
            "Драган",
            "Вълк",
            "Поп",
            "Кръст",
            "Гроз",
            "Добр",
            "Пенч",
            "Станч",
            "Велич",
            "Мит",
            "Бог",
            "Злат",
            "Радк",
            "Калч",
        ),
        family_middles=("", "", "ан", "ин", "ач", "ик", "ал"),
        family_endings=("ов", "ев"),
        cyrillic=True,
    ),
    _Origin(
        "NG",
        0.16,
        female=(
            "Blessing",
            "Precious",
            "Joy",
            "Mercy",
            "Favour",
            "Gift",
            "Faith",
            "Esther",
            "Success",
            "Peace",
            "Patience",
            "Comfort",
            "Chidinma",
            "Ngozi",
            "Chioma",
            "Adaeze",
            "Osas",
            "Efe",
            "Eghosa",
            "Osaretin",
            "Itohan",
            "Omoye",
            "Funmilayo",
            "Oluwaseun",
            "Ifeoma",
            "Nneka",
            "Uyi",
            "Aisosa",
            "Vivian",
            "Princess",
        ),
        male=(
            "Chukwuemeka",
            "Babatunde",
            "Osagie",
            "Emmanuel",
            "Godwin",
            "Sunday",
            "Samuel",
            "Friday",
            "Olusegun",
            "Ikenna",
            "Osaze",
            "Efosa",
            "Uche",
            "Kelvin",
            "Victor",
        ),
        family_stems=(
            "Oka",
            "Oko",
            "Eze",
            "Obi",
            "Ade",
            "Ogun",
            "Osa",
            "Igbi",
            "Omo",
            "Ehi",
            "Ighodaro",
            "Nwa",
            "Chuk",
            "Olu",
            "Ako",
            "Uwa",
            "Aig",
            "Idah",
            "Edo",
            "Ogie",
            "Iye",
            "Ose",
            "Agbon",
            "Eki",
            "Oro",
            "Ugo",
            "Onye",
        ),
        family_middles=("", "", "ri", "gbe", "nwa", "si", "ba", "ma"),
        family_endings=(
            "for",
            "nkwo",
            "gie",
            "nedion",
            "regie",
            "ghae",
            "yemi",
            "leye",
            "bueze",
            "kwe",
            "mwan",
            "bor",
            "wanta",
            "ese",
            "ba",
            "kpolor",
            "di",
        ),
        common_families=("Osagie", "Okafor", "Eze", "Obi", "Omoregie", "Igbinedion", "Okonkwo"),
        common_share=0.15,
    ),
    _Origin(
        "TH",
        0.07,
        female=(
            "Siriporn",
            "Pornthip",
            "Kanokwan",
            "Wanida",
            "Sukanya",
            "Nok",
            "Malee",
            "Ratana",
            "Saowalak",
            "Jintana",
            "Apinya",
            "Pimchanok",
            "Duangjai",
            "Kannika",
            "Nittaya",
            "Sasithorn",
            "Orawan",
            "Ploy",
            "Achara",
            "Lamai",
        ),
        male=(
            "Somchai",
            "Thongchai",
            "Chaiya",
            "Surasak",
            "Prasert",
            "Anan",
            "Boonmee",
            "Kittisak",
            "Somsak",
            "Wichai",
        ),
        family_stems=(
            "Srisuk",
            "Boon",
            "Chai",
            "Kaew",
            "Thong",
            "Suk",
            "Phrom",
            "Wong",
            "Saeng",
            "Rattana",
            "Phet",
            "Sri",
            "Intha",
            "Khun",
            "Manee",
            "Charoen",
            "Siri",
            "Wattana",
            "Somboon",
            "Pong",
        ),
        family_middles=("", "", "sa", "pra", "an", "ra", "ka", "sin", "na"),
        family_endings=(
            "sawat",
            "prasert",
            "chai",
            "pong",
            "sri",
            "kul",
            "wong",
            "thong",
            "phan",
            "ngam",
            "rak",
            "sombat",
            "charoen",
            "suwan",
            "manee",
        ),
    ),
    _Origin(
        "VN",
        0.06,
        female=(
            "Thị Hương",
            "Thị Lan",
            "Thị Mai",
            "Thị Hồng",
            "Thị Thu",
            "Thị Hà",
            "Thị Ngọc",
            "Thị Linh",
            "Thị Thảo",
            "Thị Trang",
            "Thị Nhung",
            "Thị Yến",
            "Thị Hạnh",
            "Thị Hoa",
            "Thị Huyền",
            "Thị Loan",
            "Thị Phương",
            "Thị Thủy",
            "Thị Vân",
            "Thị Nga",
            "Thị Hằng",
            "Thị Dung",
            "Thị Thanh",
            "Thị Bích",
            "Thị Kim",
            "Thị Oanh",
            "Thị Quỳnh",
            "Thị Tuyết",
            "Thị Xuân",
            "Thị Diệp",
            "Ngọc Anh",
            "Thu Trang",
            "Minh Châu",
            "Thanh Tâm",
            "Hồng Nhung",
            "Kim Ngân",
            "Bảo Ngọc",
            "Thị Ánh",
            "Thị Giang",
            "Thị Hiền",
            "Thị Lý",
            "Thị My",
            "Thị Nhàn",
        ),
        male=(
            "Văn Minh",
            "Văn Hùng",
            "Văn Nam",
            "Văn Dũng",
            "Văn Tuấn",
            "Văn Hải",
            "Văn Long",
            "Văn Sơn",
            "Văn Thắng",
            "Đức Anh",
            "Quang Huy",
            "Minh Đức",
            "Văn Phúc",
            "Văn Hoàng",
            "Văn Khánh",
            "Văn Lâm",
            "Văn Quân",
            "Văn Tiến",
            "Văn Toàn",
            "Văn Trung",
            "Văn Vinh",
            "Hữu Nghĩa",
            "Công Thành",
            "Đình Trọng",
            "Xuân Bắc",
        ),
        family_stems=(
            "Nguyễn",
            "Trần",
            "Lê",
            "Phạm",
            "Hoàng",
            "Huỳnh",
            "Phan",
            "Vũ",
            "Võ",
            "Đặng",
            "Bùi",
            "Đỗ",
            "Hồ",
            "Ngô",
            "Dương",
            "Lý",
        ),
        family_first=True,
        common_families=("Nguyễn",),
        common_share=0.35,
        two_given=0.0,
    ),
    _Origin(
        "CN",
        0.03,
        female=(
            "Xiaoling",
            "Li Na",
            "Mei",
            "Xiu Ying",
            "Yan",
            "Jing",
            "Hong",
            "Lili",
            "Fang",
            "Min",
            "Hui",
            "Xiaoyan",
            "Ying",
            "Juan",
            "Qing",
        ),
        male=("Wei", "Jun", "Lei", "Qiang", "Ming", "Tao", "Jian", "Hao", "Bo", "Yong"),
        family_stems=(
            "Wang",
            "Li",
            "Zhang",
            "Liu",
            "Chen",
            "Yang",
            "Huang",
            "Zhao",
            "Wu",
            "Zhou",
            "Xu",
            "Sun",
            "Ma",
            "Zhu",
            "Hu",
            "Guo",
            "He",
            "Lin",
            "Gao",
            "Luo",
        ),
        family_first=True,
        two_given=0.0,
    ),
    _Origin(
        "UA",
        0.07,
        female=(
            "Олена",
            "Наталія",
            "Ірина",
            "Оксана",
            "Тетяна",
            "Юлія",
            "Світлана",
            "Марія",
            "Анна",
            "Катерина",
            "Людмила",
            "Ганна",
            "Вікторія",
            "Олександра",
            "Дарина",
            "Софія",
            "Яна",
            "Надія",
            "Галина",
            "Інна",
        ),
        male=(
            "Олександр",
            "Сергій",
            "Андрій",
            "Володимир",
            "Михайло",
            "Юрій",
            "Дмитро",
            "Іван",
            "Олег",
            "Богдан",
            "Тарас",
            "Віктор",
        ),
        family_stems=(
            "Шевч",
            "Коваль",
            "Бондар",
            "Ткач",
            "Кравч",
            "Мельнич",
            "Лисен",
            "Марч",
            "Савч",
            "Руд",
            "Павл",
            "Петр",
            "Ковал",
            "Гнат",
            "Онищ",
            "Клим",
            "Поліщ",
            "Олійн",
            "Сидор",
            "Мороз",
            "Гаврил",
            "Романч",
        ),
        family_middles=("", "", "ан", "ов", "ич", "ин", "ар", "ел"),
        family_endings=("енко", "ук", "чук", "ик", "ишин", "ак", "ець"),
        cyrillic=True,
    ),
    _Origin(
        "RU",
        0.03,
        female=(
            "Юлия",
            "Наталья",
            "Татьяна",
            "Екатерина",
            "Ольга",
            "Елена",
            "Анастасия",
            "Мария",
            "Светлана",
            "Ирина",
            "Ксения",
            "Дарья",
        ),
        male=("Александр", "Дмитрий", "Владимир", "Сергей", "Алексей", "Андрей", "Михаил"),
        family_stems=(
            "Кузнец",
            "Иван",
            "Смирн",
            "Поп",
            "Сокол",
            "Лебед",
            "Козл",
            "Новик",
            "Мороз",
            "Волк",
            "Соловь",
            "Василь",
            "Зайц",
            "Павл",
            "Семён",
            "Голуб",
            "Виноград",
            "Богдан",
            "Воробь",
            "Фёдор",
            "Орл",
            "Медвед",
            "Тарас",
            "Белоус",
        ),
        family_middles=("", "", "ин", "ан", "ск", "ич"),
        family_endings=("ов", "ев", "ин"),
        cyrillic=True,
    ),
    _Origin(
        "HU",
        0.04,
        female=(
            "Erzsébet",
            "Zsófia",
            "Katalin",
            "Ildikó",
            "Krisztina",
            "Anikó",
            "Tünde",
            "Éva",
            "Mónika",
            "Brigitta",
            "Szilvia",
            "Renáta",
            "Tímea",
            "Orsolya",
        ),
        male=("László", "István", "József", "Zoltán", "Gábor", "Attila", "Tibor", "Béla"),
        family_stems=(
            "Nagy",
            "Kovács",
            "Tóth",
            "Szabó",
            "Horváth",
            "Varga",
            "Kiss",
            "Molnár",
            "Németh",
            "Farkas",
            "Balogh",
            "Papp",
            "Lakatos",
            "Takács",
            "Juhász",
            "Oláh",
            "Mészáros",
            "Rácz",
            "Sárközi",
            "Kolompár",
            "Orsós",
            "Bogdán",
            "Simon",
            "Fekete",
            "Szilágyi",
            "Török",
            "Fehér",
            "Balázs",
            "Gál",
            "Szűcs",
            "Kocsis",
            "Pintér",
            "Fodor",
            "Szalai",
            "Sipos",
            "Magyar",
            "Lukács",
            "Gulyás",
            "Bíró",
            "Király",
            "Katona",
            "Jakab",
            "Bakos",
            "Sándor",
            "Boros",
            "Fazekas",
            "Kelemen",
            "Antal",
            "Somogyi",
            "Orosz",
            "Fülöp",
            "Veres",
            "Vincze",
            "Hegedűs",
            "Deák",
            "Bálint",
            "Illés",
            "Vass",
            "Szőke",
            "Fábián",
            "Vörös",
            "Lengyel",
            "Bognár",
            "Bodnár",
            "Jónás",
            "Hajdu",
            "Halász",
            "Máté",
            "Székely",
            "Gáspár",
            "Kozma",
            "Pásztor",
            "Bencze",
            "Virág",
            "Dudás",
        ),
    ),
    _Origin(
        "AL",
        0.03,
        female=(
            "Blerina",
            "Elira",
            "Arta",
            "Drita",
            "Mimoza",
            "Besa",
            "Vjosa",
            "Lindita",
            "Eriona",
            "Fatbardha",
            "Klodiana",
        ),
        male=("Arbër", "Dritan", "Besnik", "Ilir", "Fatmir", "Gentian", "Artan", "Edmond"),
        family_stems=(
            "Hoxha",
            "Krasniqi",
            "Gashi",
            "Berisha",
            "Shala",
            "Kelmendi",
            "Morina",
            "Bytyqi",
            "Leka",
            "Çela",
            "Dervishi",
            "Xhaferi",
            "Muça",
            "Hysa",
            "Kola",
            "Shehu",
            "Rama",
            "Dushku",
            "Mema",
            "Prifti",
        ),
    ),
    _Origin(
        "AF",
        0.05,
        female=("Fatima", "Zahra", "Maryam", "Sakina", "Nargis", "Zainab", "Shabnam", "Parwana"),
        male=(
            "Mohammed",
            "Ahmad",
            "Ali",
            "Hussein",
            "Reza",
            "Mustafa",
            "Jawad",
            "Sajad",
            "Hamid",
            "Yusuf",
            "Abdullah",
            "Rahmatullah",
            "Habib",
            "Nasir",
            "Samir",
            "Karim",
        ),
        family_stems=(
            "Ahmad",
            "Mohammad",
            "Hosseini",
            "Rahimi",
            "Karimi",
            "Sultani",
            "Azizi",
            "Jafari",
            "Rezai",
            "Haidari",
            "Nazari",
            "Sadat",
            "Amiri",
            "Noori",
            "Qasemi",
            "Hakimi",
            "Sharifi",
            "Rasuli",
            "Safi",
            "Popal",
            "Durrani",
        ),
        family_middles=("", "", "ul", "an", "ull"),
        family_endings=("", "zai", "i", "yar", "khel"),
    ),
    _Origin(
        "MA",
        0.04,
        female=("Fatima", "Khadija", "Aisha", "Nadia", "Samira", "Hanane", "Salma", "Meryem"),
        male=(
            "Mohammed",
            "Youssef",
            "Ahmed",
            "Hassan",
            "Mustafa",
            "Omar",
            "Hamza",
            "Bilal",
            "Ayoub",
            "Abdellah",
            "Karim",
            "Yusuf",
            "Rachid",
            "Said",
        ),
        family_stems=(
            "El Amrani",
            "Benali",
            "Bennani",
            "Alaoui",
            "El Idrissi",
            "Tazi",
            "Berrada",
            "Chraibi",
            "El Fassi",
            "Ouazzani",
            "Haddad",
            "Bouzid",
            "Belkadi",
            "Ziani",
            "Lahlou",
            "El Mansouri",
            "Saidi",
            "Hamdi",
            "Cherkaoui",
        ),
    ),
    _Origin(
        "ER",
        0.03,
        female=("Helen", "Selam", "Senait", "Lidya", "Yordanos", "Freweyni", "Mebrat", "Saba"),
        male=(
            "Yohannes",
            "Tesfay",
            "Berhane",
            "Haile",
            "Mebrahtu",
            "Daniel",
            "Kidane",
            "Amanuel",
            "Filmon",
            "Samuel",
        ),
        family_stems=(
            "Gebremariam",
            "Tesfay",
            "Haile",
            "Berhane",
            "Kidane",
            "Yohannes",
            "Tekle",
            "Gebrehiwet",
            "Mehari",
            "Weldu",
            "Asfaha",
            "Ghebreyesus",
            "Habte",
            "Mebrahtu",
            "Tsegay",
            "Negash",
            "Andemariam",
            "Solomon",
        ),
    ),
    _Origin(
        "SE",
        0.05,
        female=(
            "Anna",
            "Maria",
            "Emma",
            "Sara",
            "Åsa",
            "Linnéa",
            "Elin",
            "Johanna",
            "Märta",
            "Ida",
            "Frida",
            "Moa",
            "Malin",
            "Ebba",
            "Wilma",
            "Matilda",
            "Hanna",
            "Ronja",
        ),
        male=(
            "Erik",
            "Lars",
            "Johan",
            "Anders",
            "Karl",
            "Björn",
            "Oskar",
            "Mikael",
            "Jonas",
            "Per",
            "Nils",
            "Gustav",
            "Emil",
            "Viktor",
        ),
        family_stems=(
            "Anders",
            "Johans",
            "Karls",
            "Nils",
            "Eriks",
            "Lars",
            "Olofs",
            "Pers",
            "Svens",
            "Gustafs",
            "Jons",
            "Lind",
            "Berg",
            "Sjö",
            "Ström",
            "Lund",
            "Holm",
            "Björk",
            "Ek",
            "Sandström",
            "Åberg",
            "Öberg",
            "Söder",
        ),
        family_middles=("", "", "e", "a"),
        family_endings=("son", "qvist", "gren", "berg", "ström", "lund", "ell", "man", "dahl"),
        common_families=("Andersson", "Johansson", "Karlsson", "Nilsson", "Eriksson"),
        common_share=0.2,
    ),
    _Origin(
        "PL",
        0.02,
        female=(
            "Katarzyna",
            "Małgorzata",
            "Agnieszka",
            "Joanna",
            "Magdalena",
            "Monika",
            "Ewa",
            "Beata",
            "Dorota",
            "Justyna",
        ),
        male=("Tomasz", "Piotr", "Krzysztof", "Paweł", "Marcin", "Łukasz", "Wojciech"),
        family_stems=(
            "Kowal",
            "Wiśniew",
            "Wójcik",
            "Kowalczyk",
            "Kamiń",
            "Lewandow",
            "Zieliń",
            "Szymań",
            "Woźniak",
            "Dąbrow",
            "Kozłow",
            "Jankow",
            "Mazur",
            "Krawczyk",
        ),
        family_middles=("", "", "ow", "in", "ik"),
        family_endings=("ski", "", "icz"),
        female_endings=("ska", "", "icz"),
    ),
    _Origin(
        "LT",
        0.02,
        female=("Rūta", "Jurgita", "Lina", "Giedrė", "Aistė", "Eglė", "Vaida", "Ieva"),
        male=("Tomas", "Mantas", "Darius", "Mindaugas", "Žydrūnas", "Andrius"),
        family_stems=(
            "Kazlausk",
            "Jankausk",
            "Petrausk",
            "Stankevič",
            "Vasiliausk",
            "Žukausk",
            "Butkev",
            "Paulausk",
            "Urbon",
            "Kavaliausk",
        ),
        family_middles=("", "", "ev", "ul", "in"),
        family_endings=("as", "is"),
        female_endings=("ienė", "aitė"),
    ),
)

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
_AGENCY_STYLE: dict[str, dict[str, Any]] = {
    "coordinators": {
        "date": "iso",
        "sex": "sv",
        "cit": "sv",
        "romanise": "english",
        "capture": 0.35,
        "id": 0.05,
        "passport": 0.15,
    },
    "supportline": {
        "date": "dmy_slash",
        "sex": "letter",
        "cit": "en",
        "romanise": "swedish",
        "capture": 0.25,
        "id": 0.02,
        "passport": 0.05,
    },
    "migrationsverket": {
        "date": "compact8",
        "sex": "en",
        "cit": "alpha3",
        "romanise": "passport",
        "capture": 0.45,
        "id": 0.55,
        "passport": 0.6,
    },
    "police": {
        "date": "dmy_dot",
        "sex": "sv",
        "cit": "alpha2",
        "romanise": "german",
        "capture": 0.3,
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
        ``source``, ``record_id``, ``person_id`` for every record.
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


class _Person:
    __slots__ = (
        "birth",
        "citizenship",
        "coordination",
        "family",
        "given",
        "origin",
        "passports",
        "purposes",
        "region",
        "sex",
    )


def _luhn_digit(nine: str) -> str:
    total = 0
    for position, char in enumerate(nine):
        product = int(char) * (2 if position % 2 == 0 else 1)
        total += product - 9 if product > 9 else product
    return str((10 - total % 10) % 10)


def _coordination_number(born: date, rng: np.random.Generator) -> str:
    serial = f"{rng.integers(0, 1000):03d}"
    nine = f"{born.year % 100:02d}{born.month:02d}{born.day + 60:02d}{serial}"
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


def _typo(word: str, rng: np.random.Generator) -> str:
    if len(word) < 3:
        return word
    i = int(rng.integers(1, len(word)))
    kind = rng.random()
    if kind < 0.3:
        return word[:i] + word[i + 1 :]
    if kind < 0.55:
        return word[:i] + _KEYBOARD[int(rng.integers(0, 26))] + word[i:]
    if kind < 0.8:
        return word[:i] + _KEYBOARD[int(rng.integers(0, 26))] + word[i + 1 :]
    if i < len(word) - 1:
        return word[:i] + word[i + 1] + word[i] + word[i + 2 :]
    return word + word[-1]


def _strip_diacritics(text: str) -> str:
    from anyascii import anyascii

    return "".join(anyascii(c) if ord(c) > 127 and c.isalpha() else c for c in text)


def _make_family(origin: _Origin, female: bool, rng: np.random.Generator) -> str:
    if origin.common_families and rng.random() < origin.common_share:
        name = origin.common_families[int(rng.integers(0, len(origin.common_families)))]
    else:
        stem = origin.family_stems[int(rng.integers(0, len(origin.family_stems)))]
        stem += origin.family_middles[int(rng.integers(0, len(origin.family_middles)))]
        endings = origin.female_endings if (female and origin.female_endings) else None
        endings = endings or origin.family_endings
        name = stem + endings[int(rng.integers(0, len(endings)))]
        if origin.cyrillic and female and name.endswith(("ов", "ев", "ёв")):
            name += "а"
    return name


def _population(n: int, rng: np.random.Generator, reference: date) -> list[_Person]:
    weights = np.array([o.weight for o in _ORIGINS])
    origin_index = rng.choice(len(_ORIGINS), size=n, p=weights / weights.sum())
    female = rng.random(n) < 0.72
    # Ages at identification: mostly young adults, a fifth children.
    ages = np.clip(rng.gamma(6.0, 4.5, size=n).astype(int) + 8, 12, 70)
    days = rng.integers(0, 365, size=n)
    purposes = list(_PURPOSE_WEIGHTS)
    purpose_p = np.array(list(_PURPOSE_WEIGHTS.values()))
    purpose_p /= purpose_p.sum()
    people = []
    for k in range(n):
        origin = _ORIGINS[origin_index[k]]
        person = _Person()
        person.origin = origin
        person.sex = "f" if female[k] else "m"
        names = origin.female if female[k] else origin.male
        given = [names[int(rng.integers(0, len(names)))]]
        if origin.two_given and rng.random() < origin.two_given:
            second = names[int(rng.integers(0, len(names)))]
            if second != given[0]:
                given.append(second)
        person.given = given
        person.family = _make_family(origin, bool(female[k]), rng)
        person.birth = reference - timedelta(days=int(ages[k]) * 365 + int(days[k]))
        person.citizenship = origin.code
        person.coordination = (
            _coordination_number(person.birth, rng) if rng.random() < 0.4 else None
        )
        person.passports = [
            f"{''.join(rng.choice(list(string.ascii_uppercase), 2))}{rng.integers(1e6, 1e7)}"
            for _ in range(int(rng.integers(0, 3)))
        ]
        chosen = rng.choice(len(purposes), size=1 + int(rng.random() < 0.2), p=purpose_p)
        person.purposes = sorted({purposes[i] for i in chosen})
        person.region = _REGIONS[min(int(rng.exponential(4.0)), len(_REGIONS) - 1)]
        people.append(person)
    return people


def _variant(word: str, rng: np.random.Generator) -> str:
    group = _VARIANT_OF.get(word)
    if group is None:
        return word
    return group[int(rng.integers(0, len(group)))]


def _render_name(
    part: str, person: _Person, style: dict[str, Any], noise: NoiseSetting, rng: np.random.Generator
) -> str:
    origin = person.origin
    if origin.cyrillic:
        if rng.random() < 0.03:
            text = part
        else:
            system = style["romanise"]
            if rng.random() < noise.variant:
                system = list(_CYRILLIC_ROMANISATIONS)[int(rng.integers(0, 4))]
            text = _romanise(part, system)
    else:
        text = " ".join(
            _variant(w, rng) if rng.random() < noise.variant else w for w in part.split(" ")
        )
        if rng.random() < noise.drop_diacritics:
            text = _strip_diacritics(text)
        elif rng.random() < 0.15:
            # Cedilla for comma below (ş for ș, ţ for ț): both are in use in Romania.
            text = text.replace("ș", "ş").replace("ț", "ţ").replace("Ș", "Ş").replace("Ț", "Ţ")
    if rng.random() < noise.typo:
        words = text.split(" ")
        j = int(rng.integers(0, len(words)))
        words[j] = _typo(words[j], rng)
        text = " ".join(words)
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
    rng: np.random.Generator,
    citizenship_names: dict[tuple[str, str], str],
) -> dict[str, str]:
    origin = person.origin
    given_parts = person.given
    roll = rng.random()
    if len(given_parts) > 1:
        given_parts = (
            given_parts if roll < 0.5 else ([given_parts[0]] if roll < 0.85 else [given_parts[1]])
        )
    given_words = list(given_parts)
    aliases: list[str] = []
    nick = _NICKNAMES_OF.get(given_words[0])
    if nick and rng.random() < noise.nickname * 4:
        nickname = nick[int(rng.integers(0, len(nick)))]
        if rng.random() < 0.5:
            given_words[0] = nickname
        else:
            aliases.append(nickname)
    given = " ".join(_render_name(g, person, style, noise, rng) for g in given_words)
    family = _render_name(person.family, person, style, noise, rng)
    aliases = [_render_name(a, person, style, noise, rng) for a in aliases]
    swapped = rng.random() < noise.swap_order + (0.25 if origin.family_first else 0.0)
    if swapped:
        given, family = family, given
    if rng.random() < noise.given_missing:
        given = ""
    if rng.random() < noise.family_missing:
        family = ""

    age = (
        identified.year
        - person.birth.year
        - ((identified.month, identified.day) < (person.birth.month, person.birth.day))
    )
    birth_text, age_text = "", ""
    pick = rng.random()
    born = person.birth
    if pick < noise.dob_full:
        shown = born
        if rng.random() < noise.day_month_swap and born.day <= 12 and born.day != born.month:
            shown = date(born.year, born.day, born.month)
        elif rng.random() < noise.date_typo:
            shown = _date_typo(born, rng)
        elif rng.random() < noise.placeholder_day:
            shown = date(born.year, 1, 1)
        if shown > identified:
            shown = born
        birth_text = _format_date(shown, style["date"] if rng.random() > 0.1 else "iso")
    elif pick < noise.dob_full + noise.dob_year_month:
        birth_text = f"{born.year:04d}-{born.month:02d}"
    elif pick < noise.dob_full + noise.dob_year_month + noise.dob_year:
        birth_text = f"{born.year:04d}"
    elif pick < noise.dob_full + noise.dob_year_month + noise.dob_year + noise.dob_age:
        error = int(rng.integers(-noise.age_error, noise.age_error + 1))
        age_text = str(max(age + error, 1))

    sex = ""
    if rng.random() >= noise.sex_missing:
        sex = _SEX_WORDS[style["sex"]][(person.sex, age < 18)]

    citizenship = ""
    if rng.random() >= noise.citizenship_missing:
        code = person.citizenship
        if rng.random() < noise.citizenship_wrong:
            code = _ORIGINS[int(rng.integers(0, len(_ORIGINS)))].code
        key = (code, style["cit"] if rng.random() > 0.1 else "alpha2")
        if key not in citizenship_names:
            citizenship_names[key] = _citizenship_text(*key)
        citizenship = citizenship_names[key]

    id_number = ""
    if person.coordination and rng.random() < style["id"]:
        number = person.coordination
        id_number = f"{number[2:8]}-{number[8:]}" if rng.random() < 0.5 else number
    elif person.passports and rng.random() < style["passport"]:
        id_number = person.passports[int(rng.integers(0, len(person.passports)))]
        if rng.random() < noise.typo / 2:
            id_number = _typo(id_number.lower(), rng).upper()

    purposes = person.purposes
    if len(purposes) > 1 and rng.random() < 0.3:
        purposes = purposes[:1]
    region = person.region if rng.random() > 0.1 else _REGIONS[int(rng.integers(0, len(_REGIONS)))]
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


def _date_typo(born: date, rng: np.random.Generator) -> date:
    for _ in range(10):
        text = born.strftime("%Y%m%d")
        position = int(rng.integers(2, 8))
        digit = str(int(rng.integers(0, 10)))
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
    people = _population(population, rng, reference)

    # Heterogeneous capture: a person's visibility (a latent propensity) scales every
    # agency's chance, so lists are positively dependent, as in real multi-list data.
    visibility = rng.gamma(2.0, 0.5, size=population)
    probabilities = np.clip(visibility[:, None] * capture[None, :], 0, 0.95)
    captured = rng.random((population, len(sources))) < probabilities

    rows: dict[str, list[dict[str, str]]] = {s: [] for s in sources}
    truth_source: list[str] = []
    truth_record: list[str] = []
    truth_person: list[str] = []
    citizenship_names: dict[tuple[str, str], str] = {}
    for j, source in enumerate(sources):
        style = styles[j]
        prefix = source[:3].upper()
        counter = 0
        for k in np.flatnonzero(captured[:, j]):
            person = people[k]
            copies = 1
            while rng.random() < noise.duplicate:
                copies += 1
            for _ in range(copies):
                counter += 1
                record_id = f"{prefix}-{year}-{counter:07d}"
                identified = reference + timedelta(days=int(rng.integers(0, 365)))
                rows[source].append(
                    _record(person, record_id, identified, style, noise, rng, citizenship_names)
                )
                truth_source.append(source)
                truth_record.append(record_id)
                truth_person.append(f"T{k:08d}")
    lists: dict[str, pd.DataFrame] = {}
    for source in sources:
        frame = pd.DataFrame(rows[source], columns=_COLUMNS)
        # Lists are not sorted by person: shuffle so duplicates are not adjacent.
        lists[source] = frame.sample(
            frac=1.0, random_state=int(rng.integers(0, 2**31))
        ).reset_index(drop=True)
    truth = pd.DataFrame(
        {"source": truth_source, "record_id": truth_record, "person_id": truth_person}
    )
    return SyntheticLists(
        sources=tuple(sources),
        lists=lists,
        truth=truth,
        population=population,
        setting=noise,
        seed=seed,
    )


_COLUMNS = [
    "record_id",
    "given_name",
    "family_name",
    "aliases",
    "birth_date",
    "age",
    "sex",
    "citizenship",
    "identification_date",
    "purposes",
    "region",
    "id_number",
]


def with_noise(base: str, **changes: Any) -> NoiseSetting:
    """A copy of a named setting with some rates changed (for experiments and tests)."""
    return replace(SETTINGS[base], name=f"{base}*", **changes)
