from datetime import date

import pytest

from nmt.linkage.countries import parse_citizenship
from nmt.linkage.standardise import (
    PartialDate,
    canon_name,
    clean_name,
    deletion_neighbourhood,
    parse_age,
    parse_date,
    parse_id_number,
    parse_purposes,
    parse_sex,
    phonetic,
)

TODAY = date(2025, 6, 30)


@pytest.mark.parametrize(
    ("written", "clean"),
    [
        ("Ștefan Ţăranu", "stefan taranu"),
        ("Şerban", "serban"),
        ("ÅSA  Öberg", "asa oberg"),
        ("José-María", "jose maria"),
        ("O'Brien", "obrien"),
        ("Юлия", "yuliya"),
        ("Nguyễn Thị Hương", "nguyen thi huong"),
    ],
)
def test_clean_name_folds_case_diacritics_and_script(written, clean):
    assert clean_name(written) == clean


@pytest.mark.parametrize(
    "variants",
    [
        ("Yuliya", "Iuliia", "Julia", "Юлия"),
        ("Somchai", "Somchay"),
        ("Kuznetsova", "Kuznecova", "Кузнецова"),
        ("Dmitriy", "Dmitry", "Dmitrii"),
        ("Mohammed", "Mohamed"),
        ("Sergei", "Sergey", "Сергей"),
    ],
)
def test_transliteration_variants_share_a_skeleton(variants):
    skeletons = {canon_name(clean_name(v).replace(" ", "")) for v in variants}
    assert len(skeletons) == 1


def test_phonetic_code_absorbs_vowel_variation():
    assert phonetic(canon_name("muhammad")) == phonetic(canon_name("mohamed"))


def test_deletion_neighbourhoods_meet_exactly_at_one_edit():
    def meet(a, b):
        return bool(set(deletion_neighbourhood(a)) & set(deletion_neighbourhood(b)))

    assert meet("popescu", "popesku")  # substitution
    assert meet("johansson", "johanson")  # deletion
    assert meet("kowalski", "kowlaski")  # transposition
    assert not meet("popescu", "ionescu")
    assert deletion_neighbourhood("li") == ["li"]  # short names get no deletions


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("1990-05-17", PartialDate(1990, 5, 17)),
        ("1990-05", PartialDate(1990, 5)),
        ("1990", PartialDate(1990)),
        ("19900517", PartialDate(1990, 5, 17)),
        ("900517", PartialDate(1990, 5, 17)),
        ("170520", PartialDate(2017, 5, 20)),
        ("17/05/1990", PartialDate(1990, 5, 17)),
        ("17.05.1990", PartialDate(1990, 5, 17)),
        ("1990-05-17 00:00:00", PartialDate(1990, 5, 17)),
    ],
)
def test_date_formats(text, expected):
    assert parse_date(text, today=TODAY) == expected


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("1990-02-30", "does not exist"),
        ("31.04.1990", "does not exist"),
        ("1990-13", "month 13"),
        ("2030-01-01", "future"),
        ("17 May 1990", "not a date"),
        ("05/17/1990", "month 17"),
    ],
)
def test_impossible_dates_are_rejected(text, message):
    with pytest.raises(ValueError, match=message):
        parse_date(text, today=TODAY)


def test_day_month_swap_is_a_feature_not_a_parse():
    # 04/05 is read day first; the swapped reading is compared in linkage, not guessed here.
    assert parse_date("04/05/1990", today=TODAY) == PartialDate(1990, 5, 4)


def test_personnummer_check_digit_and_century():
    parsed = parse_id_number("811228-9874", today=TODAY)
    assert parsed.kind == "personnummer"
    assert parsed.value == "198112289874"
    assert parsed.birth_date == PartialDate(1981, 12, 28)
    assert parse_id_number("19811228-9874", today=TODAY) == parsed
    with pytest.raises(ValueError, match="check digit"):
        parse_id_number("811228-9875", today=TODAY)


def test_samordningsnummer_adds_sixty_to_the_day():
    parsed = parse_id_number("701063-2391", today=TODAY)
    assert parsed.kind == "samordningsnummer"
    assert parsed.birth_date == PartialDate(1970, 10, 3)
    with pytest.raises(ValueError, match="check digit"):
        parse_id_number("701063-2392", today=TODAY)


def test_centenarian_plus_sign():
    assert parse_id_number("181228+9872", today=TODAY).value.startswith("1918")


def test_other_numbers_are_kept_upper_case():
    assert parse_id_number("pa 123-456", today=TODAY).value == "PA123456"
    assert parse_id_number("pa 123-456", today=TODAY).kind == "other"


def test_sex_age_and_purposes():
    assert parse_sex("Kvinna") == "f"
    assert parse_sex("pojke") == "m"
    assert parse_sex("okänt") is None
    with pytest.raises(ValueError, match="not a sex"):
        parse_sex("maybe")
    assert parse_age("25") == 25
    assert parse_age("25.0") == 25
    assert parse_age("25 år") == 25
    with pytest.raises(ValueError, match="whole years"):
        parse_age("25.5")
    assert parse_purposes("sexual; Tvångsarbete;sexual") == ["sexual", "forced_labour"]
    with pytest.raises(ValueError, match="not a purpose"):
        parse_purposes("smuggling")


@pytest.mark.parametrize(
    ("text", "code"),
    [
        ("RO", "RO"),
        ("ROU", "RO"),
        ("Rumänien", "RO"),
        ("Romania", "RO"),
        ("rumanien", "RO"),
        ("Viet Nam", "VN"),
        ("Vietnam", "VN"),
        ("Ryssland", "RU"),
        ("Kosovo", "XK"),
        ("statslös", "XX"),
    ],
)
def test_citizenship_from_codes_and_swedish_or_english_names(text, code):
    assert parse_citizenship(text) == code


def test_unknown_citizenship():
    assert parse_citizenship("okänt") is None
    with pytest.raises(ValueError, match="ISO 3166"):
        parse_citizenship("Atlantis")
