"""`nmt link` and `nmt tokenize` end to end, through the real dispatcher."""

import json
import subprocess
import sys

import pandas as pd
import pytest

from nmt.cli import main
from nmt.linkage.command import OUTPUT_FILES


@pytest.fixture(scope="module")
def linked(small_lists, tmp_path_factory):
    base = tmp_path_factory.mktemp("link")
    paths = small_lists.write(base / "lists", xlsx=["police"])
    out = base / "out"
    argv = ["link", *map(str, paths.values()), "--out", str(out), "--json"]
    return small_lists, paths, out, argv


def test_link_writes_every_output(linked, capsys):
    lists, _paths, out, argv = linked
    assert main(argv) == 0
    report = json.loads(capsys.readouterr().out)
    assert sorted(p.name for p in out.iterdir()) == sorted(OUTPUT_FILES)
    persons = pd.read_csv(out / "persons.csv", dtype={"record_id": str})
    assert list(persons.columns) == ["source", "record_id", "person_id", "match_probability"]
    assert len(persons) == lists.n_records
    assert report["persons"] == persons["person_id"].nunique()
    capture = pd.read_csv(out / "capture.csv")
    assert list(capture.columns) == [*lists.sources, "count"]
    assert not (capture[list(lists.sources)].sum(axis=1) == 0).any()
    assert capture["count"].sum() == report["persons"]
    assert len(capture) == len(capture.drop_duplicates(subset=list(lists.sources)))
    assert [s["threshold"] for s in report["sensitivity"]] == [0.2, 0.5, 0.8]
    assert "Uncertain pairs to review" in (out / "report.md").read_text()


def test_saved_model_is_reused_without_training(linked, tmp_path, capsys):
    _lists, paths, out, argv = linked
    if not (out / "model.json").exists():
        assert main(argv) == 0
    again = tmp_path / "again"
    code = main(
        [
            "link",
            *map(str, paths.values()),
            "--out",
            str(again),
            "--model",
            str(out / "model.json"),
            "--json",
        ]
    )
    report = json.loads(capsys.readouterr().out)
    assert code == 0
    assert report["model"]["trained"] is False


def test_token_mode_links_without_names(small_lists, tmp_path, capsys):
    paths = small_lists.write(tmp_path / "lists")
    key = tmp_path / "shared.key"
    token_paths = []
    for number, (source, path) in enumerate(paths.items()):
        target = tmp_path / f"{source}.tokens.csv"
        extra = ["--new-key"] if number == 0 else []
        assert (
            main(["tokenize", str(path), "--key-file", str(key), "--out", str(target), *extra]) == 0
        )
        token_paths.append(str(target))
    capsys.readouterr()
    assert "Popescu" not in (tmp_path / "police.tokens.csv").read_text()
    out = tmp_path / "out"
    argv = ["link", *token_paths, "--out", str(out), "--json"]
    for source in paths:
        argv += ["--source", source]
    assert main(argv) == 0
    report = json.loads(capsys.readouterr().out)
    assert report["mode"] == "tokens"
    assert report["records"] == small_lists.n_records


def test_tokens_without_bigrams_still_link(small_lists, tmp_path, capsys):
    from nmt.linkage.evaluate import accuracy

    paths = small_lists.write(tmp_path / "lists")
    key = tmp_path / "shared.key"
    files, sources = [], []
    for number, (source, path) in enumerate(paths.items()):
        target = tmp_path / f"{source}.tokens.csv"
        extra = ["--new-key"] if number == 0 else []
        command = ["tokenize", str(path), "--key-file", str(key), "--out", str(target)]
        assert main([*command, "--without-bigrams", "--json", *extra]) == 0
        assert json.loads(capsys.readouterr().out)["bigrams"] is False
        frame = pd.read_csv(target, dtype=str, keep_default_na=False)
        assert (frame["given_grams"] == "").all()
        assert (frame["family_grams"] == "").all()
        assert (frame["given"] != "").any()
        files.append(str(target))
        sources += ["--source", source]
    assert main(["link", *files, *sources, "--out", str(tmp_path / "out"), "--json"]) == 0
    capsys.readouterr()
    persons = pd.read_csv(tmp_path / "out" / "persons.csv", dtype={"record_id": str})
    scores = accuracy(persons, small_lists.truth)
    # Exact keys alone still link well (with bigrams a few tenths of a point better).
    assert scores.pairwise.precision >= 0.97
    assert scores.pairwise.f1 >= 0.95


def test_bad_list_exits_2_names_the_place_and_leaves_nothing(tmp_path, capsys):
    good = tmp_path / "police.csv"
    good.write_text("record_id,given_name\nA,Ana\n", encoding="utf-8")
    bad = tmp_path / "coordinators.csv"
    bad.write_text(
        "record_id,given_name,birth_date,favourite_colour\nA,Ana,1990-02-30,red\nA,Bo,,\n",
        encoding="utf-8",
    )
    out = tmp_path / "out"
    assert main(["link", str(good), str(bad), "--out", str(out)]) == 2
    err = capsys.readouterr().err
    assert f"{bad}, line 1, column 'favourite_colour': unknown column" in err
    assert f"{bad}, line 2, column 'birth_date'" in err
    assert f"{bad}, line 3, column 'record_id': record_id 'A' repeats line 2" in err
    assert not out.exists()
    assert not list(tmp_path.glob(".nmt-link-*"))


def test_mixing_tokens_and_plaintext_is_refused(small_lists, tmp_path, capsys):
    paths = small_lists.write(tmp_path / "lists")
    key = tmp_path / "k.key"
    tokens = tmp_path / "t.csv"
    assert (
        main(
            [
                "tokenize",
                str(paths["police"]),
                "--key-file",
                str(key),
                "--new-key",
                "--out",
                str(tokens),
            ]
        )
        == 0
    )
    assert main(["link", str(tokens), str(paths["supportline"]), "--out", str(tmp_path / "o")]) == 2
    assert "cannot be linked together" in capsys.readouterr().err


def test_tokenize_with_bad_list_creates_no_key(tmp_path, capsys):
    bad = tmp_path / "bad.csv"
    bad.write_text("record_id,birth_date\nA,notadate\n", encoding="utf-8")
    key = tmp_path / "new.key"
    assert (
        main(
            [
                "tokenize",
                str(bad),
                "--key-file",
                str(key),
                "--new-key",
                "--out",
                str(tmp_path / "t.csv"),
            ]
        )
        == 2
    )
    assert "line 2, column 'birth_date'" in capsys.readouterr().err
    assert not key.exists()
    assert not (tmp_path / "t.csv").exists()


def test_linkage_never_imports_django():
    code = (
        "import sys, nmt.linkage, nmt.linkage.command, nmt.linkage.tokenize_command, "
        "nmt.linkage.synthetic, nmt.linkage.report\n"
        "assert not [m for m in sys.modules if m == 'django' or m.startswith('django.')]"
    )
    subprocess.run([sys.executable, "-c", code], check=True)
