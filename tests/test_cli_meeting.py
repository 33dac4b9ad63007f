"""`beslutsgen meeting` on the command line: what it prints, what it writes, how it refuses.

Each test runs the CLI in-process (click's CliRunner) from inside a project folder, as a
secretariat would: the sample project copied from the repository, or a small one
written here (a profile, one case and one meeting with a single §).
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner, Result

from beslutsgen import pipeline
from beslutsgen.cli import main
from tests.conftest import DECISIONS, MINIMAL_CASE, ROOT
from tests.textutil import docx_paragraphs, normalise, pdf_body_text, pdf_pages

SAMPLE = "decisions/rs-2025-11-25-sammantrade.yaml"
SAMPLE_FOLDER = "regionstyrelsen-2025-11-25"
SAMPLE_STEMS = [
    "kallelse",
    "protokoll",
    "protokollsutdrag-196",
    "protokollsutdrag-197",
    "protokollsutdrag-198",
    "anslagsbevis",
]
STEMS = ["kallelse", "protokoll", "protokollsutdrag-1", "anslagsbevis"]
FOLDER = "regionstyrelsen-2026-01-27"

PROFILE = """\
organisation: Region Provland
i_tjänsten:
  - {namn: Sara Lewerentz, titel: Regiondirektör}
förvaringsplats: Regionhuset, Kansliet, Provstad
"""
# Justering on a Monday; the anslag goes up the same day.
MEETING = """\
typ: sammanträde
organ: Regionstyrelsen
datum: 2026-01-27
tid: "09.00–12.00"
plats: Regionens hus, Östersund
ordförande: Anna Andersson
sekreterare: Sven Svensson
ledamöter:
  - {namn: Anna Andersson, parti: C}
  - {namn: Lars Larsson, parti: S}
  - {namn: Maja Persson, parti: M}
justerare: [Lars Larsson]
justering:
  datum: 2026-02-02
  plats: Regionens hus, Östersund
anslag: 2026-02-02
paragrafer:
  - nummer: 1
    ärende: RS/100/2026
