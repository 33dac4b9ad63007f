"""Who takes part at each § (KL 5 kap. 67 § p. 5) and whether the organ may decide at all
(KL 6 kap. 35 §: more than half of its ledamöter present).

Library level: `participation` on Sammantrade models built here, `parse_paragrafer` and
`paragraph_span`. CLI level: `beslutsgen validate` in a small project written to tmp (a
profile naming the organ and its number of ledamöter, one case, one meeting), asserting
the exact lines a secretariat sees.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner, Result
from pydantic import ValidationError

from beslutsgen.build.context import sammantrade_context
from beslutsgen.cli import main
from beslutsgen.errors import InputError
from beslutsgen.law import checks as meeting_checks
from beslutsgen.law import participation
from beslutsgen.load.project import LoadedSammantrade, load_project
from beslutsgen.model.profile import Profile
from beslutsgen.model.sammantrade import (
    Finding,
    Ledamot,
    Sammantrade,
    paragraph_span,
    parse_paragrafer,
)
from tests.conftest import MINIMAL_CASE

MEETING_FILE = "decisions/sammantrade.yaml"
QUORUM_TAIL = (
    "Regionstyrelsen är beslutför först när fler än hälften är närvarande (KL 6 kap. 35 §)"
)
OK = "0 ärende(n) och 1 sammanträde(n) utan problem.\n"


def profile_text(organ: dict[str, int] | None) -> str:
    text = (
        "organisation: Region Provland\n"
        "i_tjänsten:\n"
        "  - {namn: Sara Lewerentz, titel: Regiondirektör}\n"
        "förvaringsplats: Regionhuset, Kansliet, Provstad\n"
    )
    if organ:
        text += "organ:\n" + "".join(f"  {k}: {{ledamöter: {n}}}\n" for k, n in organ.items())
    return text


# Seven ledamöter, the ordförande among them.
SEVEN = [
    "{namn: Anna Andersson, parti: C}",
    "{namn: Lars Larsson, parti: S}",
    "{namn: Maja Persson, parti: M}",
    "{namn: Olle Olsson, parti: S}",
    "{namn: Karin Berg, parti: V}",
    "{namn: Nils Nord, parti: L}",
    "{namn: Greta Gran, parti: KD}",
]
PARAGRAFER = """\
  - nummer: 1
    ärende: RS/100/2026
  - nummer: 2
    rubrik: Information om budgetläget
    beslut: Informationen noteras.
"""


def meeting_text(
    ledamoter: list[str], paragrafer: str = PARAGRAFER, organ: str = "Regionstyrelsen"
) -> str:
    return (
        "typ: sammanträde\n"
        f"organ: {organ}\n"
        "datum: 2026-01-27\n"
        'tid: "09.00–12.00"\n'
        "plats: Regionens hus, Östersund\n"
        "ordförande: Anna Andersson\n"
        "sekreterare: Sven Svensson\n"
        "ledamöter:\n"
        + "".join(f"  - {one}\n" for one in ledamoter)
        + "justerare: [Lars Larsson]\n"
        "justering:\n"
        "  datum: 2026-02-02\n"
        "  plats: Regionens hus, Östersund\n"
        "anslag: 2026-02-03\n"
        "paragrafer:\n" + paragrafer
    )


def write_project(root: Path, meeting: str, organ: dict[str, int] | None) -> None:
    (root / "beslutsgen.yaml").write_text(profile_text(organ), "utf-8")
    (root / "decisions").mkdir(exist_ok=True)
    (root / "decisions" / "rs-100-2026.yaml").write_text(MINIMAL_CASE, "utf-8")
    (root / MEETING_FILE).write_text(meeting, "utf-8")


def validate(root: Path, monkeypatch: pytest.MonkeyPatch) -> Result:
    monkeypatch.chdir(root)
    return CliRunner().invoke(main, ["validate", MEETING_FILE])


def value_at(text: str, line_text: str, key: str, occurrence: int = 1) -> tuple[int, int]:
    """Line and column (1-based) of the value after `key` on the `occurrence`-th line that
    reads `line_text`."""
    lines = text.splitlines()
    found = [i for i, line in enumerate(lines) if line == line_text]
    index = found[occurrence - 1]
    return index + 1, lines[index].index(key) + len(key) + 1


def quorum_line(text: str, number: int, index: int, serving: int, members: int) -> str:
    line, col = value_at(text, f"  - nummer: {number}", "nummer: ")
    return (
        f"{MEETING_FILE}:{line}:{col}: paragrafer[{index}].nummer: § {number}: {serving} av "
        f"{members} ledamöter tjänstgör; {QUORUM_TAIL}"
    )


def summary(problems: int) -> str:
    return f"{problems} problem i 1 fil(er); inget skrevs."


# --- quorum (KL 6 kap. 35 §), on the command line ------------------------------------------


def test_six_of_thirteen_cannot_decide(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Greta Gran leaves after § 1: six serve at § 2, not more than half of thirteen."""
    ledamoter = [*SEVEN[:-1], "{namn: Greta Gran, parti: KD, närvarande: § 1}"]
    text = meeting_text(ledamoter)
    write_project(tmp_path, text, {"Regionstyrelsen": 13})
    result = validate(tmp_path, monkeypatch)
    assert result.exit_code == 1
    assert result.stderr.splitlines() == [quorum_line(text, 2, 2, 6, 13), summary(1)]
    assert result.stderr.splitlines()[0] == (
        f"{MEETING_FILE}:24:13: paragrafer[2].nummer: § 2: 6 av 13 ledamöter tjänstgör; "
        f"{QUORUM_TAIL}"
    )


