"""The distributions and texts the demo generator draws from (framework-free).

Volumes follow the order of magnitude of published Swedish figures; every other weight is an
invented, plausible shape, not a statistic. Texts are fictitious and marked as demo data.
"""

from __future__ import annotations

import datetime as dt

FIRST_YEAR = 2017
# The offence of human exploitation (brottsbalken 4 kap. 1 b §) exists from this date.
EXPLOITATION_OFFENCE_FROM = dt.date(2018, 7, 1)
REFLECTION_DAYS = 30

# Identifications a year: (regional coordinators and support line, Migrationsverket, police,
# other identifying actors). Years after the last row repeat it.
VOLUME: dict[int, tuple[int, int, int, int]] = {
    2017: (225, 444, 40, 30),
    2018: (240, 468, 45, 32),
    2019: (262, 492, 52, 35),
    2020: (205, 379, 38, 26),
    2021: (232, 421, 47, 31),
    2022: (291, 508, 58, 40),
    2023: (281, 476, 55, 38),
    2024: (302, 463, 61, 41),
    2025: (310, 455, 64, 43),
}
SUPPORT_LINE_SHARE = 0.15  # of the coordinators' and support line's identifications
MV_OVERLAP_SHARE = 0.35  # of coordinator, support-line and police persons that MV also reports
POLICE_KNOWN_SHARE = 0.5  # of police identifications concerning a person coordinators know
REIDENTIFIED_SHARE = 0.05  # of coordinator persons identified again in a later year
CONTACTS_PER_YEAR = 310

AGENCY_OF_CHANNEL = {
    "regional_coordinator": "socialtjansten",
    "support_line": "jamstalldhetsmyndigheten",
    "migrationsverket": "migrationsverket",
    "police": "polismyndigheten",
    "prosecutor": "aklagarmyndigheten",
    "social_services": "socialtjansten",
    "health_care": "halso-och-sjukvard",
    "labour_inspection": "arbetsmiljoverket",
    "civil_society": "civilsamhallet",
    "other": "jamstalldhetsmyndigheten",
}
OTHER_CHANNELS = {
    "social_services": 30,
    "health_care": 20,
    "civil_society": 25,
    "labour_inspection": 15,
    "prosecutor": 5,
    "other": 5,
}

PURPOSES = {
    "sexual": 44,
    "forced_labour": 22,
    "begging": 8,
    "crime": 11,
    "forced_marriage": 6,
    "other_distress": 4,
    "war_service": 0.6,
    "organ_removal": 0.4,
    "unknown": 4,
}
# Migrationsverket hears of exploitation mostly in the asylum interview, often abroad, often vague.
PURPOSES_MV = {**PURPOSES, "sexual": 40, "forced_labour": 25, "begging": 2, "unknown": 14}
SECOND_PURPOSE = {
    "sexual": ("crime", "forced_labour"),
    "forced_labour": ("crime", "sexual"),
    "begging": ("crime", "sexual"),
    "crime": ("forced_labour", "sexual"),
    "forced_marriage": ("sexual", "other_distress"),
}

COUNTRIES_BY_PURPOSE: dict[str, dict[str, float]] = {
    "sexual": {
        "RO": 20, "NG": 15, "SE": 12, "TH": 8, "UA": 7, "BG": 6, "CN": 5, "UG": 5, "MN": 4,
        "VN": 3, "AL": 2, "PL": 2, "PH": 1, "ER": 1, "MA": 1, "SO": 1, "SY": 1, "": 2,
    },
    "forced_labour": {
        "TH": 14, "VN": 10, "UA": 8, "RO": 8, "BG": 6, "MN": 6, "PL": 6, "PH": 5, "CN": 4,
        "AF": 3, "UG": 3, "NG": 3, "SY": 2, "ER": 2, "MA": 2, "AL": 2, "SE": 1, "": 1,
    },
    "begging": {"RO": 60, "BG": 25, "NG": 5, "MA": 3, "AF": 3, "UA": 2, "SE": 1, "": 1},
    "crime": {
        "MA": 20, "VN": 15, "RO": 15, "SE": 12, "AF": 10, "AL": 6, "BG": 5, "NG": 5, "SO": 5,
        "SY": 4, "UA": 3, "": 2,
    },
    "forced_marriage": {
        "AF": 25, "SY": 20, "SE": 15, "SO": 12, "RO": 8, "ER": 5, "MA": 5, "BG": 5, "AL": 5,
    },
    "other": {
        "RO": 10, "NG": 10, "SE": 8, "UA": 6, "AF": 6, "SY": 5, "ER": 5, "SO": 5, "TH": 5,
        "VN": 5, "MN": 5, "UG": 5, "MA": 5, "BG": 4, "CN": 3, "PH": 2, "AL": 2, "PL": 2, "": 5,
    },
}  # fmt: skip
EU_OR_NORDIC = {"RO", "BG", "PL", "SE"}
CHILD_SHARE = {
    "sexual": 0.22,
    "forced_labour": 0.07,
    "begging": 0.2,
    "crime": 0.6,
    "forced_marriage": 0.55,
    "other_distress": 0.2,
    "war_service": 0.3,
    "organ_removal": 0.1,
    "unknown": 0.25,
}
FEMALE_SHARE = {
    "sexual": 0.88,
    "forced_labour": 0.3,
    "begging": 0.45,
    "crime": 0.3,
    "forced_marriage": 0.9,
    "other_distress": 0.55,
    "war_service": 0.05,
    "organ_removal": 0.4,
    "unknown": 0.55,
}

