from nmt.cli import main


def test_help_lists_the_commands(capsys):
    assert main(["--help"]) == 0
    out = capsys.readouterr().out
    for command in ("demo", "serve", "estimate", "link", "tokenize", "report"):
        assert command in out
