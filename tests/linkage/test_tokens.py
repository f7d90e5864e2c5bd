"""Keyed tokens: keys, token files, and that tokens keep every equality the model uses."""

import stat

import pandas as pd
import pytest

from nmt.errors import BadInputError
from nmt.linkage.features import FEATURES, feature_table
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
