"""Keyed tokens: keys, token files, and that tokens keep every equality the model uses."""

import stat

import pandas as pd
import pytest

from nmt.errors import BadInputError
from nmt.linkage.features import FEATURES, GRAM_BITS, feature_table
from nmt.linkage.lists import read_list
from nmt.linkage.tokens import (
    create_key,
    is_token_file,
    key_id,
    load_key,
    read_tokens,
    tokenize_features,
    write_tokens,
)


@pytest.fixture
def records(tmp_path):
    path = tmp_path / "list.csv"
    path.write_text(
        "record_id,given_name,family_name,birth_date,id_number\n"
        "A,Ion,Popescu,1990-05-04,\n"
        "B,Popescu,Ion,1990-04-05,PA123\n"
        "C,Maria,,,\n",
        encoding="utf-8",
    )
    return read_list(path).records


def test_new_key_is_random_private_and_never_overwritten(tmp_path):
    path = tmp_path / "shared.key"
    key = create_key(path)
    assert load_key(path) == key
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    with pytest.raises(BadInputError, match="exists"):
        create_key(path)
    assert create_key(tmp_path / "other.key") != key


def test_bad_key_files(tmp_path):
    with pytest.raises(BadInputError, match="does not exist"):
        load_key(tmp_path / "missing.key")
    (tmp_path / "short.key").write_text("abcd\n")
    with pytest.raises(BadInputError, match="at least 32"):
        load_key(tmp_path / "short.key")
    (tmp_path / "text.key").write_text("not hex at all\n")
    with pytest.raises(BadInputError, match="hexadecimal"):
        load_key(tmp_path / "text.key")


def test_tokens_keep_equalities_across_shared_domains_and_hide_values(records):
    key = bytes(range(32))
    plain = feature_table(records)
    tokens = tokenize_features(plain, key)
    # Swapped names: A's given name equals B's family name in plaintext and in tokens.
    assert plain.loc[0, "given"] == plain.loc[1, "family"]
    assert tokens.loc[0, "given"] == tokens.loc[1, "family"]
    # Swapped day and month meet in the shared "date" domain.
    assert tokens.loc[0, "birth_date"] == tokens.loc[1, "birth_date_swapped"]
    # No plaintext key survives anywhere.
    plain_values = {
        v
        for f in FEATURES
        for cell in plain[f.name].dropna()
        for v in (cell if f.is_set else [cell])
    }
    token_values = {
        v
        for f in FEATURES
        for cell in tokens[f.name].dropna()
        for v in (cell if f.is_set else [cell])
    }
    assert not plain_values & token_values
    # Another key gives unrelated tokens.
    other = tokenize_features(plain, bytes(range(1, 33)))
    assert other.loc[0, "given"] != tokens.loc[0, "given"]


def test_token_file_round_trip(records, tmp_path):
    key = bytes(range(32))
    tokens = tokenize_features(feature_table(records), key)
    path = tmp_path / "tokens.csv"
    write_tokens(tokens, key, path)
    assert is_token_file(path)
    text = path.read_text()
    assert "popescu" not in text.lower()
    assert "1990" not in text
    back, kid = read_tokens(path, source="police")
    assert kid == key_id(key)
    assert list(back["unique_id"]) == ["A", "B", "C"]
    for feature in FEATURES:
        left = tokens[feature.name].map(lambda v: sorted(v) if isinstance(v, list) else v)
        assert left.tolist() == back[feature.name].tolist(), feature.name


def test_tampered_token_file_is_rejected(records, tmp_path):
    key = bytes(range(32))
    path = tmp_path / "tokens.csv"
    write_tokens(tokenize_features(feature_table(records), key), key, path)
    frame = pd.read_csv(path, dtype=str, keep_default_na=False)
    frame.loc[1, "key_id"] = key_id(bytes(range(1, 33)))
    frame.loc[2, "given"] = "Maria"
    frame.to_csv(path, index=False)
    with pytest.raises(BadInputError) as excinfo:
        read_tokens(path, source="police")
    text = str(excinfo.value)
    assert "different keys" in text
    assert f"{path}, line 4, column 'given': not a token" in text


def test_bigrams_are_folded_into_keyed_positions(tmp_path):
    # A token per bigram would be a substitution cipher over a few hundred bigrams, open to
    # counting; a token file carries each bigram only as its keyed position among GRAM_BITS
    # bits, so that several bigrams share each position.
    names = ["Anna", "Ion", "Maria", "Popescu", "Nguyen", "Somchai", "Elena", "Mihai"]
    rows = "\n".join(
        f"R{i},{g},{f},1990-01-{1 + i % 28:02d}"
        for i, (g, f) in enumerate((g, f) for g in names for f in names)
    )
    path = tmp_path / "list.csv"
    path.write_text("record_id,given_name,family_name,birth_date\n" + rows + "\n")
    plain = feature_table(read_list(path).records)
    key = bytes(range(32))
    tokens = tokenize_features(plain, key)
    bigrams = {g for cell in plain["given_grams"].dropna() for g in cell}
    positions = {p for cell in tokens["given_grams"].dropna() for p in cell}
    assert all(p.startswith("g") and 0 <= int(p[1:]) < GRAM_BITS for p in positions)
    assert len(positions) < len(bigrams)
    # The same bigram set gives the same positions; another key other positions.
    assert tokens.loc[0, "given_grams"] == tokens.loc[1, "given_grams"]
    other = tokenize_features(plain, bytes(range(1, 33)))
    assert other["given_grams"].tolist() != tokens["given_grams"].tolist()
    # A token file with a bigram token of the wrong form is refused by name.
    out = tmp_path / "tokens.csv"
    write_tokens(tokens, key, out)
    frame = pd.read_csv(out, dtype=str, keep_default_na=False)
    frame.loc[0, "family_grams"] = "g999x g001"
    frame.to_csv(out, index=False)
    with pytest.raises(BadInputError, match=r"line 2, column 'family_grams': not a bigram"):
        read_tokens(out, source="police")


def test_folded_positions_reach_the_linker_as_bit_sets(records):
    from nmt.linkage.model import _arrow_table

    key = bytes(range(32))
    tokens = tokenize_features(feature_table(records), key)
    table = _arrow_table(tokens, 0, 0).to_pydict()
    for row, cell in enumerate(tokens["given_grams"]):
        bits = 0
        for word in range(GRAM_BITS // 64):
            bits |= (table[f"given_gw{word}"][row] % (1 << 64)) << (64 * word)
        expected = {int(p[1:]) for p in cell} if isinstance(cell, list) else set()
        assert {b for b in range(GRAM_BITS) if bits >> b & 1} == expected
        assert table["given_gn"][row] == len(expected)
