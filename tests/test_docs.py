"""The docs cannot drift: generated files are current and README examples really work."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from click.testing import CliRunner
from tools import make_docs

from beslutsgen.cli import main

ROOT = Path(__file__).resolve().parent.parent
README = (ROOT / "README.md").read_text(encoding="utf-8")


def _blocks(language: str) -> list[str]:
    return re.findall(rf"```{language}\n(.*?)```", README, flags=re.DOTALL)


@pytest.mark.parametrize("path", sorted(make_docs.generated()), ids=lambda p: p.name)
def test_generated_docs_are_current(path: Path) -> None:
    expected = make_docs.generated()[path]
    assert path.read_text(encoding="utf-8") == expected, "run: python tools/make_docs.py"


@pytest.fixture
def project(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    (tmp_path / "beslutsgen.yaml").write_text(
        "organisation: Region Jämtland Härjedalen\n"
        "i_tjänsten:\n  - {namn: Sara Lewerentz, titel: Regiondirektör}\n",
        encoding="utf-8",
    )
    (tmp_path / "decisions").mkdir()
    monkeypatch.chdir(tmp_path)
    return tmp_path


def test_readme_case_renders(project: Path) -> None:
    (project / "decisions" / "rs-595-2023.yaml").write_text(_blocks("yaml")[0], encoding="utf-8")
    result = CliRunner().invoke(main, ["render"])
    assert result.exit_code == 0, result.output
    assert result.output.split() == [
        "output/RS-595-2023_tjanssteskrivelse.docx",
        "output/RS-595-2023_tjanssteskrivelse.pdf",
    ]


def test_readme_error_example_is_real(project: Path) -> None:
    broken = (
        _blocks("yaml")[0]
        .replace("rubrik: Revidering", "rubirk: Revidering")
        .replace("datum: 2024-01-15", "datum: 2024-02-30")
    )
    (project / "decisions" / "rs-595-2023.yaml").write_text(broken, encoding="utf-8")
    example = next(b for b in _blocks("text") if b.startswith("$ beslutsgen validate"))
    command, *expected = example.strip().splitlines()
    result = CliRunner().invoke(main, command.split()[2:])
    assert result.exit_code == 1
    assert result.stderr.splitlines() == expected


def test_new_skeletons_validate(project: Path) -> None:
    for kind in ("arende", "meeting"):
        skeleton = CliRunner().invoke(main, ["new", kind])
        assert skeleton.exit_code == 0
        (project / "decisions" / f"ny-{kind}.yaml").write_text(skeleton.output, encoding="utf-8")
    result = CliRunner().invoke(main, ["validate"])
    assert result.exit_code == 0, result.output
    assert result.output == "1 ärende(n) och 1 sammanträde(n) utan problem.\n"


def test_schema_command_prints_the_committed_schema() -> None:
    result = CliRunner().invoke(main, ["schema"])
    assert result.exit_code == 0
    assert result.output == (ROOT / "schema" / "arende.schema.json").read_text(encoding="utf-8")
