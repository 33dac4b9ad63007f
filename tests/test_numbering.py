"""§ numbering across meetings: per organ and year, continuing from the previous meeting
in decisions/ or from första_paragraf; gaps and overlaps name both files."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner

from beslutsgen.cli import main
from tests.conftest import MINIMAL_CASE


def meeting(datum: str, numbers: list[int], organ: str = "Regionstyrelsen", start: str = "") -> str:
    items = "".join(f"  - nummer: {n}\n    ärende: RS/{n}/2026\n" for n in numbers)
    return (
        "typ: sammanträde\n"
        f"organ: {organ}\n"
        f"datum: {datum}\n"
        'tid: "09.00–12.00"\n'
        "plats: Regionens hus\n"
        "ordförande: Ordf Ordförande\n"
        "sekreterare: Sekr Sekreterare\n"
        "ledamöter:\n  - {namn: Ledamot Ett}\n"
        "justerare: [Ledamot Ett]\n"
        f"justering: {{datum: {datum}, plats: Regionens hus}}\n"
        f"{start}"
        "paragrafer:\n" + items
        # After the §§, so the positions asserted below do not move; without them the
        # meeting would be valid but warned about.
        + f"anslag: {datum}\nförvaringsplats: Kansliet\n"
    )


@pytest.fixture
def project(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    decisions = tmp_path / "decisions"
    decisions.mkdir()
    for n in range(1, 12):
        case = MINIMAL_CASE.replace("RS/100/2026", f"RS/{n}/2026")
        (decisions / f"rs-{n}-2026.yaml").write_text(case, "utf-8")
    monkeypatch.chdir(tmp_path)
    return tmp_path


def validate(*args: str) -> tuple[int, list[str]]:
    result = CliRunner().invoke(main, ["validate", *args])
    return result.exit_code, (result.stderr or result.output).splitlines()


def write(project: Path, name: str, text: str) -> None:
    (project / "decisions" / name).write_text(text, "utf-8")


def test_meetings_continue_each_other(project: Path) -> None:
    write(project, "m1.yaml", meeting("2026-01-20", [1, 2, 3]))
    write(project, "m2.yaml", meeting("2026-02-17", [4, 5]))
    assert validate() == (0, ["11 ärende(n) och 2 sammanträde(n) utan problem."])


def test_a_gap_names_the_earlier_meeting(project: Path) -> None:
    write(project, "m1.yaml", meeting("2026-01-20", [1, 2, 3]))
    write(project, "m2.yaml", meeting("2026-02-17", [5, 6]))
    assert validate() == (
        1,
        [
            "decisions/m2.yaml:13:13: paragrafer[1].nummer: § 5 hoppar över numreringen: "
            "Regionstyrelsens föregående sammanträde 2026-01-20 (decisions/m1.yaml) slutade "
            "på § 3, så detta ska börja på § 4",
            "1 problem i 1 fil(er); inget skrevs.",
        ],
    )


def test_an_overlap_names_the_earlier_meeting(project: Path) -> None:
    write(project, "m1.yaml", meeting("2026-01-20", [1, 2, 3]))
    write(project, "m2.yaml", meeting("2026-02-17", [3, 4]))
    code, lines = validate()
    assert code == 1
    assert lines[0] == (
        "decisions/m2.yaml:13:13: paragrafer[1].nummer: § 3 upprepar numreringen: "
        "Regionstyrelsens föregående sammanträde 2026-01-20 (decisions/m1.yaml) slutade på § 3, "
        "så detta ska börja på § 4"
    )


def test_first_meeting_of_the_year_starts_at_one_or_at_forsta_paragraf(project: Path) -> None:
    write(project, "m1.yaml", meeting("2026-01-20", [7, 8]))
    assert validate()[1][0] == (
        "decisions/m1.yaml:13:13: paragrafer[1].nummer: § 7 men inget tidigare sammanträde "
        "med Regionstyrelsen 2026 finns i decisions/; numreringen börjar på § 1, eller ange "
        "första_paragraf: 7"
    )
    write(project, "m1.yaml", meeting("2026-01-20", [7, 8], start="första_paragraf: 7\n"))
    assert validate()[0] == 0
    write(project, "m1.yaml", meeting("2026-01-20", [7, 8], start="första_paragraf: 6\n"))
    assert validate()[1][0] == (
        "decisions/m1.yaml:14:13: paragrafer[1].nummer: första paragrafen är § 7, "
        "men första_paragraf säger § 6"
    )


def test_organs_and_years_number_on_their_own(project: Path) -> None:
    write(project, "m1.yaml", meeting("2026-01-20", [1, 2]))
    write(project, "m2.yaml", meeting("2027-01-19", [1], start=""))
    write(project, "m3.yaml", meeting("2026-01-21", [1], organ="Regionstyrelsens arbetsutskott"))
    _, lines = validate()
    # m2 refers to a 2026 case and m3's case belongs to another organ; numbering is fine.
    assert not any("nummer" in line for line in lines), lines


def test_one_meeting_validated_alone_continues_from_decisions(project: Path) -> None:
    write(project, "m1.yaml", meeting("2026-01-20", [1, 2, 3]))
    (project / "ny.yaml").write_text(meeting("2026-02-17", [5]), "utf-8")
    code, lines = validate("ny.yaml")
    assert code == 1
    assert lines[0].startswith("ny.yaml:13:13: paragrafer[1].nummer: § 5 hoppar över")
    assert "(decisions/m1.yaml)" in lines[0]
    (project / "ny.yaml").write_text(meeting("2026-02-17", [4]), "utf-8")
    assert validate("ny.yaml")[0] == 0