REGION_WEIGHTS = {
    "stockholm": 30,
    "vast": 17,
    "syd": 18,
    "ost": 10,
    "mitt": 9,
    "bergslagen": 8,
    "nord": 8,
}
BERRY_REGION_WEIGHTS = {"nord": 40, "mitt": 25, "bergslagen": 25, "ost": 5, "vast": 5}
# Where identifications cluster: the large towns of each region.
TOWNS = {
    "0180": 14, "1480": 12, "1280": 12, "0380": 6, "1880": 6, "0580": 6, "0581": 5, "2480": 6,
    "0680": 5, "1281": 4, "1283": 5, "2281": 4, "2580": 5, "1980": 5, "1780": 5, "2180": 5,
    "2080": 4, "0780": 4, "1490": 4, "0880": 3, "1380": 3, "0181": 3, "0126": 3, "0184": 3,
}  # fmt: skip

INDUSTRIES_BY_COUNTRY: dict[str, dict[str, float]] = {
    "TH": {"berry_picking": 70, "restaurant": 10, "beauty": 10, "cleaning": 5, "agriculture": 5},
    "VN": {"beauty": 50, "restaurant": 20, "cleaning": 10, "manufacturing": 10, "other": 10},
    "MN": {"cleaning": 30, "restaurant": 25, "berry_picking": 15, "construction": 20, "other": 10},
    "PH": {"domestic_work": 50, "cleaning": 25, "restaurant": 15, "agriculture": 10},
    "CN": {"restaurant": 45, "beauty": 20, "manufacturing": 20, "cleaning": 15},
}
INDUSTRIES_DEFAULT = {
    "construction": 28,
    "cleaning": 16,
    "restaurant": 12,
    "transport": 8,
    "agriculture": 10,
    "car_wash": 10,
    "manufacturing": 5,
    "domestic_work": 5,
    "beauty": 2,
    "other": 2,
    "unknown": 2,
}

INDICATORS_BY_PURPOSE: dict[str, tuple[str, ...]] = {
    "sexual": (
        "controlled_movement",
        "threats_violence",
        "debt_bondage",
        "does_not_know_address",
        "spoken_for",
        "recruited_deceptively",
        "isolation",
    ),
    "forced_labour": (
        "no_pay",
        "excessive_hours",
        "housing_at_work",
        "debt_bondage",
        "documents_withheld",
        "recruited_deceptively",
        "fear_of_authorities",
    ),
    "begging": ("controlled_movement", "no_pay", "spoken_for", "threats_violence", "isolation"),
    "crime": ("threats_violence", "fear_of_authorities", "debt_bondage", "controlled_movement"),
    "forced_marriage": ("controlled_movement", "threats_violence", "isolation"),
}
INDICATORS_OTHER = (
    "threats_violence",
    "fear_of_authorities",
    "controlled_movement",
    "recruited_deceptively",
    "isolation",
)

CLOSED_REASONS = {
    "support_completed": 40,
    "returned_home": 15,
    "declined_support": 12,
    "lost_contact": 15,
    "transferred": 8,
    "not_trafficking": 6,
    "other": 4,
}

DECLINE_REASONS = (
    "Personen har redan ett pågående ärende hos oss.",
    "Underlaget räcker inte för en bedömning; återkom med fler uppgifter.",
    "Ärendet hör till en annan region; vi har hänvisat dit.",
    "Personen vill inte medverka och har återkallat sitt samtycke.",
)
SECRECY_PROVISIONS = {
    "polismyndigheten": "Offentlighets- och sekretesslagen (2009:400) 10 kap. 21 §",
    "migrationsverket": "Offentlighets- och sekretesslagen (2009:400) 10 kap. 2 §",
    "socialtjansten": "Offentlighets- och sekretesslagen (2009:400) 26 kap. 9 §",
}
OTHER_STATUTE = "Utlänningslagen (2005:716) 5 kap. 15 §"