"""
MEETING_FILE = "decisions/sammantrade.yaml"
CASE_FILE = "decisions/rs-100-2026.yaml"


def run(*args: str) -> Result:
    return CliRunner().invoke(main, list(args))


def tree(root: Path) -> set[str]:
    return {p.relative_to(root).as_posix() for p in root.rglob("*")}


def listing(out: str, folder: str, stems: list[str]) -> list[str]:
    return [f"{out}/{folder}/{stem}.{fmt}" for stem in stems for fmt in ("docx", "pdf")]


def position(text: str, line_text: str, key: str) -> tuple[int, int]:
    """Line and column (1-based) of the value after `key` on the line `line_text`."""
    line = text.splitlines().index(line_text) + 1
    return line, line_text.index(key) + len(key) + 1


@pytest.fixture
def project(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """The small project, with the working directory inside it."""
    (tmp_path / "beslutsgen.yaml").write_text(PROFILE, "utf-8")
    (tmp_path / "decisions").mkdir()
    (tmp_path / CASE_FILE).write_text(MINIMAL_CASE, "utf-8")
    (tmp_path / MEETING_FILE).write_text(MEETING, "utf-8")
    monkeypatch.chdir(tmp_path)
    return tmp_path


def write_meeting(root: Path, text: str) -> None:
    (root / MEETING_FILE).write_text(text, "utf-8")


def fields(docx_bytes: bytes, start: str) -> dict[str, str]:
    """The label → value pairs of an anslagsbevis, from the label `start` on."""
    paragraphs = docx_paragraphs(docx_bytes)
    pairs = paragraphs[paragraphs.index(start) :]
    return dict(zip(pairs[0:-2:2], pairs[1:-2:2], strict=True))


# --- the sample meeting --------------------------------------------------------------------


def test_sample_meeting_prints_every_file_it_writes(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    shutil.copy(ROOT / "beslutsgen.yaml", tmp_path / "beslutsgen.yaml")
    shutil.copytree(DECISIONS, tmp_path / "decisions")
    monkeypatch.chdir(tmp_path)
    result = run("meeting", SAMPLE, "-o", "out")
    assert (result.exit_code, result.stderr) == (0, ""), result.output
    assert result.stdout.splitlines() == listing("out", SAMPLE_FOLDER, SAMPLE_STEMS)
    assert tree(tmp_path / "out") == {
        SAMPLE_FOLDER,
        *(line.removeprefix("out/") for line in result.stdout.splitlines()),
    }
    # The same bytes as the library renders.
    library, _ = pipeline.render_sammantraden(
        [ROOT / SAMPLE], pipeline.Settings(ROOT, tmp_path / "library")
    )
    for path in library:
        cli_file = tmp_path / "out" / SAMPLE_FOLDER / path.name
        assert cli_file.read_bytes() == path.read_bytes(), path.name


def test_format_option_limits_the_files(project: Path) -> None:
    result = run("meeting", MEETING_FILE, "-o", "out", "--format", "pdf")
    assert result.exit_code == 0, result.output
    assert result.stdout.splitlines() == [f"out/{FOLDER}/{stem}.pdf" for stem in STEMS]
    assert tree(project / "out") == {FOLDER, *(f"{FOLDER}/{stem}.pdf" for stem in STEMS)}


# --- the output folder -----------------------------------------------------------------------


def test_second_run_replaces_the_meeting_folder(project: Path) -> None:
    first = run("meeting", MEETING_FILE, "-o", "out")
    assert first.exit_code == 0, first.output
    folder = project / "out" / FOLDER
    (folder / "stray.txt").write_text("left by hand", "utf-8")
    (folder / "kallelse.pdf").write_bytes(b"old")
    (project / "out" / "other.txt").write_text("not ours", "utf-8")
    second = run("meeting", MEETING_FILE, "-o", "out")
    assert (second.exit_code, second.stderr) == (0, ""), second.output
    assert second.stdout == first.stdout
    assert second.stdout.splitlines() == listing("out", FOLDER, STEMS)
    expected = {FOLDER, "other.txt", *(f"{FOLDER}/{s}.{f}" for s in STEMS for f in ("docx", "pdf"))}
    assert tree(project / "out") == expected  # no stray file, no staging folder left
    assert (project / "out" / "other.txt").read_text("utf-8") == "not ours"
    assert (folder / "kallelse.pdf").read_bytes().startswith(b"%PDF-")


# --- refusals ------------------------------------------------------------------------------


def test_a_case_file_is_not_a_meeting(project: Path) -> None:
    for args in ([CASE_FILE], [MEETING_FILE, CASE_FILE]):
        result = run("meeting", *args, "-o", "out")
        assert result.exit_code == 2
        assert result.stderr == (
            f"fel: {CASE_FILE} är ett ärende, inte ett sammanträde (typ: sammanträde); "
            "ärenden renderas med beslutsgen render\n"
        )
        assert result.stdout == ""
        assert not (project / "out").exists()


def test_a_sample_case_file_is_not_a_meeting(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(ROOT)
    result = run("meeting", "decisions/rs-552-2025.yaml", "-o", "never-written")
    assert result.exit_code == 2
    assert result.stderr == (
        "fel: decisions/rs-552-2025.yaml är ett ärende, inte ett sammanträde "
        "(typ: sammanträde); ärenden renderas med beslutsgen render\n"
    )
    assert not (ROOT / "never-written").exists()


def test_a_folder_renders_only_its_meetings(project: Path) -> None:
    result = run("meeting", "decisions", "-o", "out")
    assert (result.exit_code, result.stderr) == (0, ""), result.output
    assert result.stdout.splitlines() == listing("out", FOLDER, STEMS)


def test_a_folder_without_a_meeting(project: Path) -> None:
    (project / MEETING_FILE).unlink()
    result = run("meeting", "decisions", "-o", "out")
    assert result.exit_code == 2
    assert result.stderr == "fel: inget sammanträde (typ: sammanträde) bland filerna\n"
    assert not (project / "out").exists()


def test_a_meeting_with_a_problem_writes_nothing(project: Path) -> None:
    text = MEETING.replace("justerare: [Lars Larsson]", "justerare: [Per Okänd]")
    write_meeting(project, text)
    line, col = position(text, "justerare: [Per Okänd]", "[")
    result = run("meeting", MEETING_FILE, "-o", "out")
    assert result.exit_code == 1
    assert result.stderr.splitlines() == [
        f"{MEETING_FILE}:{line}:{col}: justerare[1]: 'Per Okänd' är inte tjänstgörande "
        "ledamot (ordförande eller under ledamöter) och kan inte justera",
        "1 problem i 1 fil(er); inget skrevs.",
    ]
    assert result.stdout == ""
    assert not (project / "out").exists()


BROKEN_TEMPLATES = {
    "syntax": (
        "{{ h(nivå) }} § {{ p.nummer }}\n\n{% if %}\n",
        "templates/paragraf.md.j2:3: mallfel: Expected an expression, got 'end of statement block'",
    ),
    "undefined": (
        "{{ h(nivå) }} § {{ p.nummer }}\n\n{{ p.rubrik }}\n\n{{ p.finnsinte }}\n",
        "templates/paragraf.md.j2:5: mallfel: odefinierat värde: fältet 'finnsinte' finns inte",
    ),
}


@pytest.mark.parametrize("kind", sorted(BROKEN_TEMPLATES))
def test_a_broken_template_override_writes_nothing(project: Path, kind: str) -> None:
    template, message = BROKEN_TEMPLATES[kind]
    (project / "templates").mkdir()
    (project / "templates" / "paragraf.md.j2").write_text(template, "utf-8")
    result = run("meeting", MEETING_FILE, "-o", "out")
    assert result.exit_code == 1
    assert result.stderr.splitlines() == [message, "1 problem i en mall; inget skrevs."]
    assert result.stdout == ""
    assert not (project / "out").exists()


def test_a_broken_template_leaves_the_earlier_output_alone(project: Path) -> None:
    assert run("meeting", MEETING_FILE, "-o", "out").exit_code == 0
    before = {p: p.read_bytes() for p in (project / "out").rglob("*") if p.is_file()}
    (project / "templates").mkdir()
    (project / "templates" / "paragraf.md.j2").write_text(BROKEN_TEMPLATES["syntax"][0], "utf-8")
    result = run("meeting", MEETING_FILE, "-o", "out")
    assert result.exit_code == 1
    message = BROKEN_TEMPLATES["syntax"][1]
    assert result.stderr.splitlines() == [message, "1 problem i en mall; inget skrevs."]
    assert result.stdout == ""
    after = {p: p.read_bytes() for p in (project / "out").rglob("*") if p.is_file()}
    assert after == before


def test_without_forvaringsplats_the_anslagsbevis_leaves_a_line_to_fill_in(
    project: Path,
) -> None:
    (project / "beslutsgen.yaml").write_text(
        PROFILE.replace("förvaringsplats: Regionhuset, Kansliet, Provstad\n", ""), "utf-8"
    )
    result = run("meeting", MEETING_FILE, "-o", "out")
    assert result.exit_code == 0
    assert result.stderr.splitlines() == [
        f"{MEETING_FILE}:1:1: förvaringsplats: varning: saknas här och i profilen; "
        "anslagsbeviset får en tom rad att fylla i för hand (skriv förvaringsplats: i "
        "beslutsgen.yaml)",
    ]
    assert result.stdout.splitlines() == listing("out", FOLDER, STEMS)
    folder = project / "out" / FOLDER
    blank = "_" * 30
    found = fields((folder / "anslagsbevis.docx").read_bytes(), "Organ")
    assert found["Förvaringsplats för protokollet"] == blank
    pdf_text = normalise(pdf_body_text((folder / "anslagsbevis.pdf").read_bytes()))
    assert f"Förvaringsplats för protokollet {blank} Protokollet justerades" in pdf_text
    # Given in the meeting instead, it is enough.
    write_meeting(project, MEETING + "förvaringsplats: Mötets arkiv, Provstad\n")
    result = run("meeting", MEETING_FILE, "-o", "out")
    assert (result.exit_code, result.stderr) == (0, ""), result.output
    anslagsbevis = (folder / "anslagsbevis.docx").read_bytes()
    assert fields(anslagsbevis, "Organ")["Förvaringsplats för protokollet"] == (
        "Mötets arkiv, Provstad"
    )


# --- warnings: the documents are made, the secretariat is told ------------------------------


def test_late_justering_is_a_warning(project: Path) -> None:
    text = MEETING.replace("datum: 2026-02-02", "datum: 2026-02-16").replace(
        "anslag: 2026-02-02", "anslag: 2026-02-17"
    )
    write_meeting(project, text)
    line, col = position(text, "  datum: 2026-02-16", "datum: ")
    result = run("meeting", MEETING_FILE, "-o", "out")
    assert result.exit_code == 0
    assert result.stderr.splitlines() == [
        f"{MEETING_FILE}:{line}:{col}: justering.datum: varning: protokollet justeras "
        "20 dagar efter sammanträdet; senast 2026-02-10, 14 dagar efter (KL 5 kap. 69 §)"
    ]
    assert result.stdout.splitlines() == listing("out", FOLDER, STEMS)


def test_without_anslag_the_planned_date_is_used(project: Path) -> None:
    """Justering on Monday 2026-02-02: the anslag is planned on Tuesday 2026-02-03."""
    explicit = run("meeting", MEETING_FILE, "-o", "explicit")
    assert (explicit.exit_code, explicit.stderr) == (0, "")
    text = MEETING.replace("anslag: 2026-02-02\n", "")
    write_meeting(project, text)
    line = text.splitlines().index("justering:") + 1
    result = run("meeting", MEETING_FILE, "-o", "out")
    assert result.exit_code == 0
    assert result.stderr.splitlines() == [
        f"{MEETING_FILE}:{line}:1: justering: varning: anslag saknas; planerat till "
        "2026-02-03, första vardagen efter justeringen (skriv anslag: ÅÅÅÅ-MM-DD när "
        "det är bestämt)"
    ]
    assert result.stdout.splitlines() == listing("out", FOLDER, STEMS)
    dates = ("Anslaget sätts upp", "Sista dag för överklagande", "Anslaget tas ned")
    for out, anslag, last, down in (
        ("explicit", "2026-02-02", "2026-02-23", "2026-02-24"),
        ("out", "2026-02-03", "2026-02-24", "2026-02-25"),
    ):
        folder = project / out / FOLDER
        found = fields((folder / "anslagsbevis.docx").read_bytes(), "Organ")
        assert [found[label] for label in dates] == [anslag, last, down], out
        assert found["Protokollet justerades"] == "2026-02-02"
        pdf = (folder / "anslagsbevis.pdf").read_bytes()
        assert normalise(pdf_pages(pdf)[0].header) == (
            f"Region Provland ANSLAGSBEVIS Regionstyrelsen Datum {anslag}"
        )
        assert f"Anslaget sätts upp {anslag} Sista dag för överklagande {last}" in normalise(
            pdf_body_text(pdf)
        )


# --- once bugs, now fixed -------------------------------------------------------------


@pytest.mark.parametrize("anslag", ["explicit", "planned"])
def test_anslag_on_monday_after_a_friday_justering_is_in_time(project: Path, anslag: str) -> None:
    """KL 8 kap. 12 §: senast andra dagen efter justeringen; that Sunday becomes Monday."""
    text = MEETING.replace("datum: 2026-02-02", "datum: 2026-01-30")
    if anslag == "planned":
        text = text.replace("anslag: 2026-02-02\n", "")
    write_meeting(project, text)
    result = run("meeting", MEETING_FILE, "-o", "out")
    assert result.exit_code == 0
    line = text.splitlines().index("justering:") + 1
    assert result.stderr.splitlines() == (
        []
        if anslag == "explicit"
        else [
            f"{MEETING_FILE}:{line}:1: justering: varning: anslag saknas; planerat till "
            "2026-02-02, första vardagen efter justeringen (skriv anslag: ÅÅÅÅ-MM-DD när "
            "det är bestämt)"
        ]
    )


def test_two_meetings_of_one_organ_on_one_day(project: Path) -> None:
    """An extra sammanträde the same day (§ 2 after § 1 in the morning) is valid input, but
    its documents would share a folder: refused before anything is written."""
    second = MEETING.replace("nummer: 1", "nummer: 2").replace("09.00–12.00", "13.00–14.00")
    (project / "decisions" / "tillaggsmote.yaml").write_text(second, "utf-8")
    result = run("meeting", MEETING_FILE, "decisions/tillaggsmote.yaml", "-o", "out")
    assert result.exit_code == 2
    assert result.stderr == (
        f"fel: {MEETING_FILE} och decisions/tillaggsmote.yaml är sammanträden med samma organ "
        f"och dag och skulle skrivas till samma mapp {FOLDER}/; rendera dem var för sig med "
        "olika -o\n"
    )
    assert not (project / "out").exists()


def test_a_file_in_the_way_of_the_meeting_folder(project: Path) -> None:
    (project / "out").mkdir()
    (project / "out" / FOLDER).write_text("a file, not a folder", "utf-8")
    result = run("meeting", MEETING_FILE, "-o", "out")
    assert isinstance(result.exception, SystemExit), repr(result.exception)
    assert result.exit_code == 3
    assert result.stderr == (
        f"fel: {project / 'out' / FOLDER} är en fil och står i vägen; flytta eller ta bort den, "
        "eller välj en annan mapp med -o\n"
    )
    assert result.stdout == ""
    assert tree(project / "out") == {FOLDER}
    assert (project / "out" / FOLDER).read_text("utf-8") == "a file, not a folder"
