"""``nmt estimate`` through the real dispatcher."""

from __future__ import annotations

import json

from nmt.cli import main


def _json(capsys, *argv: str) -> dict:
    assert main(["estimate", *argv, "--json"]) == 0
    return json.loads(capsys.readouterr().out)


def test_json_contract_stepwise(capsys, data_file):
    out = _json(capsys, str(data_file("UKdat_5")))
    assert set(out) >= {"observed", "estimate", "interval", "model", "method", "lists"}
    assert out["observed"] == 2744
    assert out["model"] == "[12,13,24,25,35,45]"
    assert out["method"] == "stepwise"
    assert out["lists"] == ["LA", "NG", "PFNCA", "GO", "GP"]
    assert abs(out["estimate"] - 11312.99) < 0.01
    assert out["interval"] == {
        "lower": out["intervals"]["log-normal"]["lower"],
        "upper": out["intervals"]["log-normal"]["upper"],
        "level": 0.95,
        "kind": "log-normal",
    }
    assert abs(out["interval"]["lower"] - 9884.40) < 0.01
    assert [s["term"] for s in out["steps"]] == ["12", "25", "35", "13", "45", "24"]
    assert out["ranking"][0]["rank"] == 1


def test_json_bic_with_max_order(capsys, data_file):
    out = _json(capsys, str(data_file("Kosovo")), "--method", "bic", "--max-order", "3")
    assert out["model"] == "[123,14,34]"
    assert abs(out["estimate"] - 10356.52) < 0.01
    assert out["models_considered"] == 113


def test_fixed_model_and_main_effects(capsys, data_file):
    path = str(data_file("Korea"))
    assert (
        _json(capsys, path, "--model", "[12,3]")["estimate"]
        == _json(capsys, path, "--method", "model", "--model", "[12,3]")["estimate"]
    )
    main_effects = _json(capsys, path, "--method", "main")
    assert main_effects["model"] == "[1,2,3]"
    assert abs(main_effects["estimate"] - 141.9926) < 1e-3


def test_bootstrap_with_figure(capsys, data_file, tmp_path):
    figure = tmp_path / "boot.png"
    argv = [str(data_file("Western")), "--bootstrap", "100", "--seed", "7"]
    out = _json(capsys, *argv, "--figure", str(figure), "--workers", "1")
    assert out["interval"]["kind"] == "BCa bootstrap"
    assert out["bootstrap"]["n_boot"] == 100
    assert out["interval"]["lower"] < out["estimate"] < out["interval"]["upper"]
    assert figure.read_bytes()[:4] == b"\x89PNG"
    again = _json(capsys, *argv, "--workers", "2")
    assert again["interval"] == out["interval"]


def test_lcmcr_json(capsys, data_file):
    out = _json(
        capsys,
        str(data_file("Korea")),
        "--method",
        "lcmcr",
        "--chains",
        "2",
        "--burnin",
        "500",
        "--samples",
        "200",
        "--thinning",
        "2",
        "--seed",
        "1",
    )
    assert out["method"] == "lcmcr"
    assert out["interval"]["kind"] == "posterior (equal-tailed)"
    assert out["estimate"] >= out["observed"] == 123
    assert "rhat" in out["lcmcr"]


def test_human_summary(capsys, data_file):
    assert main(["estimate", str(data_file("UKdat_5"))]) == 0
    text = capsys.readouterr().out
    assert "Estimate:     11,313 persons" in text
    assert "9,884 – 13,027  (95% log-normal)" in text
    assert "Top models by BIC" in text
    assert "models within 2 BIC units" in text


def test_bad_table_exits_2_naming_line_and_column(capsys, tmp_path):
    path = tmp_path / "bad.csv"
    path.write_text("A,B,count\n1,0,3\n1,x,2\n0,1,-1\n")
    assert main(["estimate", str(path)]) == 2
    err = capsys.readouterr().err
    assert f"{path}, line 3, column 'B': expected 0 or 1, found 'x'" in err
    assert f"{path}, line 4, column 'count': a count cannot be negative" in err


def test_missing_file_and_bad_options_exit_2(capsys, data_file, tmp_path):
    assert main(["estimate", str(tmp_path / "nope.csv")]) == 2
    assert "no such file" in capsys.readouterr().err
    path = str(data_file("Artificial_3"))
    assert main(["estimate", path, "--model", "[12,3]"]) == 2
    assert "model [12,3]: the maximum likelihood estimate does not exist" in capsys.readouterr().err
    assert main(["estimate", path, "--model", "[19]"]) == 2
    assert "no list '9'" in capsys.readouterr().err
    assert main(["estimate", path, "--method", "bic", "--max-order", "3"]) == 2
    assert "--max-order must be between 1 and 2" in capsys.readouterr().err
    assert main(["estimate", path, "--figure", "out.png"]) == 2
    assert "add --bootstrap N" in capsys.readouterr().err


def test_single_chain_lcmcr_json_has_no_nan(capsys, data_file):
    out = _json(
        capsys,
        str(data_file("Korea")),
        "--method",
        "lcmcr",
        "--chains",
        "1",
        "--burnin",
        "100",
        "--samples",
        "50",
        "--seed",
        "2",
    )
    assert out["lcmcr"]["rhat"] is None
    assert out["warnings"]


def test_oversized_search_is_refused_before_fitting(capsys, data_file):
    assert main(["estimate", str(data_file("NewOrl_MSE")), "--method", "bic"]) == 2
    assert "more than 70000 models" in capsys.readouterr().err
