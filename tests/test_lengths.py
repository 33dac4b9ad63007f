"""Any length, no traceback: every field of a case at 1, 255, 256 and 10 000 characters
either renders with its whole text in both formats, or is refused at validation with its
line; a 5 MB file is refused before it is parsed, with its size.
"""

from __future__ import annotations

import re
import time
from pathlib import Path
from typing import Any

import pytest
import yaml
from click.testing import CliRunner

from beslutsgen.cli import main
from beslutsgen.model.text import FURNITURE_LIMIT
from tests.textutil import docx_body_text, docx_part_text, pdf_body_text, pdf_full_text

LENGTHS = (1, 255, 256, 10_000)
PROFILE = "organisation: Region Provland\n"
# Where each field is in a case, and whether it stands in the page furniture.
FIELDS: dict[str, tuple[tuple[str | int, ...], bool]] = {
    "rubrik": (("rubrik",), False),
    "ärendebeskrivning": (("ärendebeskrivning",), False),
    "förslag.rubrik": (("förslag", "rubrik"), False),
    "förslag.punkter[1]": (("förslag", "punkter", 0), False),
    "i_tjänsten[1].namn": (("i_tjänsten", 0, "namn"), False),
    "i_tjänsten[1].titel": (("i_tjänsten", 0, "titel"), False),
    "beslutsunderlag[1]": (("beslutsunderlag", 0), False),
    "bilagor[1]": (("bilagor", 0), False),
    "utdrag_till[1]": (("utdrag_till", 0), False),
    "organisation": (("organisation",), True),
    "organ": (("organ",), True),
    "avdelning": (("avdelning",), True),
    "handläggare": (("handläggare",), True),
}


def case(**values: Any) -> dict[str, Any]:
    return {
        "typ": "tjänsteskrivelse",
        "organ": "Regionstyrelsen",
        "diarienummer": "RS/1/2026",
        "datum": "2026-01-15",
        "avdelning": "Sekretariatet",
        "handläggare": "Sandra Hedman",
        "rubrik": "Inköp",
        "ärendebeskrivning": "Kontorsmaterial behövs.",
        "förslag": {"rubrik": "Regiondirektörens förslag", "punkter": ["Inköpet godkänns."]},
        "i_tjänsten": [{"namn": "Sara Lewerentz", "titel": "Regiondirektör"}],
        "beslutsunderlag": ["Tjänsteskrivelse"],
        "bilagor": ["Offert"],
        "utdrag_till": ["Ekonomichef"],
        **values,
    }


