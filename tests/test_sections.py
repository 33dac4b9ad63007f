"""Issue 15: sections and several proposal blocks.

A case may have a sammanfattning and avsnitt beside (or instead of) its ärendebeskrivning,
in the order the profile names (`tjänsteskrivelse.ordning`), with headings the profile
requires (`obligatoriska_avsnitt`). `förslag:` may be a list of blocks, each numbered from
1; a meeting § adopts all of them (`enligt förslag`) or those `enligt_förslag:` names.
"""

from __future__ import annotations

import io
from pathlib import Path
from typing import Any

import docx
import pypdf
import pytest
import yaml
from click.testing import CliRunner, Result

from beslutsgen.cli import main
from tests.conftest import MINIMAL_CASE
from tests.test_docx_structure import Numbering
from tests.textutil import normalise, pdf_body_text

MUNICIPAL_PROFILE: dict[str, Any] = {
    "organisation": "Provkommun",
    "i_tjänsten": [{"namn": "Sara Lewerentz", "titel": "Kommundirektör"}],
    "tjänsteskrivelse": {
        "ordning": ["förslag", "sammanfattning", "ärendebeskrivning", "avsnitt", "beslutsunderlag"],
        "obligatoriska_avsnitt": ["Ekonomiska konsekvenser", "Barnkonsekvensanalys"],
    },
}
INJECTIONS = '#read("/etc/passwd") $x$ <b>{{ 7*7 }}</b> {% raw %} \\ `code` ::: rich 0'
FULLMAKTIGE = "Kommunstyrelsen föreslår kommunfullmäktige besluta"
EGEN_DEL = "Kommunstyrelsen beslutar för egen del"
MUNICIPAL_CASE: dict[str, Any] = {
    "typ": "tjänsteskrivelse",
    "organ": "Kommunstyrelsen",
    "diarienummer": "KS/1/2026",
    "datum": "2026-01-15",
    "avdelning": "Kansliet",
    "handläggare": "Sandra Hedman",
    "rubrik": "Ny taxa för bygglov",
    "sammanfattning": "Taxan föreslås höjas.",
    "ärendebeskrivning": "Taxan har inte ändrats sedan 2019.",
    "avsnitt": [
        {"rubrik": "ekonomiska   Konsekvenser", "text": "Intäkterna ökar."},
        {"rubrik": "Barnkonsekvensanalys", "text": "Barn berörs inte."},
        {"rubrik": INJECTIONS, "text": INJECTIONS},
    ],
    "förslag": [
        {"rubrik": FULLMAKTIGE, "punkter": ["Taxan antas.", "Den gäller från 1 juli."]},
        {"rubrik": EGEN_DEL, "punkter": ["Förvaltningen informerar om taxan."]},
    ],
    "beslutsunderlag": ["Tjänsteskrivelse"],
}
MEETING: dict[str, Any] = {
    "typ": "sammanträde",
    "organ": "Kommunstyrelsen",
    "datum": "2026-02-03",
    "tid": "09.00–12.00",
    "plats": "Kommunhuset",
    "ordförande": "Anna Berglund",
    "sekreterare": "Sandra Hedman",
    "ledamöter": [{"namn": "Anna Berglund"}, {"namn": "Per Olsson"}],
    "justerare": ["Per Olsson"],
    "justering": {"datum": "2026-02-05", "plats": "Kommunhuset"},
    "förvaringsplats": "Kommunhuset",
    "anslag": "2026-02-06",
    "första_paragraf": 1,
    "paragrafer": [{"nummer": 1, "ärende": "KS/1/2026"}],
}


def dump(data: object) -> str:
    return yaml.safe_dump(data, allow_unicode=True, sort_keys=False)


def project(root: Path, case: dict[str, Any], profile: dict[str, Any] | None = None) -> Path:
    (root / "beslutsgen.yaml").write_text(dump(profile or MUNICIPAL_PROFILE), "utf-8")
    (root / "decisions").mkdir()
    (root / "decisions" / "ks-1-2026.yaml").write_text(dump(case), "utf-8")
    return root


