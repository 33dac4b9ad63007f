"""The bad-input corpus: every user mistake in tests/bad/ is reported exactly, nothing is written.

Each file in tests/bad/ holds one mistake (many-mistakes.yaml several); tests/bad/expected.txt
holds, per file, the exact stderr of `beslutsgen validate` (and `render`) run from the
repository root: the problem lines `path:line:col: key: message`, then the summary line.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from click.testing import CliRunner, Result

from beslutsgen.cli import main
from tests.conftest import MINIMAL_CASE as GOOD_CASE
from tests.conftest import read_expected

ROOT = Path(__file__).resolve().parent.parent
BAD = ROOT / "tests" / "bad"
SUMMARY = re.compile(r"^(\d+) problem i (\d+) fil\(er\); inget skrevs\.$")
PROBLEM = re.compile(r"^(?P<path>[^:]+):(?P<line>\d+):(?P<col>\d+): (?P<rest>.+)$")


EXPECTED = read_expected(BAD / "expected.txt")
CASES = sorted(p.name for p in BAD.glob("*.yaml"))


def run(*args: str) -> Result:
    return CliRunner().invoke(main, list(args))


def assert_refused(result: Result, expected: list[str]) -> None:
    """Exit 1 through the CLI's own error path, the exact lines on stderr, nothing on stdout."""
    assert "Traceback" not in result.stderr + result.stdout
    assert isinstance(result.exception, SystemExit), result.exception
    assert result.exit_code == 1
    assert result.stderr.splitlines() == expected
    assert result.stdout == ""


