"""Sammantrade files: the sample validates; each mistake in tests/bad_meetings/ is reported exactly.

Each file in tests/bad_meetings/ is BASE_MEETING below with one change (its first line says
which); its §§ refer to cases in the repository's decisions/, which `beslutsgen validate`
consults for cases not named on the command line. tests/bad_meetings/expected.txt holds the
exact stderr per file, in the format of tests/bad/expected.txt.
"""

from __future__ import annotations

import difflib
import re
import shutil
from datetime import date
from pathlib import Path

import pytest

from beslutsgen import pipeline
from beslutsgen.law import participation
from beslutsgen.load.project import load_project
from beslutsgen.model.sammantrade import ENLIGT_FORSLAG, Omrostning, VoteResult, clean_tid
from tests.conftest import MINIMAL_CASE, read_expected
from tests.test_bad_input import PROBLEM, SUMMARY, assert_refused, run
from tests.test_cli_meeting import SAMPLE_STEMS

ROOT = Path(__file__).resolve().parent.parent
BAD = ROOT / "tests" / "bad_meetings"
SAMPLE = "decisions/rs-2025-11-25-sammantrade.yaml"

BASE_MEETING = """\
typ: sammanträde
organ: Regionstyrelsen
datum: 2025-11-25
tid: "09.00–15.30"
plats: Regionens hus, Östersund
ordförande: Tomas Andreasson
sekreterare: Anna-Karin Edvardsen
ledamöter:
  - {namn: Marie Svensson, parti: S}
  - {namn: Maria Söderberg, parti: M}
  - {namn: Ingrid Hellström, parti: KD, ersätter: Lars Wikström}
ersättare:
  - {namn: Elin Åberg, parti: S}
övriga_närvarande:
  - {namn: Sara Lewerentz, titel: Regiondirektör, paragrafer: [196]}
justerare: [Marie Svensson]
justering:
  datum: 2025-12-01
  plats: Regionens hus, Östersund
anslag: 2025-12-02
första_paragraf: 196
paragrafer:
  - nummer: 196
    ärende: RS 552-2025
  - nummer: 197
    ärende: RS/1204/2025
    jäv: [Ingrid Hellström]
    omröstning:
      fråga: Ja för förslaget, nej för återremiss.
      ja: [Tomas Andreasson, Marie Svensson]
      nej: [Maria Söderberg]
    reservationer:
      - {namn: Maria Söderberg, motivering: Budgeten bör prövas på nytt.}
"""


EXPECTED = read_expected(BAD / "expected.txt")
CASES = sorted(p.name for p in BAD.glob("*.yaml"))