def run(root: Path, monkeypatch: pytest.MonkeyPatch, *args: str) -> Result:
    monkeypatch.chdir(root)
    return CliRunner().invoke(main, list(args))


def rendered(root: Path, monkeypatch: pytest.MonkeyPatch) -> tuple[bytes, bytes]:
    result = run(root, monkeypatch, "render", "-o", "out")
    assert (result.exit_code, result.stderr) == (0, ""), result.output
    stem = root / "out" / "KS-1-2026_tjanssteskrivelse"
    return stem.with_suffix(".docx").read_bytes(), stem.with_suffix(".pdf").read_bytes()


def docx_headings(data: bytes) -> list[str]:
    document = docx.Document(io.BytesIO(data))
    return [p.text for p in document.paragraphs if p.style.name.startswith("Heading")]


def pdf_outline(data: bytes) -> list[str]:
    found: list[str] = []

    def walk(items: list[Any]) -> None:
        for item in items:
            if isinstance(item, list):
                walk(item)
            else:
                found.append(item.title)

    walk(pypdf.PdfReader(io.BytesIO(data)).outline)
    return found


EXPECTED_HEADINGS = [
    "Ny taxa för bygglov",
    FULLMAKTIGE,
    EGEN_DEL,
    "Sammanfattning",
    "Ärendebeskrivning",
    "ekonomiska Konsekvenser",
    "Barnkonsekvensanalys",
    " ".join(INJECTIONS.split()),
    "Beslutsunderlag",
    "I tjänsten",
]


