"""`beslutsgen init`: a new project that validates, renders and holds a meeting as written,
in the organisation's own words; and `beslutsgen new` in the words of the profile.

Each test runs the CLI in-process (click's CliRunner) as a secretariat would: init in a
fresh folder, then the next commands it prints from inside the new project.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import pytest
import yaml
from click.testing import CliRunner, Result

from beslutsgen import scaffold
from beslutsgen.cli import main
from beslutsgen.errors import OutputError
from beslutsgen.load.schema import KOMMUN, OTHER, REGION, SKELETONS, wording
from beslutsgen.render.docx import BUNDLED_REFERENCE
from tests.textutil import normalise, pdf_full_text


def run(*args: str) -> Result:
    return CliRunner().invoke(main, list(args))


def tree(root: Path) -> dict[str, bytes]:
    return {p.relative_to(root).as_posix(): p.read_bytes() for p in root.rglob("*") if p.is_file()}


@dataclass(frozen=True)
class Kind:
    organisation: str
    prefix: str
    organs: dict[str, int]
    forslag: str
    chef: str
    domain: str

    @property
    def case(self) -> str:
        return f"decisions/{self.prefix}-15-2026.yaml"

    @property
    def meeting(self) -> str:
        return f"decisions/{self.prefix}-2026-01-27-sammantrade.yaml"

    @property
    def styrelse(self) -> str:
        return next(iter(self.organs))


KINDS = [
    Kind(
        "Tyresö kommun",
        "ks",
        {"Kommunstyrelsen": 13, "Kommunfullmäktige": 51, "Kommunstyrelsens arbetsutskott": 5},
        "Kommundirektörens förslag",
        "Kommundirektör",
        "tyreso-kommun",
    ),
    Kind(
        "Region Gotland",
        "rs",
        {"Regionstyrelsen": 13, "Regionfullmäktige": 71, "Hälso- och sjukvårdsnämnden": 13},
        "Regiondirektörens förslag",
        "Regiondirektör",
        "region-gotland",
    ),
    Kind(
        "Testbolaget",
        "sty",
        {"Styrelsen": 9, "Fullmäktige": 31},
        "Förvaltningens förslag",
        "Förvaltningschef",
        "testbolaget",
    ),
]


def expected_files(kind: Kind) -> list[str]:
    return [
        "beslutsgen.yaml",
        kind.case,
        kind.meeting,
        "templates/README.md",
        ".gitignore",
        ".vscode/settings.json",
        "schema/arende.schema.json",
        "schema/profil.schema.json",
        "schema/sammantrade.schema.json",
        "schema/delegationsbeslut.schema.json",
        "templates/reference.docx",
    ]


SETTINGS = """\
{
  "yaml.schemas": {
    "schema/arende.schema.json": [
      "decisions/*.yaml",
      "!decisions/*-sammantrade.yaml",
      "!decisions/*-delegationsbeslut.yaml"
    ],
    "schema/sammantrade.schema.json": [
      "decisions/*-sammantrade.yaml"
    ],
    "schema/profil.schema.json": [
      "beslutsgen.yaml"
    ],
    "schema/delegationsbeslut.schema.json": [
      "decisions/*-delegationsbeslut.yaml"
    ]
  }
}
"""


@pytest.fixture
def workdir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.chdir(tmp_path)
    return tmp_path


def init_project(workdir: Path, kind: Kind) -> Path:
    result = run("init", "projekt", "--organisation", kind.organisation)
    assert result.exit_code == 0, result.output
    assert result.stderr == ""
    meeting = kind.meeting
    assert result.stdout == (
        "".join(f"projekt/{name}\n" for name in expected_files(kind))
        + "\nNästa steg:\n  cd projekt\n  beslutsgen validate\n  beslutsgen render\n"
        f"  beslutsgen meeting {meeting}\n  beslutsgen distribute {meeting} --dry-run\n"
    )
    return workdir / "projekt"


@pytest.mark.parametrize("kind", KINDS, ids=lambda k: k.organisation)
def test_init_writes_a_project_that_validates_and_renders(
    kind: Kind, workdir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    project = init_project(workdir, kind)
    assert sorted(tree(project)) == sorted(expected_files(kind))
    profile = yaml.safe_load((project / "beslutsgen.yaml").read_text("utf-8"))
    assert profile["organisation"] == kind.organisation
    assert "organisationsnummer" not in profile  # a commented placeholder only
    assert "# organisationsnummer: 212000-0000" in (project / "beslutsgen.yaml").read_text()
    assert {name: o["ledamöter"] for name, o in profile["organ"].items()} == kind.organs
    assert profile["i_tjänsten"] == [{"namn": "Förnamn Efternamn", "titel": kind.chef}]
    addresses = [m.get("epost") for r in profile["adressbok"].values() for m in r]
    assert all(a.endswith(f"@{kind.domain}.example") for a in addresses if a)
    case = yaml.safe_load((project / kind.case).read_text("utf-8"))
    assert (case["organ"], case["förslag"]["rubrik"]) == (kind.styrelse, kind.forslag)
    assert (project / "templates/reference.docx").read_bytes() == BUNDLED_REFERENCE.read_bytes()
    assert (project / ".gitignore").read_text().splitlines()[1:] == [
        "output/",
        "renderingar.sqlite*",
        "expediering.sqlite*",
    ]

    monkeypatch.chdir(project)
    checked = run("validate")
    assert (checked.exit_code, checked.stderr) == (0, ""), checked.output
    assert checked.stdout == "1 ärende(n) och 1 sammanträde(n) utan problem.\n"
    rendered = run("render")
    assert rendered.exit_code == 0, rendered.output
    stem = f"output/{kind.prefix.upper()}-15-2026_tjanssteskrivelse"
    assert rendered.stdout.split() == [f"{stem}.docx", f"{stem}.pdf"]
    text = normalise(pdf_full_text((project / f"{stem}.pdf").read_bytes()))
    assert kind.forslag in text and kind.organisation in text and kind.styrelse in text
    if kind.prefix != "rs":  # nothing of the sample region's words
        assert "Region" not in text
    held = run("meeting", kind.meeting)
    assert (held.exit_code, held.stderr) == (0, ""), held.output
    folder = f"output/{kind.styrelse.lower()}-2026-01-27"
    stems = ["kallelse", "protokoll", "protokollsutdrag-1", "protokollsutdrag-2", "anslagsbevis"]
    assert held.stdout.split() == [f"{folder}/{s}.{f}" for s in stems for f in ("docx", "pdf")]
    protocol = normalise(pdf_full_text((project / folder / "protokoll.pdf").read_bytes()))
    assert kind.styrelse in protocol


def test_every_yaml_file_names_its_schema(workdir: Path) -> None:
    kind = KINDS[0]
    project = init_project(workdir, kind)
    heads = {
        name: (project / name).read_text("utf-8").splitlines()[0]
        for name in ("beslutsgen.yaml", kind.case, kind.meeting)
    }
    assert heads == {
        "beslutsgen.yaml": "# yaml-language-server: $schema=schema/profil.schema.json",
        kind.case: "# yaml-language-server: $schema=../schema/arende.schema.json",
        kind.meeting: "# yaml-language-server: $schema=../schema/sammantrade.schema.json",
    }
    assert (project / ".vscode" / "settings.json").read_text("utf-8") == SETTINGS
    for name in ("arende", "sammantrade", "profil", "delegationsbeslut"):
        schema = run("schema", name).stdout
        assert (project / "schema" / f"{name}.schema.json").read_text("utf-8") == schema


def test_init_refuses_to_overwrite_and_writes_nothing(workdir: Path) -> None:
    project = init_project(workdir, KINDS[0])
    (project / "beslutsgen.yaml").write_text("organisation: Min egen\n", "utf-8")
    before = tree(project)
    again = run("init", "projekt", "--organisation", "Region Gotland")
    assert again.exit_code == 2
    assert again.stdout == ""
    assert again.stderr.splitlines() == [
        "fel: 9 fil(er) finns redan i projekt och skrivs inte över; inget skrevs:",
        "  projekt/beslutsgen.yaml",
        "  projekt/templates/README.md",
        "  projekt/.gitignore",
        "  projekt/.vscode/settings.json",
        "  projekt/schema/arende.schema.json",
        "  projekt/schema/profil.schema.json",
        "  projekt/schema/sammantrade.schema.json",
        "  projekt/schema/delegationsbeslut.schema.json",
        "  projekt/templates/reference.docx",
        "välj en ny eller tom mapp, eller flytta filerna",
    ]
    assert tree(project) == before


def test_one_file_in_the_way_stops_everything(workdir: Path) -> None:
    (workdir / "projekt").mkdir()
    (workdir / "projekt" / ".gitignore").write_text("*.tmp\n", "utf-8")
    (workdir / "projekt" / "schema").write_text("", "utf-8")  # a file where a folder goes
    result = run("init", "projekt", "--organisation", "Tyresö kommun")
    assert result.exit_code == 2
    assert result.stderr == (
        "fel: 2 fil(er) finns redan i projekt och skrivs inte över; inget skrevs:\n"
        "  projekt/.gitignore\n"
        "  projekt/schema\n"
        "välj en ny eller tom mapp, eller flytta filerna\n"
    )
    assert tree(workdir / "projekt") == {".gitignore": b"*.tmp\n", "schema": b""}


def test_an_empty_folder_is_fine_and_a_file_is_not(workdir: Path) -> None:
    (workdir / "projekt").mkdir()
    init_project(workdir, KINDS[0])
    (workdir / "fil").write_text("", "utf-8")
    result = run("init", "fil", "--organisation", "Tyresö kommun")
    refused = "fel: fil är en fil, inte en mapp; välj en ny mapp\n"
    assert (result.exit_code, result.stderr) == (2, refused)


def test_a_failed_write_leaves_nothing(workdir: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    calls: list[Path] = []
    real = scaffold.write_atomic

    def failing(path: Path, data: bytes) -> None:
        calls.append(path)
        if len(calls) == 5:
            raise OutputError(f"{path}: kunde inte skrivas: disken är full")
        real(path, data)

    monkeypatch.setattr(scaffold, "write_atomic", failing)
    result = run("init", "ny/projekt", "--organisation", "Tyresö kommun")
    assert result.exit_code == 3
    assert "disken är full" in result.stderr
    assert list(workdir.iterdir()) == []


def test_an_unusable_organisation_name_is_refused(workdir: Path) -> None:
    result = run("init", "projekt", "--organisation", "Faktura \u202ekommun")
    assert result.exit_code == 2
    assert result.stderr.startswith("fel: --organisation: ")
    assert not (workdir / "projekt").exists()


def test_the_wording_follows_the_kind_of_organisation() -> None:
    assert wording("Tyresö kommun") is KOMMUN
    assert wording("Region Gotland") is REGION
    assert wording("Testbolaget") is OTHER
    assert wording("Regionförbundet") is OTHER


def test_new_uses_the_profile(workdir: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    project = init_project(workdir, KINDS[0])
    monkeypatch.chdir(project / "decisions")  # anywhere in the project
    arende = run("new", "arende")
    assert (arende.exit_code, arende.stderr) == (0, "")
    case = yaml.safe_load(arende.stdout)
    assert case["organ"] == "Kommunstyrelsen"
    assert case["förslag"]["rubrik"] == "Kommundirektörens förslag"
    assert case["diarienummer"] == "KS/1/2026"
    assert case["utdrag_till"] == ["Kommundirektör"]
    assert "Region" not in arende.stdout
    assert "profilens undertecknare (Förnamn Efternamn, Kommundirektör)" in arende.stdout
    (project / "decisions" / "x.yaml").write_text(arende.stdout, "utf-8")

    meeting = run("new", "meeting")
    assert (meeting.exit_code, meeting.stderr) == (0, "")
    assert "Region" not in meeting.stdout
    data = yaml.safe_load(meeting.stdout)
    assert (data["organ"], data["paragrafer"][0]["ärende"]) == ("Kommunstyrelsen", "KS/1/2026")
    assert len(data["ledamöter"]) == 7  # beslutfört: more than half of 13
    assert "förvaringsplats" not in data  # the profile has it
    # Filled in: the meeting after the example one, numbered on from it.
    filled = (
        meeting.stdout.replace("2026-01-27", "2026-02-24")
        .replace("2026-02-02", "2026-03-02")
        .replace("2026-02-03", "2026-03-03")
        .replace("nummer: 1", "nummer: 3")
    )
    (project / "decisions" / "ks-2026-02-24-sammantrade.yaml").write_text(filled, "utf-8")
    monkeypatch.chdir(project)
    checked = run("validate")
    assert (checked.exit_code, checked.stderr) == (0, ""), checked.output
    assert checked.stdout == "2 ärende(n) och 2 sammanträde(n) utan problem.\n"


def test_new_outside_a_project_is_the_plain_skeleton(workdir: Path) -> None:
    for kind in ("arende", "meeting"):
        result = run("new", kind)
        assert (result.exit_code, result.stdout) == (0, SKELETONS[kind])


def test_new_with_a_broken_profile_says_so_and_falls_back(workdir: Path) -> None:
    (workdir / "beslutsgen.yaml").write_text("organisation: X\norgan: 3\n", "utf-8")
    result = run("new", "arende")
    assert result.exit_code == 0
    assert result.stdout == SKELETONS["arende"]
    assert result.stderr.startswith("beslutsgen.yaml:2:")
