"""Delegationsbeslut as files of their own: validated like every file, found by the § that
reports them, and refused when they belong to another organ or are incomplete.

Each test writes a small project to tmp (profile, a delegationsbeslut file, a meeting
whose § 1 reports it) and runs `beslutsgen validate` there, asserting the exact lines.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner, Result

from beslutsgen.cli import main

PROFILE = """\
organisation: Region Provland
i_tjänsten: [{namn: Sara Lewerentz, titel: Regiondirektör}]
förvaringsplats: Regionhuset, Kansliet, Provstad
"""
BESLUT = """\
typ: delegationsbeslut
organ: Regionstyrelsen
diarienummer: RS/12/2026
datum: 2026-01-10
beslutsfattare: Regiondirektör Sara Lewerentz
delegationspunkt: "4.2"
beskrivning: Avtal om tolktjänster.
"""
MEETING = """\
typ: sammanträde
organ: Regionstyrelsen
datum: 2026-01-27
tid: "09.00–12.00"
plats: Regionens hus, Östersund
ordförande: Anna Andersson
sekreterare: Sven Svensson
ledamöter: [{namn: Lars Larsson, parti: S}]
justerare: [Lars Larsson]
justering: {datum: 2026-02-02, plats: Regionens hus}
anslag: 2026-02-03
paragrafer:
  - nummer: 1
    rubrik: Anmälan av delegationsbeslut
    delegationsbeslut: [RS/12/2026]
"""


@pytest.fixture
def project(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    (tmp_path / "beslutsgen.yaml").write_text(PROFILE, "utf-8")
    (tmp_path / "decisions").mkdir()
    (tmp_path / "decisions" / "sammantrade.yaml").write_text(MEETING, "utf-8")
    monkeypatch.chdir(tmp_path)
    return tmp_path


def validate(*paths: str) -> Result:
    return CliRunner().invoke(main, ["validate", *paths])


def test_a_reported_file_is_found_in_decisions_when_only_the_meeting_is_named(
    project: Path,
) -> None:
    (project / "decisions" / "rs-12-2026.yaml").write_text(BESLUT, "utf-8")
    result = validate("decisions/sammantrade.yaml")
    assert (result.exit_code, result.stderr) == (0, ""), result.output
    assert result.stdout == "0 ärende(n) och 1 sammanträde(n) utan problem.\n"


def test_a_file_of_another_organ_is_refused(project: Path) -> None:
    other = BESLUT.replace("organ: Regionstyrelsen", "organ: Hälso- och sjukvårdsnämnden")
    (project / "decisions" / "rs-12-2026.yaml").write_text(other, "utf-8")
    result = validate("decisions/sammantrade.yaml")
    assert result.exit_code == 1
    assert result.stderr.splitlines() == [
        "decisions/sammantrade.yaml:15:25: paragrafer[1].delegationsbeslut[1]: "
        "delegationsbeslutet 'RS/12/2026' anmäls till Hälso- och sjukvårdsnämnden (organ i "
        "decisions/rs-12-2026.yaml), inte till Regionstyrelsen",
        "1 problem i 1 fil(er); inget skrevs.",
    ]


def test_a_broken_file_is_reported_at_its_own_lines(project: Path) -> None:
    broken = BESLUT.replace("beslutsfattare: Regiondirektör Sara Lewerentz\n", "").replace(
        "datum: 2026-01-10", "datum: 2026-02-30"
    )
    (project / "decisions" / "rs-12-2026.yaml").write_text(broken, "utf-8")
    result = validate("decisions")
    assert result.exit_code == 1
    assert result.stderr.splitlines() == [
        "decisions/rs-12-2026.yaml:1:1: beslutsfattare: obligatorisk nyckel saknas",
        "decisions/rs-12-2026.yaml:4:8: datum: ogiltigt datum '2026-02-30'; skriv ÅÅÅÅ-MM-DD, "
        "t.ex. 2025-11-25",
        "decisions/sammantrade.yaml:15:25: paragrafer[1].delegationsbeslut[1]: "
        "delegationsbeslutet 'RS/12/2026' finns inte i decisions/ (en fil med typ: "
        "delegationsbeslut)",
        "3 problem i 2 fil(er); inget skrevs.",
    ]


def test_a_typo_in_typ_names_delegationsbeslut_too(project: Path) -> None:
    typo = BESLUT.replace("typ: delegationsbeslut", "typ: delegationsbeslt")
    (project / "decisions" / "rs-12-2026.yaml").write_text(typo, "utf-8")
    result = validate("decisions/rs-12-2026.yaml")
    assert result.exit_code == 1
    assert result.stderr.splitlines()[0] == (
        "decisions/rs-12-2026.yaml:1:6: typ: ska vara 'tjänsteskrivelse', 'sammanträde' eller "
        "'delegationsbeslut', inte 'delegationsbeslt'; menade du 'delegationsbeslut'?"
    )