def test_the_profile_order_in_docx_and_pdf(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Förslag first, then Sammanfattning, Ärendebeskrivning and the avsnitt; the parts
    the profile does not list follow in the default order."""
    docx_bytes, pdf_bytes = rendered(project(tmp_path, MUNICIPAL_CASE), monkeypatch)
    assert docx_headings(docx_bytes) == EXPECTED_HEADINGS
    assert pdf_outline(pdf_bytes) == EXPECTED_HEADINGS


def test_injections_in_avsnitt_stay_literal(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    docx_bytes, pdf_bytes = rendered(project(tmp_path, MUNICIPAL_CASE), monkeypatch)
    document = docx.Document(io.BytesIO(docx_bytes))
    texts = [p.text for p in document.paragraphs]
    assert texts.count(INJECTIONS) == 2  # the heading and the text, character for character
    assert normalise(pdf_body_text(pdf_bytes)).count(normalise(INJECTIONS)) == 2
    assert "49" not in normalise(pdf_body_text(pdf_bytes))


def test_two_blocks_number_from_one_each(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    docx_bytes, pdf_bytes = rendered(project(tmp_path, MUNICIPAL_CASE), monkeypatch)
    document = docx.Document(io.BytesIO(docx_bytes))
    numbering = Numbering(document)
    numbered = [p for p in document.paragraphs if p.style.name == "List Number"]
    items = [(p.text, numbering.of(p)) for p in numbered]
    assert [text for text, _ in items] == [
        "Taxan antas.",
        "Den gäller från 1 juli.",
        "Förvaltningen informerar om taxan.",
    ]
    first, second = items[0][1], items[2][1]
    assert first is not None and second is not None
    assert items[1][1] == first
    assert first[0] != second[0]  # a w:num of its own …
    assert numbering.nums[second[0]][2][second[1]] == 1  # … restarting at 1
    text = normalise(pdf_body_text(pdf_bytes))
    assert (
        f"{FULLMAKTIGE} 1. Taxan antas. 2. Den gäller från 1 juli. "
        f"{EGEN_DEL} 1. Förvaltningen informerar om taxan."
    ) in text


def test_a_single_mapping_still_works(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    case = {**MUNICIPAL_CASE, "förslag": {"rubrik": EGEN_DEL, "punkter": ["Ett.", "Två."]}}
    docx_bytes, pdf_bytes = rendered(project(tmp_path, case), monkeypatch)
    assert docx_headings(docx_bytes)[1:3] == [EGEN_DEL, "Sammanfattning"]
    assert f"{EGEN_DEL} 1. Ett. 2. Två." in normalise(pdf_body_text(pdf_bytes))


def test_a_missing_obligatoriskt_avsnitt(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    case = {**MUNICIPAL_CASE, "avsnitt": MUNICIPAL_CASE["avsnitt"][:1]}
    root = project(tmp_path, case)
    line = dump(case).splitlines().index("avsnitt:") + 1
    result = run(root, monkeypatch, "validate")
    assert result.exit_code == 1
    assert result.stderr.splitlines() == [
        f"decisions/ks-1-2026.yaml:{line}:1: avsnitt: avsnittet 'Barnkonsekvensanalys' saknas "
        "men krävs av beslutsgen.yaml (tjänsteskrivelse.obligatoriska_avsnitt); lägg till "
        "- {rubrik: Barnkonsekvensanalys, text: ...} under avsnitt:",
        "1 problem i 1 fil(er); inget skrevs.",
    ]


def test_no_avsnitt_at_all_names_every_required_heading(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    case = {k: v for k, v in MUNICIPAL_CASE.items() if k != "avsnitt"}
    result = run(project(tmp_path, case), monkeypatch, "validate")
    *problems, summary = result.stderr.splitlines()
    assert [line.split(": ", 1)[0] for line in problems] == ["decisions/ks-1-2026.yaml:1:1"] * 2
    assert {line.split("'")[1] for line in problems} == {
        "Ekonomiska konsekvenser",
        "Barnkonsekvensanalys",
    }
    assert summary == "2 problem i 1 fil(er); inget skrevs."


@pytest.mark.parametrize(
    ("ordning", "message"),
    [
        (
            ["förslag", "sammanfatning"],
            "tjänsteskrivelse.ordning[2]: okänd del 'sammanfatning' i tjänsteskrivelsen; "
            "menade du 'sammanfattning'?",
        ),
        (
            ["avsnitt", "förslag", "avsnitt"],
            "tjänsteskrivelse.ordning: 'avsnitt' står mer än en gång; en gång var",
        ),
    ],
)
def test_ordning_is_checked(
    ordning: list[str], message: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    profile = {**MUNICIPAL_PROFILE, "tjänsteskrivelse": {"ordning": ordning}}
    result = run(project(tmp_path, MUNICIPAL_CASE, profile), monkeypatch, "validate")
    assert result.exit_code == 1
    problem, summary = result.stderr.splitlines()
    assert problem.startswith("beslutsgen.yaml:") and problem.endswith(message), problem
    assert summary == "1 problem i 1 fil(er); inget skrevs."


def test_the_default_order_is_the_regions(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    profile = {k: v for k, v in MUNICIPAL_PROFILE.items() if k != "tjänsteskrivelse"}
    docx_bytes, _ = rendered(project(tmp_path, MUNICIPAL_CASE, profile), monkeypatch)
    assert docx_headings(docx_bytes) == [
        "Ny taxa för bygglov",
        "Sammanfattning",
        "Ärendebeskrivning",
        *EXPECTED_HEADINGS[5:8],
        FULLMAKTIGE,
        EGEN_DEL,
        "I tjänsten",
        "Beslutsunderlag",
    ]


def test_only_sammanfattning_is_enough(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    case = yaml.safe_load(MINIMAL_CASE)
    case["sammanfattning"] = case.pop("ärendebeskrivning")
    profile = {"organisation": "Provkommun"}
    root = project(tmp_path, {**case, "diarienummer": "KS/1/2026"}, profile)
    docx_bytes, _ = rendered(root, monkeypatch)
    assert "Ärendebeskrivning" not in docx_headings(docx_bytes)
    assert "Sammanfattning" in docx_headings(docx_bytes)


def meeting_pdf(root: Path, monkeypatch: pytest.MonkeyPatch, item: dict[str, Any]) -> str:
    meeting = {**MEETING, "paragrafer": [{"nummer": 1, "ärende": "KS/1/2026", **item}]}
    (root / "decisions" / "ks-2026-02-03.yaml").write_text(dump(meeting), "utf-8")
    result = run(root, monkeypatch, "meeting", "decisions/ks-2026-02-03.yaml", "-o", "m")
    assert result.exit_code == 0, result.output
    pdf = root / "m" / "kommunstyrelsen-2026-02-03" / "protokollsutdrag-1.pdf"
    return normalise(pdf_body_text(pdf.read_bytes()))


def beslut_section(text: str) -> str:
    return text.split(" Beslut ", 1)[1].split(" Beslutsunderlag ", 1)[0]


def test_enligt_forslag_adopts_every_block(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    text = meeting_pdf(project(tmp_path, MUNICIPAL_CASE), monkeypatch, {})
    assert beslut_section(text) == (
        f"{FULLMAKTIGE} 1. Taxan antas. 2. Den gäller från 1 juli. "
        f"{EGEN_DEL} 1. Förvaltningen informerar om taxan."
    )


def test_enligt_forslag_one_block(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    text = meeting_pdf(project(tmp_path, MUNICIPAL_CASE), monkeypatch, {"enligt_förslag": [2]})
    assert beslut_section(text) == f"{EGEN_DEL} 1. Förvaltningen informerar om taxan."
    # Förslag till beslut still shows both blocks; the protocol shows the Sammanfattning.
    assert f"Förslag till beslut {FULLMAKTIGE} 1. Taxan antas." in text
    assert "Sammanfattning Taxan föreslås höjas." in text
    assert "Taxan har inte ändrats sedan 2019." not in text


def test_protocol_shows_arendebeskrivning_without_sammanfattning(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    case = {k: v for k, v in MUNICIPAL_CASE.items() if k != "sammanfattning"}
    text = meeting_pdf(project(tmp_path, case), monkeypatch, {})
    assert "Sammanfattning Taxan har inte ändrats sedan 2019." in text


@pytest.mark.parametrize(
    ("item", "below", "message"),
    [
        (
            {"enligt_förslag": [3]},
            1,
            "paragrafer[1].enligt_förslag[1]: block 3 finns inte; förslaget har 2 block "
            "(skriv nummer 1–2)",
        ),
        (
            {"enligt_förslag": [1, 1]},
            2,
            "paragrafer[1].enligt_förslag[2]: block 1 står redan i listan; en gång räcker",
        ),
        (
            {"enligt_förslag": [1], "beslut": "Ärendet återremitteras."},
            0,
            "paragrafer[1].enligt_förslag: paragrafen har både beslut: och enligt_förslag:; "
            "skriv det ena (enligt_förslag: när beslutet är förslagets block ordagrant)",
        ),
        (
            {"beslut": "enligt förslag: [1]"},
            0,
            "paragrafer[1].beslut: skriv blocken som antas med en egen nyckel på paragrafen: "
            "enligt_förslag: [1] (och utelämna beslut:)",
        ),
    ],
)
def test_adopted_blocks_are_checked(
    item: dict[str, Any],
    below: int,
    message: str,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """The problem is reported at the key (`below` lines under it for the n-th number)."""
    root = project(tmp_path, MUNICIPAL_CASE)
    meeting = {**MEETING, "paragrafer": [{"nummer": 1, "ärende": "KS/1/2026", **item}]}
    text = dump(meeting)
    (root / "decisions" / "ks-2026-02-03.yaml").write_text(text, "utf-8")
    result = run(root, monkeypatch, "validate", "decisions/ks-2026-02-03.yaml")
    assert result.exit_code == 1
    problem, summary = result.stderr.splitlines()
    where, found = problem.split(": ", 1)
    assert found == message
    key = message.split(":")[0].split(".")[-1].split("[")[0]
    rows = text.splitlines()
    line = next(i for i, row in enumerate(rows, 1) if row.lstrip(" -").startswith(key + ":"))
    assert where.startswith(f"decisions/ks-2026-02-03.yaml:{line + below}:")
    assert summary == "1 problem i 1 fil(er); inget skrevs."