def test_seven_of_thirteen_can_decide(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    write_project(tmp_path, meeting_text(SEVEN), {"Regionstyrelsen": 13})
    result = validate(tmp_path, monkeypatch)
    assert (result.exit_code, result.stderr, result.stdout) == (0, "", OK)


def test_jav_counts_as_not_taking_part(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Seven present, one of them with jäv at § 1: a jävig ledamot may neither take part nor
    be present (KL 6 kap. 30 §), so six serve at § 1 and the organ cannot decide it."""
    paragrafer = PARAGRAFER.replace(
        "    ärende: RS/100/2026\n", "    ärende: RS/100/2026\n    jäv: [Greta Gran]\n"
    )
    text = meeting_text(SEVEN, paragrafer)
    write_project(tmp_path, text, {"Regionstyrelsen": 13})
    result = validate(tmp_path, monkeypatch)
    assert result.exit_code == 1
    assert result.stderr.splitlines() == [quorum_line(text, 1, 1, 6, 13), summary(1)]


def test_an_ersattare_in_the_seat_of_a_javig_ledamot_keeps_the_quorum(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    paragrafer = PARAGRAFER.replace(
        "    ärende: RS/100/2026\n", "    ärende: RS/100/2026\n    jäv: [Greta Gran]\n"
    )
    ledamoter = [
        *SEVEN,
        "{namn: Hans Ek, parti: KD, ersätter: {namn: Greta Gran, paragrafer: § 1}}",
    ]
    write_project(tmp_path, meeting_text(ledamoter, paragrafer), {"Regionstyrelsen": 13})
    result = validate(tmp_path, monkeypatch)
    assert (result.exit_code, result.stderr, result.stdout) == (0, "", OK)


def test_an_ersattare_for_a_member_who_left_keeps_the_quorum(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    ledamoter = [
        *SEVEN[:-1],
        "{namn: Greta Gran, parti: KD, närvarande: § 1}",
        "{namn: Hans Ek, parti: KD, ersätter: {namn: Greta Gran, paragrafer: § 2}}",
    ]
    write_project(tmp_path, meeting_text(ledamoter), {"Regionstyrelsen": 13})
    result = validate(tmp_path, monkeypatch)
    assert (result.exit_code, result.stderr, result.stdout) == (0, "", OK)


@pytest.mark.parametrize(("serving", "refused"), [(6, True), (7, False)])
def test_half_of_an_even_organ_is_not_enough(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, serving: int, refused: bool
) -> None:
    text = meeting_text(SEVEN[:serving])
    write_project(tmp_path, text, {"Regionstyrelsen": 12})
    result = validate(tmp_path, monkeypatch)
    if refused:
        assert result.exit_code == 1
        assert result.stderr.splitlines() == [
            quorum_line(text, 1, 1, 6, 12),
            quorum_line(text, 2, 2, 6, 12),
            summary(2),
        ]
    else:
        assert (result.exit_code, result.stderr, result.stdout) == (0, "", OK)


def test_without_organ_in_the_profile_quorum_is_not_judged(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    write_project(tmp_path, meeting_text(SEVEN[:3]), None)
    result = validate(tmp_path, monkeypatch)
    assert (result.exit_code, result.stderr, result.stdout) == (0, "", OK)


@pytest.mark.parametrize(
    ("organ", "hint"),
    [
        ("Regionstyrelsn", "menade du 'Regionstyrelsen'?"),
        ("Byggnadsnämnden", "organen är Regionstyrelsen, Hälso- och sjukvårdsnämnden"),
    ],
    ids=["a-typo", "far-from-every-listed-one"],
)
def test_an_organ_the_profile_does_not_list(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, organ: str, hint: str
) -> None:
    caseless = """\
  - nummer: 1
    rubrik: Val av justerare
    beslut: Lars Larsson utses att justera protokollet.
"""
    text = meeting_text(SEVEN, caseless, organ=organ)
    write_project(tmp_path, text, {"Regionstyrelsen": 13, "Hälso- och sjukvårdsnämnden": 13})
    result = validate(tmp_path, monkeypatch)
    assert result.exit_code == 1
    assert result.stderr.splitlines() == [
        f"{MEETING_FILE}:2:8: organ: organet {organ!r} finns inte bland organen i "
        f"beslutsgen.yaml; {hint}",
        summary(1),
    ]


def test_quorum_through_the_library(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    ledamoter = [*SEVEN[:-1], "{namn: Greta Gran, parti: KD, närvarande: § 1}"]
    text = meeting_text(ledamoter)
    write_project(tmp_path, text, {"Regionstyrelsen": 13})
    monkeypatch.chdir(tmp_path)
    with pytest.raises(InputError) as raised:
        load_project([Path(MEETING_FILE)], tmp_path)
    (problem,) = raised.value.problems
    line, col = value_at(text, "  - nummer: 2", "nummer: ")
    assert (problem.path, problem.line, problem.col, problem.key) == (
        MEETING_FILE,
        line,
        col,
        "paragrafer[2].nummer",
    )
    assert problem.message == f"§ 2: 6 av 13 ledamöter tjänstgör; {QUORUM_TAIL}"


# --- votes by someone who does not serve at the § -----------------------------------------

VOTE_AT_2 = """\
    omröstning:
      fråga: Ja för att notera informationen, nej för att inte göra det
      ja: [Anna Andersson, Lars Larsson, Maja Persson, Olle Olsson]
      nej: [Karin Berg, Nils Nord, Greta Gran]
"""


def test_a_vote_by_someone_who_left(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    ledamoter = [*SEVEN[:-1], "{namn: Greta Gran, parti: KD, närvarande: § 1}"]
    text = meeting_text(ledamoter, PARAGRAFER + VOTE_AT_2)
    write_project(tmp_path, text, None)
    result = validate(tmp_path, monkeypatch)
    line, col = value_at(text, "      nej: [Karin Berg, Nils Nord, Greta Gran]", "Nils Nord, ")
    assert result.exit_code == 1
    assert result.stderr.splitlines() == [
        f"{MEETING_FILE}:{line}:{col}: paragrafer[2].omröstning.nej[3]: 'Greta Gran' "
        "tjänstgör inte vid § 2 och kan inte rösta",
        summary(1),
    ]


def test_a_vote_by_a_partial_ersattare_where_he_does_not_serve(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Hans Ek serves for Greta Gran at § 1 only; at § 2 she is back and votes herself."""
    ledamoter = [
        *SEVEN[:-1],
        "{namn: Greta Gran, parti: KD, närvarande: § 2}",
        "{namn: Hans Ek, parti: KD, ersätter: {namn: Greta Gran, paragrafer: § 1}}",
    ]
    vote = VOTE_AT_2.replace("Greta Gran]", "Greta Gran, Hans Ek]")
    text = meeting_text(ledamoter, PARAGRAFER + vote)
    write_project(tmp_path, text, None)
    result = validate(tmp_path, monkeypatch)
    line, col = value_at(text, vote.splitlines()[-1], "Greta Gran, ")
    assert result.exit_code == 1
    assert result.stderr.splitlines() == [
        f"{MEETING_FILE}:{line}:{col}: paragrafer[2].omröstning.nej[4]: 'Hans Ek' "
        "tjänstgör inte vid § 2 och kan inte rösta",
        summary(1),
    ]


# --- participation on hand-built meetings ---------------------------------------------------


def meeting(ledamoter: list[dict[str, Any]], paragrafer: list[dict[str, Any]],
            ordforande: str = "Anna Ordförande") -> Sammantrade:
    return Sammantrade.model_validate(
        {
            "typ": "sammanträde",
            "organ": "Styrelsen",
            "datum": "2026-01-27",
            "tid": "09.00–12.00",
            "plats": "Rummet",
            "ordförande": ordforande,
            "sekreterare": "Sven Sekreterare",
            "ledamöter": ledamoter,
            "justerare": [ledamoter[0]["namn"]],
            "justering": {"datum": "2026-02-02", "plats": "Rummet"},
            "paragrafer": paragrafer,
        }
    )


def items(*extra: dict[str, Any]) -> list[dict[str, Any]]:
    """Three §§ without a case; `extra` updates them in order."""
    found = [{"nummer": n, "rubrik": f"Punkt {n}", "beslut": "Beslutat."} for n in (1, 2, 3)]
    for item, more in zip(found, extra, strict=False):
        item.update(more)
    return found


# The ordförande is not under ledamöter; Bo leaves after § 2 and Dan takes his seat at
# § 3; Cia has jäv at § 2.
PEOPLE = [
    {"namn": "Bo", "parti": "S", "närvarande": "§§ 1–2"},
    {"namn": "Cia", "parti": "M"},
    {"namn": "Dan", "parti": "S", "ersätter": {"namn": "Bo", "paragrafer": "§ 3"}},
    {"namn": "Eva", "parti": "C"},
]


@pytest.fixture
def sample() -> Sammantrade:
    return meeting(PEOPLE, items({}, {"jäv": ["Cia"]}))


def test_parsed_attendance(sample: Sammantrade) -> None:
    bo, cia, dan, eva = sample.ledamoter
    assert (bo.narvarande, cia.narvarande, dan.narvarande, eva.narvarande) == ([1, 2], None,
                                                                               None, None)
    assert dan.ersatter is not None
    assert (dan.ersatter.namn, dan.ersatter.paragrafer) == ("Bo", [3])


def test_deciding_per_paragraf(sample: Sammantrade) -> None:
    assert [participation.deciding(sample, p) for p in sample.paragrafer] == [
        ["Anna Ordförande", "Bo", "Cia", "Eva"],
        ["Anna Ordförande", "Bo", "Eva"],
        ["Anna Ordförande", "Cia", "Dan", "Eva"],
    ]


def test_hela_sammantradet_and_everyone(sample: Sammantrade) -> None:
    assert participation.hela_sammantradet(sample) == ["Anna Ordförande", "Eva"]
    assert participation.everyone_deciding(sample) == [
        "Anna Ordförande", "Bo", "Cia", "Eva", "Dan",
    ]


def test_attended_ignores_jav(sample: Sammantrade) -> None:
    """Cia was in a seat at every §; her jäv at § 2 is written at that §."""
    bo, cia, dan, eva = sample.ledamoter
    assert [participation.attended(sample, m) for m in (bo, cia, dan, eva)] == [
        [1, 2],
        [1, 2, 3],
        [3],
        [1, 2, 3],
    ]
    assert [participation.present(sample, dan, n) for n in (1, 2, 3)] == [False, False, True]


def test_the_ordforande_not_listed_decides_every_paragraf(sample: Sammantrade) -> None:
    members = participation.members(sample)
    assert [m.namn for m in members] == ["Anna Ordförande", "Bo", "Cia", "Dan", "Eva"]
    assert members[0] == Ledamot(namn="Anna Ordförande")
    assert participation.attended(sample, members[0]) == [1, 2, 3]
    for item in sample.paragrafer:
        assert participation.deciding(sample, item)[0] == "Anna Ordförande"


def test_a_listed_ordforande_comes_first_with_the_list_s_attendance() -> None:
    people = [{"namn": "Bo", "parti": "S"}, {"namn": "Anna Ordförande", "parti": "C",
                                             "närvarande": [1, 2]}]
    one = meeting(people, items())
    assert [m.namn for m in participation.members(one)] == ["Anna Ordförande", "Bo"]
    assert [participation.deciding(one, p) for p in one.paragrafer] == [
        ["Anna Ordförande", "Bo"],
        ["Anna Ordförande", "Bo"],
        ["Bo"],
    ]


def test_sample_holds_together(sample: Sammantrade) -> None:
    assert meeting_checks.findings(sample, members_in_organ=5) == []


def test_quorum_findings(sample: Sammantrade) -> None:
    """Three serve at § 2: enough for five ledamöter, not for six."""
    assert list(participation.findings(sample, 5)) == []
    assert list(participation.findings(sample, None)) == []
    assert list(participation.findings(sample, 6)) == [
        Finding(
            ("paragrafer", 1, "nummer"),
            "§ 2: 3 av 6 ledamöter tjänstgör; Styrelsen är beslutför först när fler än hälften "
            "är närvarande (KL 6 kap. 35 §)",
        )
    ]


def test_a_vote_by_a_member_who_left(sample: Sammantrade) -> None:
    data = sample.model_dump(by_alias=True, mode="json")
    data["paragrafer"][2]["omröstning"] = {
        "fråga": "Ja eller nej",
        "ja": ["Anna Ordförande", "Cia", "Dan"],
        "nej": ["Eva", "Bo"],
    }
    found = meeting_checks.findings(Sammantrade.model_validate(data))
    assert found == [
        Finding(
            ("paragrafer", 2, "omröstning", "nej", 1),
            "'Bo' tjänstgör inte vid § 3 och kan inte rösta",
        )
    ]


def test_a_vote_with_jav_and_a_missing_voter(sample: Sammantrade) -> None:
    data = sample.model_dump(by_alias=True, mode="json")
    data["paragrafer"][1]["omröstning"] = {
        "fråga": "Ja eller nej",
        "ja": ["Anna Ordförande", "Cia"],
        "nej": ["Eva"],
    }
    found = meeting_checks.findings(Sammantrade.model_validate(data))
    assert found == [
        Finding(
            ("paragrafer", 1, "omröstning", "ja", 1),
            "'Cia' har jäv i § 2 och får inte delta i omröstningen",
        ),
        Finding(
            ("paragrafer", 1, "omröstning"),
            "'Bo' röstar inte; varje tjänstgörande ledamot utan jäv ska stå under ja, nej "
            "eller avstår",
        ),
    ]


def test_an_ersattare_in_the_seat_of_one_who_serves() -> None:
    people = [
        {"namn": "Bo", "parti": "S"},
        {"namn": "Dan", "parti": "S", "ersätter": {"namn": "Bo", "paragrafer": [3]}},
    ]
    one = meeting(people, items())
    assert list(participation.findings(one, None)) == [
        Finding(("ledamöter", 1, "ersätter"),
                "'Bo' tjänstgör själv vid § 3 och kan inte samtidigt ersättas")
    ]


def test_attendance_at_a_paragraf_the_meeting_does_not_have() -> None:
    people = [{"namn": "Bo", "parti": "S", "närvarande": "§§ 2–4"}]
    one = meeting(people, items())
    assert list(participation.findings(one, None)) == [
        Finding(("ledamöter", 0, "närvarande"),
                "§ 4 finns inte i sammanträdet (paragraferna är §§ 1–3)")
    ]


def beslutande_here(one: Sammantrade) -> list[list[str]]:
    """The "Beslutande vid paragrafen" list of each § as the templates get it."""
    loaded = LoadedSammantrade(Path("m.yaml"), one, tuple(None for _ in one.paragrafer))
    context = sammantrade_context(loaded, Profile(organisation="Region Provland"))
    return [item["beslutande_här"] for item in context["paragrafer"]]


def test_beslutande_here_where_attendance_changes(sample: Sammantrade) -> None:
    """§ 1 is the upprop; § 2 (Cia's jäv) and § 3 (Dan for Bo) are decided by others."""
    assert beslutande_here(sample) == [
        [],
        ["Anna Ordförande", "Bo (S)", "Eva (C)"],
        ["Anna Ordförande", "Cia (M)", "Dan (S)", "Eva (C)"],
    ]


def test_jav_at_the_first_paragraf_is_not_a_change_of_attendance() -> None:
    people = [{"namn": "Bo", "parti": "S"}, {"namn": "Cia", "parti": "M"},
              {"namn": "Eva", "parti": "C"}]
    one = meeting(people, items({"jäv": ["Cia"]}))
    assert beslutande_here(one) == [["Anna Ordförande", "Bo (S)", "Eva (C)"], [], []]


# --- parse_paragrafer and paragraph_span ---------------------------------------------------


@pytest.mark.parametrize(
    ("text", "numbers"),
    [
        ("§§ 196–197", [196, 197]),
        ("§ 198", [198]),
        ("196, 198–199", [196, 198, 199]),
        ("196-197", [196, 197]),
        ("§§196 – 198", [196, 197, 198]),
        (" 5 ", [5]),
        ("1–1001", list(range(1, 1002))),
    ],
)
def test_parse_paragrafer(text: str, numbers: list[int]) -> None:
    assert parse_paragrafer(text) == numbers


def test_parse_paragrafer_leaves_a_list_to_the_schema() -> None:
    given = [196, 198]
    assert parse_paragrafer(given) is given
    assert parse_paragrafer(None) is None


@pytest.mark.parametrize("text", ["196–195", "abc", "§§", "1–5000", "", "196,", "§ 1 och 2"])
def test_parse_paragrafer_refuses(text: str) -> None:
    with pytest.raises(ValueError, match=r"^ogiltiga paragrafer") as raised:
        parse_paragrafer(text)
    assert str(raised.value) == (
        f"ogiltiga paragrafer {text!r}; skriv t.ex. §§ 196–197, § 198 eller [196, 198]"
    )


def test_the_model_parses_and_refuses_paragrafer() -> None:
    assert Ledamot.model_validate({"namn": "Bo", "närvarande": "§§ 1–2"}).narvarande == [1, 2]
    with pytest.raises(ValidationError, match="ogiltiga paragrafer '1–5000'"):
        Ledamot.model_validate({"namn": "Bo", "närvarande": "1–5000"})
    with pytest.raises(ValidationError):
        Ledamot.model_validate({"namn": "Bo", "närvarande": "§ 0"})


BOUNDS_BUG = (
    "messages.py _bounds reads ge/le from the field's own metadata only: for Paragraf.nummer "
    "(Field(ge=1), no le) it says 'ska vara 1–?', and for the items of Paragrafer "
    "(list[Annotated[int, Field(ge=1)]], närvarande and ersätter.paragrafer) 'ska vara ?–?'"
)



@pytest.mark.parametrize(
    ("ledamot", "nummer"),
    [
        ("{namn: Greta Gran, parti: KD, närvarande: § 0}", "1"),
        ("{namn: Greta Gran, parti: KD}", "0"),
    ],
    ids=["närvarande", "nummer"],
)
def test_paragraf_zero_reads_well(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, ledamot: str, nummer: str
) -> None:
    """A § numbered 0 is refused with a range a reader can act on: "minst 1", no "?"."""
    text = meeting_text([*SEVEN[:-1], ledamot], PARAGRAFER.replace("nummer: 1\n",
                                                                   f"nummer: {nummer}\n"))
    write_project(tmp_path, text, None)
    result = validate(tmp_path, monkeypatch)
    assert result.exit_code == 1
    first = result.stderr.splitlines()[0]
    assert "utanför tillåtet intervall" in first, first
    assert "?" not in first.split(": ", 2)[-1], first
    assert "minst 1" in first, first


@pytest.mark.parametrize(
    ("numbers", "span"),
    [
        ([5], "§ 5"),
        ([196, 197, 198], "§§ 196–198"),
        ([12, 14], "§§ 12, 14"),
        ([101, 102, 103, 104, 106, 107], "§§ 101–104, 106–107"),
        ([107, 101, 102, 101], "§§ 101–102, 107"),
        ([5, 6], "§§ 5–6"),
    ],
)
def test_paragraph_span(numbers: list[int], span: str) -> None:
    assert paragraph_span(numbers) == span