@pytest.fixture
def at_root(monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.chdir(ROOT)
    return ROOT


def test_corpus_and_expectations_match() -> None:
    assert len(CASES) >= 24
    assert sorted(EXPECTED) == CASES


@pytest.mark.parametrize("name", CASES)
def test_expectation_is_well_formed(name: str) -> None:
    """Each block: problem lines for this file only, sorted by line and column, then a summary
    that counts them; a single-mistake file has its mistake in one place."""
    *problems, summary = EXPECTED[name]
    match = SUMMARY.match(summary)
    assert match, summary
    assert (int(match[1]), int(match[2])) == (len(problems), 1)
    places = []
    for line in problems:
        found = PROBLEM.match(line)
        assert found, line
        assert found["path"] == f"tests/bad/{name}"
        places.append((int(found["line"]), int(found["col"])))
    assert places == sorted(places)
    if name == "many-mistakes.yaml":
        assert len(problems) >= 5
        assert len({line for line, _ in places}) == len(places)
    else:
        assert len(problems) == 1


@pytest.mark.parametrize("name", CASES)
def test_validate_lists_the_exact_problems(name: str, at_root: Path) -> None:
    assert_refused(run("validate", f"tests/bad/{name}"), EXPECTED[name])


@pytest.mark.parametrize("name", CASES)
def test_render_refuses_and_writes_nothing(name: str, at_root: Path, tmp_path: Path) -> None:
    out = tmp_path / "out"
    assert_refused(run("render", f"tests/bad/{name}", "-o", str(out)), EXPECTED[name])
    assert not out.exists() or not any(out.iterdir())


def test_whole_corpus_at_once_lists_every_problem_of_every_file(
    at_root: Path, tmp_path: Path
) -> None:
    problems = [line for name in CASES for line in EXPECTED[name][:-1]]
    summary = f"{len(problems)} problem i {len(CASES)} fil(er); inget skrevs."
    out = tmp_path / "out"
    assert_refused(run("render", "tests/bad", "-o", str(out)), [*problems, summary])
    assert not out.exists()


def test_the_good_case_is_good(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    """The base every bad case was made from renders, so the refusals above mean something."""
    (tmp_path / "x.yaml").write_text(GOOD_CASE, "utf-8")
    monkeypatch.chdir(tmp_path)
    result = run("render", "x.yaml", "-o", "out")
    assert (result.exit_code, result.stderr) == (0, ""), result.output
    assert result.stdout == (
        "out/RS-100-2026_tjanssteskrivelse.docx\nout/RS-100-2026_tjanssteskrivelse.pdf\n"
    )
    assert sorted(p.name for p in (tmp_path / "out").iterdir()) == [
        "RS-100-2026_tjanssteskrivelse.docx",
        "RS-100-2026_tjanssteskrivelse.pdf",
    ]


def _project(root: Path, cases: dict[str, str]) -> None:
    (root / "decisions").mkdir()
    for name, text in cases.items():
        (root / "decisions" / name).write_text(text, "utf-8")


def test_one_bad_file_stops_the_good_one_too(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    bad = GOOD_CASE.replace("RS/100/2026", "RS/101/2026").replace("2026-01-15", "2026-02-30")
    _project(tmp_path, {"a-good.yaml": GOOD_CASE, "b-bad.yaml": bad})
    monkeypatch.chdir(tmp_path)
    expected = [
        "decisions/b-bad.yaml:4:8: datum: ogiltigt datum '2026-02-30'; "
        "skriv ÅÅÅÅ-MM-DD, t.ex. 2025-11-25",
        "1 problem i 1 fil(er); inget skrevs.",
    ]
    assert_refused(run("validate"), expected)
    assert_refused(run("render"), expected)
    assert_refused(run("render", "decisions", "-o", "elsewhere"), expected)
    assert not (tmp_path / "output").exists()
    assert not (tmp_path / "elsewhere").exists()


def test_two_cases_with_the_same_diarienummer(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    other = GOOD_CASE.replace("Inköp av kontorsmaterial", "Inköp av möbler")
    _project(tmp_path, {"a.yaml": GOOD_CASE, "b.yaml": other})
    monkeypatch.chdir(tmp_path)
    expected = [
        "decisions/b.yaml:3:15: diarienummer: 'RS/100/2026' används redan i decisions/a.yaml; "
        "varje ärende har ett eget diarienummer",
        "1 problem i 1 fil(er); inget skrevs.",
    ]
    assert_refused(run("validate"), expected)
    assert_refused(run("render"), expected)
    assert not (tmp_path / "output").exists()


def test_a_path_that_does_not_exist(at_root: Path) -> None:
    assert_refused(
        run("validate", "tests/bad/finns-inte.yaml"),
        [
            "tests/bad/finns-inte.yaml:1:1: filen eller mappen finns inte",
            "1 problem i 1 fil(er); inget skrevs.",
        ],
    )


def test_profile_mistakes_are_listed_with_the_cases(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    (tmp_path / "beslutsgen.yaml").write_text(
        "organisaton: Region Provland\ni_tjänsten:\n  - {namn: Sara Lewerentz}\n", "utf-8"
    )
    _project(tmp_path, {"a.yaml": GOOD_CASE.replace("datum: 2026-01-15", "datum: 15 jan")})
    monkeypatch.chdir(tmp_path)
    assert_refused(
        run("render"),
        [
            "beslutsgen.yaml:1:1: organisaton: okänd nyckel; menade du 'organisation'?",
            "beslutsgen.yaml:3:5: i_tjänsten[1].titel: obligatorisk nyckel saknas",
            "decisions/a.yaml:4:8: datum: ogiltigt datum '15 jan'; "
            "skriv ÅÅÅÅ-MM-DD, t.ex. 2025-11-25",
            "3 problem i 2 fil(er); inget skrevs.",
        ],
    )
    assert not (tmp_path / "output").exists()


def test_no_signatories_anywhere(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    unsigned = GOOD_CASE.replace(
        "i_tjänsten:\n  - {namn: Sara Lewerentz, titel: Regiondirektör}\n", ""
    )
    _project(tmp_path, {"a.yaml": unsigned})
    monkeypatch.chdir(tmp_path)
    assert_refused(
        run("render"),
        [
            "decisions/a.yaml:1:1: i_tjänsten: obligatorisk nyckel saknas "
            "(ingen profil beslutsgen.yaml med standardundertecknare)",
            "1 problem i 1 fil(er); inget skrevs.",
        ],
    )


# Known gaps: each test says what a user should get. strict=True makes a fix show up as
# XPASS (a failure), so the marker is removed together with the bug.


def test_missing_glyph_is_listed_with_other_problems(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    text = GOOD_CASE.replace("organ: Regionstyrelsen\n", "").replace(
        "rubrik: Inköp av kontorsmaterial", "rubrik: Inköp av 文具"
    )
    (tmp_path / "x.yaml").write_text(text, "utf-8")
    monkeypatch.chdir(tmp_path)
    result = run("validate", "x.yaml")
    assert result.exit_code == 1
    assert result.stderr.splitlines()[-1] == "2 problem i 1 fil(er); inget skrevs."


def test_missing_signatories_are_listed_with_other_problems(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    text = GOOD_CASE.replace(
        "i_tjänsten:\n  - {namn: Sara Lewerentz, titel: Regiondirektör}\n", ""
    ).replace("2026-01-15", "2026-02-30")
    (tmp_path / "x.yaml").write_text(text, "utf-8")
    monkeypatch.chdir(tmp_path)
    result = run("validate", "x.yaml")
    assert result.exit_code == 1
    assert result.stderr.splitlines()[-1] == "2 problem i 1 fil(er); inget skrevs."