@pytest.fixture(scope="module")
def corpus_project(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The repository's decisions/, profile and bad-meeting corpus in a folder of their own.

    The profile there names no organ sizes: the corpus meetings are small (three ledamöter
    and the ordförande), so with the sample profile's 13 ledamöter every file would also
    be reported for want of quorum. Quorum has its own tests (tests/test_participation.py).
    """
    folder = tmp_path_factory.mktemp("corpus")
    shutil.copytree(ROOT / "decisions", folder / "decisions")
    shutil.copytree(BAD, folder / "tests" / "bad_meetings")
    shutil.copytree(ROOT / "tests" / "bad", folder / "tests" / "bad")
    profile = (ROOT / "beslutsgen.yaml").read_text("utf-8")
    without_organ = re.sub(r"(?m)^organ:\n(?:  .*\n)+", "", profile)
    assert without_organ != profile
    (folder / "beslutsgen.yaml").write_text(without_organ, "utf-8")
    return folder


@pytest.fixture
def at_root(monkeypatch: pytest.MonkeyPatch, corpus_project: Path) -> Path:
    monkeypatch.chdir(corpus_project)
    return corpus_project


# --- the bad-meeting corpus -------------------------------------------------------------


def test_corpus_and_expectations_match() -> None:
    assert len(CASES) >= 15
    assert sorted(EXPECTED) == CASES


@pytest.mark.parametrize("name", CASES)
def test_expectation_is_well_formed(name: str) -> None:
    """One problem line for this file, then a summary that counts it."""
    *problems, summary = EXPECTED[name]
    match = SUMMARY.match(summary)
    assert match, summary
    assert (int(match[1]), int(match[2])) == (len(problems), 1) == (1, 1)
    found = PROBLEM.match(problems[0])
    assert found, problems[0]
    assert found["path"] == f"tests/bad_meetings/{name}"


@pytest.mark.parametrize("name", CASES)
def test_each_file_is_the_base_with_one_change(name: str) -> None:
    """A comment naming the mistake, then BASE_MEETING with one place changed."""
    comment, rest = (BAD / name).read_text("utf-8").split("\n", 1)
    assert comment.startswith("# ") and len(comment) > 10
    changed = [
        line
        for line in difflib.unified_diff(BASE_MEETING.splitlines(), rest.splitlines(), n=0)
        if line.startswith("@@")
    ]
    assert len(changed) == 1, changed


@pytest.mark.parametrize("name", CASES)
def test_validate_lists_the_exact_problem(name: str, at_root: Path) -> None:
    assert_refused(run("validate", f"tests/bad_meetings/{name}"), EXPECTED[name])


def test_render_refuses_and_writes_nothing(at_root: Path, tmp_path: Path) -> None:
    name = "vote-missing.yaml"
    out = tmp_path / "out"
    assert_refused(run("render", f"tests/bad_meetings/{name}", "-o", str(out)), EXPECTED[name])
    assert not out.exists()


def test_whole_corpus_at_once_lists_every_problem_of_every_file(at_root: Path) -> None:
    problems = [line for name in CASES for line in EXPECTED[name][:-1]]
    summary = f"{len(problems)} problem i {len(CASES)} fil(er); inget skrevs."
    assert_refused(run("validate", "tests/bad_meetings"), [*problems, summary])


def test_the_base_meeting_is_good(at_root: Path, tmp_path: Path) -> None:
    """The base every bad file was made from validates, so the refusals above mean something."""
    (tmp_path / "m.yaml").write_text(BASE_MEETING, "utf-8")
    result = run("validate", str(tmp_path / "m.yaml"))
    assert result.exit_code == 0, result.output
    assert result.stdout == "0 ärende(n) och 1 sammanträde(n) utan problem.\n"
    assert result.stderr == ""


# --- the sample meeting ------------------------------------------------------------------


def test_sample_meeting_validates_on_its_own(at_root: Path) -> None:
    """Its cases are found in decisions/ although only the meeting is named."""
    result = run("validate", SAMPLE)
    assert result.exit_code == 0, result.output
    assert result.stdout == "0 ärende(n) och 1 sammanträde(n) utan problem.\n"
    assert result.stderr == ""


def test_sample_meeting_is_loaded_with_its_cases() -> None:
    project = load_project([ROOT / "decisions"], ROOT)
    files = sorted((ROOT / "decisions").glob("*.yaml"))
    meetings = [p for p in files if p.name.endswith("-sammantrade.yaml")]
    delegations = [p for p in files if p.name.endswith("-delegationsbeslut.yaml")]
    assert len(project.arenden) == len(files) - len(meetings) - len(delegations)
    assert [m.path for m in project.meetings] == meetings
    loaded = next(m for m in project.meetings if m.path == ROOT / SAMPLE)
    meeting = loaded.meeting
    assert loaded.path == ROOT / SAMPLE
    assert (meeting.organ, meeting.datum) == ("Regionstyrelsen", date(2025, 11, 25))
    assert meeting.tid == "09.00–12.00, 13.00–15.30"
    assert (meeting.justering.datum, meeting.anslag) == (date(2025, 12, 1), date(2025, 12, 2))
    assert [p.nummer for p in meeting.paragrafer] == [196, 197, 198]
    assert [c.arende.diarienummer for c in loaded.arenden] == [
        "RS 552-2025",
        "RS/1204/2025",
        "RS/595/2023",
    ]
    assert all(case in project.arenden for case in loaded.arenden)
    first, vote_item, last = meeting.paragrafer
    serving = participation.deciding(meeting, first)
    assert serving[0] == meeting.ordforande and len(serving) == len(set(serving)) == 9
    # § 198: Per Bergqvist has jäv; Elin Åberg serves in his seat for that § only.
    at_198 = participation.deciding(meeting, last)
    assert "Per Bergqvist" not in at_198 and at_198[-1] == "Elin Åberg" and len(at_198) == 9
    assert first.enligt_forslag and first.beslut == ENLIGT_FORSLAG
    assert not vote_item.omedelbart_justerad and vote_item.expedieras_till is None
    vote = vote_item.omrostning
    assert vote is not None
    assert (len(vote.ja), len(vote.nej), len(vote.avstar)) == (6, 2, 1)
    assert [r.namn for r in vote_item.reservationer] == ["Maria Söderberg"]
    assert last.omedelbart_justerad and last.jav == ["Per Bergqvist"]
    assert not last.enligt_forslag and last.beslut.startswith("1. Regiondirektören")


def test_build_all_makes_every_meeting_document() -> None:
    """Each case's tjänsteskrivelse first, then kallelse, protokoll, one utdrag per § and
    the anslagsbevis of the meeting."""
    project = pipeline.validate([ROOT / "decisions"], ROOT)
    built = pipeline.build_all(project)
    stems = [b.stem for b in built[len(project.arenden) :]]
    later = [f"protokollsutdrag-{n}" for n in range(101, 108)]
    assert stems == [*SAMPLE_STEMS, "kallelse", "protokoll", *later, "anslagsbevis"]


def test_vote_result_counts_and_casting_vote() -> None:
    vote = Omrostning.model_validate(
        {"fråga": "Ja för förslaget.", "ja": ["A", "B"], "nej": ["C", "D"], "avstår": ["E"]}
    )
    assert vote.result("A") == VoteResult(2, 2, 1, "ja", casting=True)
    assert vote.result("C") == VoteResult(2, 2, 1, "nej", casting=True)
    assert vote.result("E") == VoteResult(2, 2, 1, None, casting=False)
    clear = vote.model_copy(update={"nej": ["C"]})
    assert clear.result("C") == VoteResult(2, 1, 1, "ja", casting=False)


# --- loading rules ----------------------------------------------------------------------


def _project(root: Path, files: dict[str, str]) -> None:
    (root / "decisions").mkdir()
    for name, text in files.items():
        (root / "decisions" / name).write_text(text, "utf-8")


# The base with a single § 1 whose ärende is REF.
SMALL_MEETING = (
    BASE_MEETING.split("paragrafer:\n  - nummer: 196")[0]
    .replace("[196]", "[1]")
    .replace("första_paragraf: 196\n", "")
    + "paragrafer:\n  - nummer: 1\n    ärende: REF\n"
)


def test_a_case_by_path_relative_to_the_meeting(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    _project(tmp_path, {"a.yaml": MINIMAL_CASE})
    (tmp_path / "moten").mkdir()
    meeting = SMALL_MEETING.replace("REF", "../decisions/a.yaml")
    (tmp_path / "moten" / "m.yaml").write_text(meeting, "utf-8")
    monkeypatch.chdir(tmp_path)
    project = load_project([tmp_path / "moten"], tmp_path)
    assert project.arenden == []
    (loaded,) = project.meetings
    assert [c.arende.diarienummer for c in loaded.arenden] == ["RS/100/2026"]


def test_a_case_with_problems_is_named_not_called_missing(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    broken = MINIMAL_CASE.replace("2026-01-15", "2026-02-30")
    meeting = SMALL_MEETING.replace("REF", "RS/100/2026")
    _project(tmp_path, {"a.yaml": broken, "m.yaml": meeting})
    monkeypatch.chdir(tmp_path)
    assert_refused(
        run("validate"),
        [
            "decisions/a.yaml:4:8: datum: ogiltigt datum '2026-02-30'; "
            "skriv ÅÅÅÅ-MM-DD, t.ex. 2025-11-25",
            "decisions/m.yaml:23:13: paragrafer[1].ärende: ärendet 'RS/100/2026' finns i "
            "decisions/a.yaml, men den filen är inte ett felfritt ärende "
            "(kontrollera den med beslutsgen validate decisions/a.yaml)",
            "2 problem i 2 fil(er); inget skrevs.",
        ],
    )


def test_without_typ_the_keys_decide_which_model_reports(at_root: Path, tmp_path: Path) -> None:
    """A meeting without `typ:` gets one problem, not a list of keys a case does not know."""
    (tmp_path / "m.yaml").write_text(BASE_MEETING.replace("typ: sammanträde\n", ""), "utf-8")
    result = run("validate", str(tmp_path / "m.yaml"))
    assert result.stderr.splitlines() == [
        f"{tmp_path / 'm.yaml'}:1:1: typ: obligatorisk nyckel saknas; "
        "ska vara 'tjänsteskrivelse', 'sammanträde' eller 'delegationsbeslut'",
        "1 problem i 1 fil(er); inget skrevs.",
    ]


@pytest.mark.parametrize(
    ("written", "kept"),
    [
        ("09.00–15.30", "09.00–15.30"),
        ("9.00-15.30", "09.00–15.30"),
        ("09:00 – 15:30", "09.00–15.30"),
        ("09.00–12.00,13.00–15.30", "09.00–12.00, 13.00–15.30"),
    ],
)
def test_tid_is_written_the_swedish_way(written: str, kept: str) -> None:
    assert clean_tid(written) == kept


@pytest.mark.parametrize("written", ["9–15", "24.00–25.00", "09.60–10.00", "10.00–10.00", ""])
def test_tid_refuses(written: str) -> None:
    with pytest.raises(ValueError, match=r"ogiltig tid|får inte vara tom"):
        clean_tid(written)


# --- all problems at once, schema errors or not ---------------------------------------------


def _several_mistakes(tmp_path: Path, *changes: tuple[str, str]) -> list[str]:
    """BASE_MEETING with `changes`, validated from the repository root (cases there)."""
    text = BASE_MEETING
    for old, new in changes:
        assert old in text
        text = text.replace(old, new)
    path = tmp_path / "m.yaml"
    path.write_text(text, "utf-8")
    result = run("validate", str(path))
    assert result.exit_code == 1
    return [line.replace(f"{path}:", "m.yaml:") for line in result.stderr.splitlines()]


def test_a_schema_error_does_not_hide_a_vote_that_does_not_match(
    at_root: Path, tmp_path: Path
) -> None:
    lines = _several_mistakes(
        tmp_path,
        ('tid: "09.00–15.30"', 'tid: "9–15"'),
        ("      ja: [Tomas Andreasson, Marie Svensson]", "      ja: [Tomas Andreasson]"),
    )
    assert lines == [
        "m.yaml:4:6: tid: ogiltig tid '9–15'; skriv början och slut som 09.00–15.30 (flera "
        "pass med komma: 09.00–12.00, 13.00–15.30)",
        "m.yaml:28:5: paragrafer[2].omröstning: 'Marie Svensson' röstar inte; varje "
        "tjänstgörande ledamot utan jäv ska stå under ja, nej eller avstår",
        "2 problem i 1 fil(er); inget skrevs.",
    ]


def test_a_broken_paragraf_does_not_hide_a_missing_case_in_another(
    at_root: Path, tmp_path: Path
) -> None:
    """The valid § is checked at its own place in the file; the § order is not judged
    while a § is broken (its number may be what is wrong)."""
    lines = _several_mistakes(
        tmp_path,
        ("    ärende: RS 552-2025\n", "    ärende: RS 999-2025\n"),
        (
            "    jäv: [Ingrid Hellström]\n",
            "    jäv: [Ingrid Hellström]\n    omedelbart_justerad: ja\n",
        ),
    )
    assert lines == [
        "m.yaml:24:13: paragrafer[1].ärende: ärendet 'RS 999-2025' finns inte i decisions/",
        "m.yaml:28:26: paragrafer[2].omedelbart_justerad: ska vara true eller false",
        "2 problem i 1 fil(er); inget skrevs.",
    ]


def test_a_required_key_that_fails_leaves_nothing_to_relate(at_root: Path, tmp_path: Path) -> None:
    """Without valid ledamöter there is no attendance to hold the vote against."""
    lines = _several_mistakes(
        tmp_path,
        ("  - {namn: Marie Svensson, parti: S}", "  - {namn: Marie Svensson, parti: [S]}"),
        ("      ja: [Tomas Andreasson, Marie Svensson]", "      ja: [Tomas Andreasson]"),
    )
    assert lines == [
        "m.yaml:9:35: ledamöter[1].parti: ska vara text",
        "1 problem i 1 fil(er); inget skrevs.",
    ]