NOTES: dict[str, tuple[str, ...]] = {
    "sexual": (
        "Personen berättar att hon flyttats mellan lägenheter i olika städer och inte vet "
        "adresserna.",
        "Annonser med personens bild har hittats på en annonssida; polisen informerad.",
        "Personen uppger en skuld för resan som hela tiden växer.",
    ),
    "forced_labour": (
        "Personen uppger att arbetsgivaren behåller passet och att lönen uteblivit i tre månader.",
        "Personen har sovit på arbetsplatsen; Arbetsmiljöverket gör en inspektion.",
        "Arbetsdagar på fjorton timmar, sju dagar i veckan, enligt personen.",
    ),
    "begging": (
        "Personen tigger utanför en livsmedelsbutik och lämnar pengarna till en annan person "
        "varje kväll.",
        "Uppsökande verksamhet har träffat personen tre gånger; hon vill ha hjälp att resa hem.",
    ),
    "crime": (
        "Barnet har påträffats vid upprepade stölder; misstanke om att vuxna styr.",
        "Personen uppger att han måste sälja narkotika för att betala av en skuld.",
    ),
    "forced_marriage": (
        "Skolkurator har kontaktat oss om ett planerat äktenskap i hemlandet under sommarlovet.",
        "Personen är placerad i skyddat boende; kontakten med familjen sker via socialtjänsten.",
    ),
    "any": (
        "Första samtalet hölls med tolk. Personen fick information om stöd och rättigheter.",
        "Uppföljningsmöte med handläggare; personen mår bättre och vill stanna i boendet.",
        "Personen har fått information om reflektionsperiod och tillfälligt uppehållstillstånd.",
        "Kontakt tagen med målsägandebiträde inför förhör.",
        "Kontakten med personen har upphört; telefonen är avstängd.",
        "Samordningsmöte med polis, Migrationsverket och socialtjänst.",
    ),
}
NOTE_PREFIX = "[Demo] "

MEASURE_NOTES = {
    "reflection_period": "Reflektionsperiod beviljad av Migrationsverket efter ansökan.",
    "temporary_residence_permit": "Tillstånd för tiden för förundersökning och rättegång.",
    "safe_housing": "Plats i skyddat boende genom kommunen.",
    "health_care": "Hälsoundersökning och kontakt med kurator.",
    "counsel": "Målsägandebiträde förordnat av tingsrätten.",
    "interpreter": "Tolk bokad till samtalen.",
    "return_programme": "Planering av återvändande med stöd av en frivilligorganisation.",
    "other": "Stöd med ekonomiskt bistånd och kontakt med skola.",
}

CALLER_TYPES = {
    "social_services": 35,
    "police": 10,
    "migration_agency": 8,
    "health_care": 10,
    "school": 5,
    "civil_society": 12,
    "other_authority": 8,
    "employer": 3,
    "private_person": 6,
    "other": 2,
    "unknown": 1,
}
TOPICS = {
    "suspected_case": 45,
    "method": 15,
    "measures": 15,
    "legal": 10,
    "referral": 8,
    "training": 5,
    "other": 2,
}
CONTACT_SUMMARIES = {
    "suspected_case": "Uppringaren beskriver en person som kan vara utsatt för {purpose}.",
    "method": "Frågor om hur en bedömning av människohandel görs och vem som gör vad.",
    "measures": "Frågor om skyddat boende och reflektionsperiod för en person i kontakt.",
    "legal": "Frågor om sekretess vid överlämnande till polisen.",
    "referral": "Uppringaren vill veta vilken regionkoordinator som ska kontaktas.",
    "training": "Förfrågan om utbildning för personal på ett boende.",
    "other": "Allmänna frågor om stödtelefonens verksamhet.",
}
CONTACT_ADVICE = (
    "Rådde uppringaren att kontakta regionkoordinatorn i regionen.",
    "Gick igenom indikatorer och NMT:s metodstöd; skickade länk till handboken.",
    "Rådde uppringaren att göra en orosanmälan och kontakta polisen vid akut fara.",
    "Informerade om reflektionsperiod och tillfälligt uppehållstillstånd.",
    "Hänvisade till frivilligorganisation för akut boende.",
)
PURPOSE_WORDS = {
    "sexual": "sexuell exploatering",
    "forced_labour": "tvångsarbete",
    "begging": "tiggeri",
    "crime": "brottslig verksamhet",
    "forced_marriage": "tvångsäktenskap",
}

# Fictitious street names for the addresses of protected persons.
STREETS = ("Exempelgatan", "Påhittade gränd", "Demovägen", "Fiktiva allén", "Testtorget")