def text_of(length: int) -> str:
    """`length` characters of distinct words ("ord1 ord2 …"), never ending in a space."""
    words = " ".join(f"ord{i}" for i in range(length // 4 + 2))
    return words[:length].rstrip() or "a"


FIVE_MB = "ord " * (5 * 1024 * 1024 // 4) + "slut"


def put(data: dict[str, Any], where: tuple[str | int, ...], value: str) -> dict[str, Any]:
    target: Any = data
    for part in where[:-1]:
        target = target[part]
    target[where[-1]] = value
    return data


def write(folder: Path, name: str, data: dict[str, Any]) -> Path:
    path = folder / "decisions" / name
    path.parent.mkdir(parents=True, exist_ok=True)
    text = yaml.safe_dump(data, allow_unicode=True, width=10**9, sort_keys=False)
    path.write_text(text, encoding="utf-8")
    return path


def squeeze(text: str) -> str:
    return re.sub(r"\s+", "", text)


@pytest.fixture
def project(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    (tmp_path / "beslutsgen.yaml").write_text(PROFILE, encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    return tmp_path


@pytest.mark.parametrize("length", LENGTHS)
def test_every_field_at_this_length_renders_whole(project: Path, length: int) -> None:
    value = text_of(length)
    fits = {
        field: where
        for field, (where, furniture) in FIELDS.items()
        if not furniture or len(value) <= FURNITURE_LIMIT
    }
    stems = {}
    for number, (field, where) in enumerate(fits.items(), start=1):
        data = put(case(diarienummer=f"RS/{number}/2026"), where, value)
        write(project, f"fall-{number}.yaml", data)
        stems[field] = f"RS-{number}-2026_tjanssteskrivelse"
    result = CliRunner().invoke(main, ["render", "-o", "out"])
    assert (result.exit_code, result.stderr) == (0, ""), result.output
    assert result.stdout.splitlines() == sorted(
        f"out/{stem}.{ext}" for stem in stems.values() for ext in ("docx", "pdf")
    )
    for field, stem in stems.items():
        docx = (project / "out" / f"{stem}.docx").read_bytes()
        docx_text = docx_body_text(docx) + docx_part_text(docx, "word/header1.xml")
        docx_text += docx_part_text(docx, "word/footer1.xml")
        pdf = (project / "out" / f"{stem}.pdf").read_bytes()
        # A body text runs across pages: looked for without the page furniture between.
        pdf_text = pdf_full_text(pdf) if FIELDS[field][1] else pdf_body_text(pdf)
        assert squeeze(value) in squeeze(docx_text), field
        assert squeeze(value) in squeeze(pdf_text), field


@pytest.mark.parametrize("length", [256, 10_000])
@pytest.mark.parametrize("field", [f for f, (_, furniture) in FIELDS.items() if furniture])
def test_a_furniture_field_too_long_for_the_page_is_refused(
    project: Path, field: str, length: int
) -> None:
    where, _ = FIELDS[field]
    write(project, "fall.yaml", put(case(), where, text_of(length)))
    result = CliRunner().invoke(main, ["render", "-o", "out"])
    assert result.exit_code == 1
    problem, summary = result.stderr.splitlines()
    assert re.fullmatch(
        rf"decisions/fall\.yaml:\d+:\d+: {re.escape(field)}: högst {FURNITURE_LIMIT} tecken "
        rf"\(står i sidhuvudet eller sidfoten på varje sida\), här {len(text_of(length))}",
        problem,
    ), problem
    assert summary == "1 problem i 1 fil(er); inget skrevs."
    assert not (project / "out").exists()


@pytest.mark.parametrize("length", [41, 256, 10_000])
def test_a_diarienummer_too_long_is_refused_briefly(project: Path, length: int) -> None:
    dnr = ("RS/" + "1" * length)[:length]
    write(project, "fall.yaml", case(diarienummer=dnr))
    result = CliRunner().invoke(main, ["validate"])
    assert result.exit_code == 1
    problem = result.stderr.splitlines()[0]
    shown = repr(dnr) if length <= 60 else f"{dnr[:40]!r}… ({length} tecken)"
    assert problem == (
        f"decisions/fall.yaml:3:15: diarienummer: ogiltigt diarienummer {shown}: använd "
        'bokstäver, siffror, mellanslag och / - . : _ (högst 40 tecken, inte ".."), '
        't.ex. "RS/595/2023" eller "RS 552-2025"'
    )


@pytest.mark.parametrize("field", list(FIELDS))
def test_a_five_megabyte_file_is_refused_before_it_is_parsed(project: Path, field: str) -> None:
    where, _ = FIELDS[field]
    path = write(project, "stor.yaml", put(case(), where, "PLATSHÅLLARE"))
    path.write_text(path.read_text("utf-8").replace("PLATSHÅLLARE", FIVE_MB), encoding="utf-8")
    start = time.monotonic()
    result = CliRunner().invoke(main, ["validate"])
    assert time.monotonic() - start < 2  # not parsed: a parse of 5 MB takes many seconds
    assert result.exit_code == 1
    size = f"{path.stat().st_size / 1024 / 1024:.1f}".replace(".", ",")
    assert result.stderr.splitlines() == [
        f"decisions/stor.yaml:1:1: filen är {size} MB, större än gränsen 2,0 MB; dela upp "
        "den, eller höj gränser.yamlfil_mb i beslutsgen.yaml",
        "1 problem i 1 fil(er); inget skrevs.",
    ]


def test_the_limit_comes_from_the_profile(project: Path) -> None:
    (project / "beslutsgen.yaml").write_text(PROFILE + "gränser: {yamlfil_mb: 0.5}\n")
    write(project, "fall.yaml", case(ärendebeskrivning=text_of(600_000)))
    result = CliRunner().invoke(main, ["validate"])
    assert result.stderr.splitlines()[0] == (
        "decisions/fall.yaml:1:1: filen är 586 kB, större än gränsen 512 kB; dela upp den, "
        "eller höj gränser.yamlfil_mb i beslutsgen.yaml"
    )


# --- the text fields of a meeting ----------------------------------------------------------

MEETING_FIELDS: dict[str, tuple[str | int, ...]] = {
    "plats": ("plats",),
    "justering.plats": ("justering", "plats"),
    "förvaringsplats": ("förvaringsplats",),
    "övriga_närvarande[1].titel": ("övriga_närvarande", 0, "titel"),
    "paragrafer[1].beslut": ("paragrafer", 0, "beslut"),
    "paragrafer[1].beslutsgång": ("paragrafer", 0, "beslutsgång"),
    "paragrafer[1].yrkanden[1].yrkande": ("paragrafer", 0, "yrkanden", 0, "yrkande"),
    "paragrafer[1].reservationer[1].motivering": (
        "paragrafer",
        0,
        "reservationer",
        0,
        "motivering",
    ),
    "paragrafer[2].rubrik": ("paragrafer", 1, "rubrik"),
}


def meeting(**values: Any) -> dict[str, Any]:
    return {
        "typ": "sammanträde",
        "organ": "Regionstyrelsen",
        "datum": "2026-01-27",
        "tid": "09.00–12.00",
        "plats": "Regionens hus",
        "ordförande": "Anna Andersson",
        "sekreterare": "Sven Svensson",
        "ledamöter": [{"namn": "Lars Larsson", "parti": "S"}],
        "övriga_närvarande": [{"namn": "Eva Ek", "titel": "Controller"}],
        "justerare": ["Lars Larsson"],
        "justering": {"datum": "2026-02-02", "plats": "Regionens hus"},
        "anslag": "2026-02-03",
        "förvaringsplats": "Kansliet",
        "paragrafer": [
            {
                "nummer": 1,
                "ärende": "RS/1/2026",
                "beslut": "Inköpet godkänns.",
                "beslutsgång": "Ordföranden ställer proposition.",
                "yrkanden": [{"av": "Lars Larsson", "yrkande": "Bifall."}],
                "reservationer": [{"namn": "Lars Larsson", "motivering": "Fel tid."}],
            },
            {"nummer": 2, "rubrik": "Information", "beslut": "Informationen noteras."},
        ],
        **values,
    }


@pytest.mark.parametrize("length", LENGTHS)
def test_every_meeting_field_at_this_length_renders_whole(project: Path, length: int) -> None:
    """One meeting per field (each its own organ day), rendered; the protocol has the whole
    text of the field, in both formats."""
    value = text_of(length)
    write(project, "fall.yaml", case())
    paths = []
    for day, (field, where) in enumerate(MEETING_FIELDS.items(), start=1):
        data = put(meeting(datum=f"2026-01-{day:02d}"), where, value)
        data["justering"]["datum"], data["anslag"] = "2026-02-02", "2026-02-03"
        for k, item in enumerate(data["paragrafer"]):  # §§ run on across the meetings
            item["nummer"] = 2 * day - 1 + k
        paths.append((field, write(project, f"sammantrade-{day}.yaml", data), day))
    # Every meeting is justerad 2026-02-02, later than KL 5 kap. 69 § allows: that warning,
    # and nothing else, is on stderr. The last day is the 14th, moved off a weekend.
    latest = {1: 15, 2: 16, 3: 19, 4: 19, 5: 19, 6: 20, 7: 21, 8: 22, 9: 23}
    moved = ", flyttat till närmaste vardag"  # the 14th day of meetings 3 and 4 is a weekend
    for field, path, day in paths:
        result = CliRunner().invoke(main, ["meeting", str(path), "-o", "out"])
        assert result.exit_code == 0, (field, result.output)
        assert result.stderr.splitlines() == [
            f"decisions/sammantrade-{day}.yaml:17:10: justering.datum: varning: protokollet "
            f"justeras {33 - day} dagar efter sammanträdet; senast 2026-01-{latest[day]}, "
            f"14 dagar efter{moved if day in (3, 4) else ''} (KL 5 kap. 69 §)"
        ], field
        folder = project / "out" / f"regionstyrelsen-2026-01-{day:02d}"
        names = ["kallelse", "protokoll", f"protokollsutdrag-{2 * day - 1}"]
        names += [f"protokollsutdrag-{2 * day}", "anslagsbevis"]
        assert result.stdout.splitlines() == [
            f"out/{folder.name}/{name}.{ext}" for name in names for ext in ("docx", "pdf")
        ], field
        docx = (folder / "protokoll.docx").read_bytes()
        pdf = (folder / "protokoll.pdf").read_bytes()
        if field == "förvaringsplats":
            docx = (folder / "anslagsbevis.docx").read_bytes()
            pdf = (folder / "anslagsbevis.pdf").read_bytes()
        assert squeeze(value) in squeeze(docx_body_text(docx)), field
        assert squeeze(value) in squeeze(pdf_body_text(pdf)), field
