"""A file name with a newline or an escape character is printed escaped, on one line."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner

from beslutsgen.cli import main
from beslutsgen.errors import Problem, printable


@pytest.mark.parametrize(
    ("name", "shown"),
    [
        ("rad\nbrytning.yaml", "rad\\nbrytning.yaml"),
        ("färg\x1b[31m.yaml", "färg\\x1b[31m.yaml"),
        ("faktura\u202elmay.yaml", "faktura\\u202elmay.yaml"),
        ("vanlig fil.yaml", "vanlig fil.yaml"),
    ],
)
def test_file_name_is_printed_on_one_line(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, name: str, shown: str
) -> None:
    monkeypatch.chdir(tmp_path)
    (tmp_path / name).write_text("typ: tjänsteskrivelse\n", encoding="utf-8")
    result = CliRunner().invoke(main, ["validate", name])
    assert result.exit_code == 1
    lines = result.stderr.splitlines()
    assert lines[-1] == "9 problem i 1 fil(er); inget skrevs."
    assert all(line.startswith(f"{shown}:1:1: ") for line in lines[:-1]), lines


def test_printable_leaves_ordinary_text_alone() -> None:
    assert printable("Östersund § 196 – «ok»") == "Östersund § 196 – «ok»"
    assert str(Problem("a\tb.yaml", 1, 2, "rubrik", "fel")) == "a\\tb.yaml:1:2: rubrik: fel"
