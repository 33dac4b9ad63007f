"""Text is data (DESIGN principle 3, issue 3 point 8): whatever a user writes in a text
field comes out literally in both the DOCX and the PDF, and control characters are
refused at validation.

Cases are built in memory (`Arende.model_validate`) and rendered by one DOCX and one
PDF renderer per module. Each example checks every text field at its own place:
the DOCX body paragraph by paragraph, the header and footer parts, the core
properties; the PDF body, the running header and footer of every page, and the
document metadata.

How the PDF is compared: Typst wraps lines at Unicode break opportunities, also
inside a "word" (after "-", "/", "}" …), and text extraction reports a wrap as a
newline. `pdf_has` therefore accepts a line break between any two characters and any
run of whitespace where the text has a space, and nothing else: every character must
be there, in order, exactly.
"""

from __future__ import annotations

import io
import json
import re
from datetime import date
from pathlib import Path
from typing import Any

import docx
import pikepdf
import pypdf
import pytest
from click.testing import CliRunner
from hypothesis import HealthCheck, assume, example, given, settings
from hypothesis import strategies as st

from beslutsgen.build.templates import Templates, enumerate_sv
from beslutsgen.build.tjanssteskrivelse import Built, build_tjanssteskrivelse
from beslutsgen.cli import main
from beslutsgen.errors import Problem
from beslutsgen.load.project import LoadedArende, load_model
from beslutsgen.model import fonts
from beslutsgen.model.arende import Arende
from beslutsgen.model.profile import Profile
from beslutsgen.render.docx import DocxRenderer
from beslutsgen.render.pdf import PdfRenderer
from tests.textutil import (
    docx_furniture_part,
    docx_paragraphs,
    docx_part_paragraphs,
    pdf_body_text,
    pdf_pages,
)

DATE = date(2026, 11, 22)

# The strings issue 3 names, and their relatives: template, Typst, Markdown, XML syntax.
NASTY = [
    "{{ 7*7 }}",
    "{% raw %}",
    "{% endraw %}",
    "{# c #}",
    "{{",
    "}}",
    '#import "x"',
    '#read("/etc/passwd")',
    "#set text(red)",
    "$x$",
    "*",
    "_",
    "**",
    "@ref",
    "<ref>",
    "<w:p>",
    "</w:t>",
    "]]>",
    "&amp;",
    "&#65;",
    "&",
    "]",
    "[",
    "\\",
    "\\\\",
    "\\n",
    "\\*",
    "`",
    "```",
    "~",
    "|",
    "---",
    "1.",
    "1)",
    "- ",
    "+ ",
    "# ",
    "> ",
    ":::",
    "::: rich 0",
    "'single' \"double\"",
    "😀",
    "Ŋŋ Đđ Ŧŧ Žž Čč Šš",
    "åäöÅÄÖ",
    "«»„“”’",
    "½ € §",
    "fi fl ffi",
    "--",
    "...",
    "a/b",
    "x-",
]
SAMI = "ŊŋĐđŦŧŽžČčŠš"
# Printable Latin-1 (no controls, no NBSP or soft hyphen) and the Sámi letters.
SAFE = "".join(c for c in map(chr, range(0x20, 0x100)) if c.isprintable()) + SAMI
CONTROL = [
    *map(chr, range(0x00, 0x09)),
    "\x0b",
    "\x0c",
    *map(chr, range(0x0E, 0x20)),
    *map(chr, range(0x7F, 0xA0)),
]


def fold(text: str) -> str:
    """Runs of whitespace as one space (what plain fields do to their value)."""
    return " ".join(text.split())


def pdf_pattern(text: str) -> str:
    """A regex for `text` as PDF extraction reports it (see the module docstring)."""
    words = fold(text).split(" ")
    return r"\s+".join(r"\n?".join(re.escape(c) for c in word) for word in words)


def pdf_has(expected: str, extracted: str) -> bool:
    """`extracted` is exactly `expected`, give or take line wraps and whitespace runs."""
    return re.fullmatch(r"\s*" + pdf_pattern(expected) + r"\s*", extracted) is not None


# --- building and rendering -------------------------------------------------------------


@pytest.fixture(scope="module")
def renderers() -> tuple[DocxRenderer, PdfRenderer]:
    return DocxRenderer(), PdfRenderer()


TEMPLATES = Templates(None)
DEFAULT_PROFILE = Profile(organisation="Region Provland")


def base_case(**changes: Any) -> dict[str, Any]:
    case: dict[str, Any] = {
        "typ": "tjänsteskrivelse",
        "organ": "Regionstyrelsen",
        "diarienummer": "RS/595/2023",
        "datum": DATE.isoformat(),
        "avdelning": "Sekretariatet Regionstyrelsen",
        "handläggare": "Sandra Hedman",
        "rubrik": "Revidering av plan och budget 2024",
        "ärendebeskrivning": "Regionstyrelsen fastställde en plan.",
        "förslag": {"rubrik": "Regiondirektörens förslag", "punkter": ["Planen fastställs."]},
        "i_tjänsten": [{"namn": "Sara Lewerentz", "titel": "Regiondirektör"}],
        "beslutsunderlag": ["Tjänsteskrivelse"],
        "bilagor": [],
        "utdrag_till": ["Regionstabschef"],
    }
    case.update(changes)
    return case


def build(arende: Arende, profile: Profile = DEFAULT_PROFILE) -> Built:
    return build_tjanssteskrivelse(LoadedArende(Path("x.yaml"), arende), profile, TEMPLATES)


def render(
    renderers: tuple[DocxRenderer, PdfRenderer], arende: Arende, profile: Profile = DEFAULT_PROFILE
) -> tuple[bytes, bytes]:
    built = build(arende, profile)
    docx_renderer, pdf_renderer = renderers
    return (
        docx_renderer.render(built.document, built.style),
        pdf_renderer.render(built.document, built.style),
    )


# --- what must come out -----------------------------------------------------------------


def rich_paragraphs(text: str) -> list[str]:
    """Paragraphs of a rich-text field without list, table or emphasis syntax."""
    return [fold(block) for block in re.split(r"\n[ \t]*\n", text) if block.strip()]


def body_paragraphs(arende: Arende, profile: Profile, rich: list[str]) -> list[str]:
    """The tjänsteskrivelse body as a reader sees it, one entry per paragraph."""
    signatories = arende.i_tjansten or profile.i_tjansten
    style = (arende.stil and arende.stil.uppräkning) or profile.stil.uppräkning or "och"
    out = [arende.rubrik, "Ärendebeskrivning", *rich, arende.forslag.rubrik]
    out += [f"{i}. {p}" for i, p in enumerate(arende.forslag.punkter, 1)]
    out.append("I tjänsten")
    for person in signatories:
        out += [person.namn, person.titel]
    if arende.beslutsunderlag:
        out += ["Beslutsunderlag", *(f"• {b}" for b in arende.beslutsunderlag)]
    if arende.bilagor:
        out += ["Bilagor", *(f"{i}. {b}" for i, b in enumerate(arende.bilagor, 1))]
    if arende.utdrag_till:
        out += ["Utdrag till", enumerate_sv(arende.utdrag_till, style)]
    return out


def check_literal(
    docx_bytes: bytes,
    pdf_bytes: bytes,
    arende: Arende,
    profile: Profile = DEFAULT_PROFILE,
    rich: list[str] | None = None,
) -> None:
    """Every text field of `arende` sits, exactly, where it belongs in both files."""
    organisation = arende.organisation or profile.organisation
    body = body_paragraphs(arende, profile, rich or rich_paragraphs(arende.arendebeskrivning))
    header = (
        f"{organisation} TJÄNSTESKRIVELSE {arende.organ} "
        f"Datum {DATE.isoformat()} Diarienummer {arende.diarienummer}"
    )
    sender = f"{arende.avdelning}, {arende.handlaggare}"

    # DOCX: body paragraph by paragraph, header and footer, core properties.
    assert [fold(p) for p in docx_paragraphs(docx_bytes)] == body
    head = docx_part_paragraphs(docx_bytes, docx_furniture_part(docx_bytes, "header"))
    assert fold(" ".join(head)) == fold(header)
    foot = docx_part_paragraphs(
        docx_bytes, docx_furniture_part(docx_bytes, "footer"), {"PAGE": "1", "NUMPAGES": "1"}
    )
    assert fold(" ".join(foot)) == fold(f"{sender} Sida 1 (1)")
    core = docx.Document(io.BytesIO(docx_bytes)).core_properties
    assert (core.title, core.author, core.subject, core.keywords) == (
        arende.rubrik,
        arende.handlaggare,
        f"{arende.organ}, {arende.diarienummer}",
        arende.diarienummer,
    )

    # PDF: body, the furniture of every page, metadata.
    extracted = pdf_body_text(pdf_bytes)
    assert pdf_has(" ".join(body), extracted), (body, extracted)
    pages = pdf_pages(pdf_bytes)
    for number, page in enumerate(pages, 1):
        assert pdf_has(header, page.header), (header, page.header)
        footer = f"{sender} Sida {number} ({len(pages)})"
        assert pdf_has(footer, page.footer), (footer, page.footer)
    reader = pypdf.PdfReader(io.BytesIO(pdf_bytes))
    info = reader.metadata
    assert info is not None
    assert (info.title, info.author, info.subject) == (
        arende.rubrik,
        arende.handlaggare,
        f"{arende.organ}, {arende.diarienummer}",
    )
    xmp = reader.xmp_metadata
    assert xmp is not None
    assert (xmp.dc_title, xmp.dc_creator, xmp.dc_description) == (
        {"x-default": arende.rubrik},
        [arende.handlaggare],
        {"x-default": f"{arende.organ}, {arende.diarienummer}"},
    )
    # The bookmarks: the rubrik, and the section headings under it.
    sections = ["Ärendebeskrivning", arende.forslag.rubrik, "I tjänsten"]
    sections += ["Beslutsunderlag"] if arende.beslutsunderlag else []
    sections += ["Bilagor"] if arende.bilagor else []
    sections += ["Utdrag till"] if arende.utdrag_till else []
    assert outline_titles(reader.outline) == [arende.rubrik, sections]


def outline_titles(outline: list[Any]) -> list[Any]:
    return [outline_titles(o) if isinstance(o, list) else o.title for o in outline]


# --- strategies ---------------------------------------------------------------------------


def texts(max_piece: int, max_pieces: int) -> st.SearchStrategy[str]:
    """A plain value: nasty fixed strings and arbitrary safe text, with or without spaces."""
    piece = st.one_of(st.sampled_from(NASTY), st.text(SAFE, min_size=1, max_size=max_piece))
    joined = st.tuples(
        st.lists(piece, min_size=1, max_size=max_pieces), st.sampled_from(["", " ", "  "])
    ).map(lambda pair: pair[1].join(pair[0]))
    return joined.filter(lambda s: s.strip() != "")


DNR_FIRST = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyzÅÄÖåäöÆØæøÜü"
DNR_REST = DNR_FIRST + " ./:_-"
dnrs = st.one_of(
    st.sampled_from(["RS/595/2023", "RS 552-2025", "KS:2024/1_a", "Dnr 1.2.3", "Ø-12/ü"]),
    st.tuples(st.sampled_from(DNR_FIRST), st.text(DNR_REST, max_size=30)).map("".join),
).filter(lambda s: ".." not in s and len(fold(s)) <= 40)

short = texts(10, 2)  # page furniture: header and footer columns are narrow
body_text = texts(24, 3)
signatories = st.lists(
    st.fixed_dictionaries({"namn": short, "titel": body_text}), min_size=1, max_size=3
)


@st.composite
def cases(draw: st.DrawFn) -> tuple[dict[str, Any], dict[str, Any]]:
    """A case (YAML keys) and a profile; some values come from the profile instead."""
    case = base_case(
        organ=draw(short),
        diarienummer=draw(dnrs),
        avdelning=draw(short),
        handläggare=draw(short),
        rubrik=draw(body_text),
        förslag={
            "rubrik": draw(body_text),
            "punkter": draw(st.lists(body_text, min_size=1, max_size=3)),
        },
        beslutsunderlag=draw(st.lists(body_text, max_size=3)),
        bilagor=draw(st.lists(body_text, max_size=3)),
        utdrag_till=draw(st.lists(short, max_size=3)),
        stil={"uppräkning": draw(st.sampled_from(["och", "komma"]))},
    )
    profile: dict[str, Any] = {"organisation": draw(short)}
    if draw(st.booleans()):
        case["organisation"] = draw(short)
    if draw(st.booleans()):
        profile["i_tjänsten"] = draw(signatories)
        del case["i_tjänsten"]
    else:
        case["i_tjänsten"] = draw(signatories)
    return case, profile


def all_strings(data: Any) -> list[str]:
    if isinstance(data, str):
        return [data]
    if isinstance(data, dict):
        return [s for v in data.values() for s in all_strings(v)]
    if isinstance(data, list):
        return [s for v in data for s in all_strings(v)]
    return []


# --- plain fields -------------------------------------------------------------------------


@pytest.mark.parametrize("nasty", NASTY)
def test_each_nasty_string_comes_out_literally_in_every_field(
    renderers: tuple[DocxRenderer, PdfRenderer], nasty: str
) -> None:
    """Each fixed string in every plain field at once, alone and inside other text."""
    case = base_case(
        organisation=f"G {nasty}",
        organ=nasty,
        avdelning=f"A {nasty} a",
        handläggare=f"{nasty}H",
        rubrik=f"R {nasty}",
        förslag={"rubrik": f"{nasty} F", "punkter": [nasty, f"P{nasty}p", f"{nasty} {nasty}"]},
        i_tjänsten=[{"namn": nasty, "titel": f"T {nasty}"}, {"namn": f"N{nasty}", "titel": nasty}],
        beslutsunderlag=[nasty, f"B {nasty}"],
        bilagor=[f"{nasty}", f"L{nasty}"],
        utdrag_till=[nasty, f"U {nasty}", f"{nasty}V"],
    )
    arende = Arende.model_validate(case)
    assert arende.rubrik == fold(f"R {nasty}")
    docx_bytes, pdf_bytes = render(renderers, arende)
    check_literal(docx_bytes, pdf_bytes, arende)


def test_long_case_over_several_pages_stays_literal(
    renderers: tuple[DocxRenderer, PdfRenderer],
) -> None:
    """Every nasty string as its own proposal point: three pages, furniture on each."""
    punkter = [f"{i}: {n} och {n}{n}" for i, n in enumerate(NASTY * 2)]
    arende = Arende.model_validate(
        base_case(
            rubrik=" ".join(NASTY[:8]),
            förslag={"rubrik": "Förslag", "punkter": punkter},
            bilagor=NASTY[8:20],
            utdrag_till=NASTY[20:30],
        )
    )
    docx_bytes, pdf_bytes = render(renderers, arende)
    assert len(pdf_pages(pdf_bytes)) >= 3
    check_literal(docx_bytes, pdf_bytes, arende)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(drawn=cases())
def test_any_plain_text_comes_out_literally(
    renderers: tuple[DocxRenderer, PdfRenderer], drawn: tuple[dict[str, Any], dict[str, Any]]
) -> None:
    case, profile_data = drawn
    for text in all_strings(case) + all_strings(profile_data):
        assume(not fonts.missing_glyphs(text))
    arende = Arende.model_validate(case)
    profile = Profile.model_validate(profile_data)
    # Validation only folds whitespace; it never rewrites the text.
    assert arende.rubrik == fold(case["rubrik"])
    assert list(arende.forslag.punkter) == [fold(p) for p in case["förslag"]["punkter"]]
    assert list(arende.utdrag_till) == [fold(u) for u in case["utdrag_till"]]
    docx_bytes, pdf_bytes = render(renderers, arende, profile)
    check_literal(docx_bytes, pdf_bytes, arende, profile)


@settings(max_examples=30, deadline=None)
@given(font=texts(12, 2))
def test_docx_font_name_is_written_as_given(
    renderers: tuple[DocxRenderer, PdfRenderer], font: str
) -> None:
    """stil.typsnitt_docx lands in Word's font attributes verbatim, and in no markup."""
    arende = Arende.model_validate(base_case(stil={"typsnitt_docx": font}))
    built = build(arende)
    data = renderers[0].render(built.document, built.style)
    normal = docx.Document(io.BytesIO(data)).styles["Normal"].font
    assert normal.name == fold(font)


# --- the rich field -----------------------------------------------------------------------

RICH_NASTY = [
    "# Rubrik",
    "## två",
    "<html>",
    "<b>fet</b>",
    "<!-- c -->",
    "[links](x)",
    "![bild](x.png)",
    "<https://example.se>",
    "https://example.se",
    "&amp;",
    "&copy;",
    "&#x41;",
    "a\\b",
    "\\",
    "C:\\temp\\",
    "> citat",
    "`kod`",
    "```",
    "~~struken~~",
    "---",
    "===",
    "***",
    "    indraget",
    "2024-års budget",
    "5 %",
    "a | b",
    "{{ 7*7 }}",
    '#read("/etc/passwd")',
    "$x$",
    "@ref",
    "<w:p>",
]
RICH_SAFE = "".join(c for c in SAFE if c not in "*_|")
_LIST_START = re.compile(r"[ \t]*(-|\d{1,9}\.)([ \t]|$)")
_DELIMITER_ROW = re.compile(r"^[ \t|:-]*-[ \t|:-]*$")


def schema_markup(text: str) -> bool:
    """Does `text` hold syntax the schema interprets (lists, tables, emphasis)?

    Conservative: any line starting like a list item the schema documents ("-" or
    "1."), a pipe together with a table delimiter row, or two delimiter runs of "*" or
    "_" (a single run such as "**" can never pair). Lines starting "+", "*" or "1)" are
    text: the schema promises no other lists.
    """
    lines = text.split("\n")
    if any(_LIST_START.match(line) for line in lines):
        return True
    if "|" in text and any(_DELIMITER_ROW.match(line) for line in lines):
        return True
    return any(len(re.findall(re.escape(mark) + "+", text)) > 1 for mark in "*_")


rich_piece = st.one_of(
    st.sampled_from(NASTY + RICH_NASTY), st.text(RICH_SAFE, min_size=1, max_size=30)
)
rich_texts = st.lists(
    st.tuples(rich_piece, st.sampled_from(["", " ", "\n", "\n\n", "\n   \n"])),
    min_size=1,
    max_size=8,
).map(lambda parts: "".join(p + sep for p, sep in parts))


def check_rich(
    renderers: tuple[DocxRenderer, PdfRenderer], text: str, expected: list[str] | None = None
) -> None:
    arende = Arende.model_validate(base_case(ärendebeskrivning=text))
    docx_bytes, pdf_bytes = render(renderers, arende)
    check_literal(docx_bytes, pdf_bytes, arende, rich=expected or rich_paragraphs(text))


@settings(max_examples=60, deadline=None)
@given(text=rich_texts)
@example(text="# Rubrik\n\n<html> [links](x) &amp; &#65; \\ C:\\temp\\ \\*inte ![b](x) `kod`")
def test_rich_text_without_schema_markup_comes_out_literally(
    renderers: tuple[DocxRenderer, PdfRenderer], text: str
) -> None:
    assume(text.strip() and not schema_markup(text))
    assume(not fonts.missing_glyphs(text))
    check_rich(renderers, text)


@pytest.mark.parametrize(
    "text",
    [
        "5 * 3 * 2 = 30",
        "a_b_c och snake_case_name",
        "**",
        "__",
        "x * y",
        "Ränta: 3 *",
        "2024. Budgeten",  # does not start a line
        "Se § 12. Beslut",
        "1.5 mkr",
        "-5 % och +3 %",
        "-x",
        "+5",
    ],
)
def test_rich_text_lone_marks_stay_literal(
    renderers: tuple[DocxRenderer, PdfRenderer], text: str
) -> None:
    """Marks that cannot form emphasis or a list are text."""
    check_rich(renderers, f"Inledning. {text}")


def fits_in_markup(text: str) -> bool:
    """Can `text` stand inside a list item, a table cell or *emphasis* as plain text?"""
    stripped = text.strip()
    return (
        bool(stripped)
        and not any(c in stripped for c in "|*_")
        and not re.match(r"([-+]|\d{1,9}[.)])(\s|$)", stripped)
    )


def structured(item: str) -> tuple[str, list[str]]:
    """A rich text using every construct of the schema around `item`, and the paragraphs
    a reader sees (list labels included, one paragraph per table cell)."""
    text = (
        f"Före *{item}* och **{item}** efter.\n\n- {item}\n- x {item} y\n\n1. {item} z\n\n"
        f"| h {item} | k |\n|---|---:|\n| {item} | v |"
    )
    expected = [
        f"Före {item} och {item} efter.",
        f"• {item}",
        f"• x {item} y",
        f"1. {item} z",
        f"h {item}",
        "k",
        item,
        "v",
    ]
    return text, [fold(e) for e in expected]


@pytest.mark.parametrize(
    "item",
    [n.strip() for n in NASTY + RICH_NASTY if fits_in_markup(n)],
)
def test_text_inside_lists_tables_and_emphasis_stays_literal(
    renderers: tuple[DocxRenderer, PdfRenderer], item: str
) -> None:
    text, expected = structured(item)
    check_rich(renderers, text, expected)


@settings(max_examples=40, deadline=None)
@given(items=st.lists(texts(16, 2).filter(fits_in_markup), min_size=3, max_size=3))
def test_any_text_inside_lists_and_tables_stays_literal(
    renderers: tuple[DocxRenderer, PdfRenderer], items: list[str]
) -> None:
    a, b, c = (fold(i) for i in items)
    assume(not fonts.missing_glyphs(a + b + c))
    text = f"- {a}\n- {b}\n\n1. {c}\n\n| {a} | {b} |\n|---|---|\n| {c} | {a} |"
    expected = [f"• {a}", f"• {b}", f"1. {c}", a, b, c, a]
    check_rich(renderers, text, expected)


@pytest.mark.parametrize("letter", ["Ŋ", "ŋ", "Ŧ", "ŧ", "Ĳ"])
def test_emphasised_sami_letters_render(
    renderers: tuple[DocxRenderer, PdfRenderer], letter: str
) -> None:
    check_rich(
        renderers, f"Sámediggi: *{letter}uvttadas* beslut", [f"Sámediggi: {letter}uvttadas beslut"]
    )


@pytest.mark.parametrize(
    "text", ["+ plus", "* stjärna", "1) först", "10) tio", "  + indraget", "Före.\n+ efter"]
)
def test_rich_text_undocumented_list_markers_stay_literal(
    renderers: tuple[DocxRenderer, PdfRenderer], text: str
) -> None:
    """The schema documents "-" and "1." lists only; "+", "*" and "1)" are text."""
    check_rich(renderers, text)


@pytest.mark.parametrize(
    ("text", "expected"),
    [("- 1) först", "• 1) först"), ("- + plus", "• + plus"), ("1. * stjärna", "1. * stjärna")],
)
def test_rich_text_undocumented_marker_inside_a_list_item_stays_literal(
    renderers: tuple[DocxRenderer, PdfRenderer], text: str, expected: str
) -> None:
    check_rich(renderers, text, [expected])


@pytest.mark.parametrize("space", ["\u1680", "\u2003", "\u2009", "\u205f", "\u3000"])
def test_rich_text_odd_spaces_render_as_spaces(
    renderers: tuple[DocxRenderer, PdfRenderer], space: str
) -> None:
    """Spaces no bundled font draws (pasted from Word) are read as plain spaces, so the
    PDF/A render cannot fail on them (U+1680 used to crash Typst)."""
    arende = Arende.model_validate(base_case(ärendebeskrivning=f"Före{space}efter"))
    assert arende.arendebeskrivning == "Före efter"
    docx_bytes, pdf_bytes = render(renderers, arende)
    check_literal(docx_bytes, pdf_bytes, arende)


@pytest.mark.parametrize("field", ["rubrik", "ärendebeskrivning"])
def test_odd_space_from_word_loads(tmp_path: Path, field: str) -> None:
    path = tmp_path / "x.yaml"
    path.write_text(control_yaml(field, "Före\u2003efter"), "utf-8")
    arende, problems = load_model(path, Arende)
    assert problems == []
    assert arende is not None
    value = arende.rubrik if field == "rubrik" else arende.arendebeskrivning
    assert value == "Före efter"


@pytest.mark.parametrize(
    ("field", "space"),
    [("rubrik", "\u00a0"), ("förslag", "\u00a0"), ("ärendebeskrivning", "\u00a0")],
)
def test_no_break_spaces_are_kept(field: str, space: str) -> None:
    value = f"Summa 2{space}192{space}000 kr."
    if field == "förslag":
        case = base_case(förslag={"rubrik": "Förslag", "punkter": [value]})
    else:
        case = base_case(**{field: value})
    arende = Arende.model_validate(case)
    kept = {
        "rubrik": arende.rubrik,
        "förslag": arende.forslag.punkter[0],
        "ärendebeskrivning": arende.arendebeskrivning,
    }[field]
    assert kept == value


def test_rich_text_keeps_no_break_space(renderers: tuple[DocxRenderer, PdfRenderer]) -> None:
    """A no-break space (2 192 000 kr) is kept in the DOCX and, as a space, in the PDF."""
    arende = Arende.model_validate(base_case(ärendebeskrivning="Summa 2\u00a0192\u00a0000 kr."))
    docx_bytes, pdf_bytes = render(renderers, arende)
    assert "Summa 2\u00a0192\u00a0000 kr." in docx_paragraphs(docx_bytes)
    check_literal(docx_bytes, pdf_bytes, arende)


# --- control characters -------------------------------------------------------------------

# field → (the line `control_yaml` writes it on, the key path as messages show it)
FIELDS: dict[str, tuple[int, str]] = {
    "organisation": (2, "organisation"),
    "organ": (3, "organ"),
    "diarienummer": (4, "diarienummer"),
    "avdelning": (6, "avdelning"),
    "handläggare": (7, "handläggare"),
    "rubrik": (8, "rubrik"),
    "ärendebeskrivning": (9, "ärendebeskrivning"),
    "förslag.rubrik": (11, "förslag.rubrik"),
    "förslag.punkter": (14, "förslag.punkter[2]"),
    "i_tjänsten.namn": (17, "i_tjänsten[2].namn"),
    "i_tjänsten.titel": (18, "i_tjänsten[2].titel"),
    "beslutsunderlag": (21, "beslutsunderlag[2]"),
    "bilagor": (23, "bilagor[1]"),
    "utdrag_till": (26, "utdrag_till[2]"),
    "stil.typsnitt_docx": (28, "stil.typsnitt_docx"),
}


def value_column(text: str, line: int) -> int:
    """1-based column of the quoted value on `line` (problems point at the value)."""
    return text.split("\n")[line - 1].index('"') + 1


def control_yaml(field: str, value: str) -> str:
    """A valid case with `value` (a JSON string is a YAML double-quoted scalar) in `field`."""

    def v(name: str, default: str) -> str:
        return json.dumps(value if name == field else default)

    return "\n".join(
        [
            "typ: tjänsteskrivelse",
            f"organisation: {v('organisation', 'Region Provland')}",
            f"organ: {v('organ', 'Regionstyrelsen')}",
            f"diarienummer: {v('diarienummer', 'RS/595/2023')}",
            "datum: 2026-11-22",
            f"avdelning: {v('avdelning', 'Sekretariatet')}",
            f"handläggare: {v('handläggare', 'Sandra Hedman')}",
            f"rubrik: {v('rubrik', 'Rubrik')}",
            f"ärendebeskrivning: {v('ärendebeskrivning', 'Text.')}",
            "förslag:",
            f"  rubrik: {v('förslag.rubrik', 'Förslag')}",
            "  punkter:",
            "    - Första.",
            f"    - {v('förslag.punkter', 'Andra.')}",
            "i_tjänsten:",
            "  - {namn: Sara Lewerentz, titel: Regiondirektör}",
            f"  - namn: {v('i_tjänsten.namn', 'Mikael Ferm')}",
            f"    titel: {v('i_tjänsten.titel', 'Regionstabschef')}",
            "beslutsunderlag:",
            "  - Tjänsteskrivelse",
            f"  - {v('beslutsunderlag', 'Plan')}",
            "bilagor:",
            f"  - {v('bilagor', 'Budget')}",
            "utdrag_till:",
            "  - Regionstabschef",
            f"  - {v('utdrag_till', 'HR-direktör')}",
            "stil:",
            f"  typsnitt_docx: {v('stil.typsnitt_docx', 'Arial')}",
            "",
        ]
    )


def test_control_yaml_is_valid_without_control_characters(tmp_path: Path) -> None:
    path = tmp_path / "x.yaml"
    path.write_text(control_yaml("", ""), "utf-8")
    arende, problems = load_model(path, Arende)
    assert problems == []
    assert arende is not None and arende.i_tjansten is not None
    assert arende.i_tjansten[1].titel == "Regionstabschef"


@settings(
    max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    field=st.sampled_from(sorted(FIELDS)),
    char=st.sampled_from(CONTROL),
    before=st.text("abcåäö ŊŧčABC019", min_size=1, max_size=8).filter(str.strip),
    after=st.text("xyzÅÄÖ", max_size=5),
)
def test_control_characters_are_refused_with_a_clear_message(
    tmp_path: Path, field: str, char: str, before: str, after: str
) -> None:
    line, key = FIELDS[field]
    path = tmp_path / "x.yaml"
    text = control_yaml(field, before + char + after)
    path.write_text(text, "utf-8")
    col = value_column(text, line)
    arende, problems = load_model(path, Arende)
    assert arende is None
    message = (
        f"otillåtet styrtecken U+{ord(char):04X} på position {len(before) + 1}; "
        "ta bort det (det syns inte men förstör dokumentet)"
    )
    assert problems == [Problem(str(path), line, col, key, message)]


@pytest.mark.parametrize("field", ["rubrik", "ärendebeskrivning", "förslag.punkter"])
def test_carriage_return_is_refused(tmp_path: Path, field: str) -> None:
    """A lone CR (U+000D) is refused like the other control characters."""
    line, key = FIELDS[field]
    path = tmp_path / "x.yaml"
    text = control_yaml(field, "ab\rc")
    path.write_text(text, "utf-8")
    col = value_column(text, line)
    assert load_model(path, Arende) == (
        None,
        [
            Problem(
                str(path),
                line,
                col,
                key,
                "otillåtet styrtecken U+000D på position 3; "
                "ta bort det (det syns inte men förstör dokumentet)",
            )
        ],
    )


def test_control_character_position_counts_tabs_as_one(tmp_path: Path) -> None:
    """The position counts characters as written: a tab before the character is one."""
    path = tmp_path / "x.yaml"
    path.write_text(control_yaml("ärendebeskrivning", "\tab\x07"), "utf-8")
    _, problems = load_model(path, Arende)
    assert [p.message for p in problems] == [
        "otillåtet styrtecken U+0007 på position 4; "
        "ta bort det (det syns inte men förstör dokumentet)"
    ]


@pytest.mark.parametrize(("char", "code"), [("\x0b", "000B"), ("\x07", "0007"), ("\x80", "0080")])
def test_raw_control_character_in_file_is_located(tmp_path: Path, char: str, code: str) -> None:
    """A control character typed into the file itself (U+000B is what Word's line break
    becomes when pasted) is refused where it stands, in Swedish, on one line."""
    path = tmp_path / "x.yaml"
    text = control_yaml("", "").replace('rubrik: "Rubrik"', f"rubrik: Ru{char}brik")
    path.write_text(text, "utf-8")
    assert load_model(path, Arende) == (
        None,
        [
            Problem(
                str(path),
                8,
                11,
                "",
                f"otillåtet styrtecken U+{code}; ta bort det (det syns inte men förstör "
                "dokumentet)",
            )
        ],
    )


# --- end to end through the CLI -------------------------------------------------------------


def test_template_syntax_in_rubrik_is_the_title_not_49(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    decisions = tmp_path / "decisions"
    decisions.mkdir()
    (decisions / "x.yaml").write_text(
        control_yaml("", "").replace('rubrik: "Rubrik"', 'rubrik: "{{ 7*7 }}"'), "utf-8"
    )
    monkeypatch.chdir(tmp_path)
    result = CliRunner().invoke(main, ["render"])
    assert (result.exit_code, result.stderr) == (0, ""), result.output
    assert result.stdout == (
        "output/RS-595-2023_tjanssteskrivelse.docx\noutput/RS-595-2023_tjanssteskrivelse.pdf\n"
    )
    produced = sorted(p.name for p in (tmp_path / "output").iterdir())
    assert produced == ["RS-595-2023_tjanssteskrivelse.docx", "RS-595-2023_tjanssteskrivelse.pdf"]
    docx_bytes = (tmp_path / "output" / produced[0]).read_bytes()
    assert docx.Document(io.BytesIO(docx_bytes)).core_properties.title == "{{ 7*7 }}"
    assert docx_paragraphs(docx_bytes)[0] == "{{ 7*7 }}"
    with pikepdf.open(tmp_path / "output" / produced[1]) as pdf:
        assert pdf.open_metadata()["dc:title"] == "{{ 7*7 }}"
        assert str(pdf.docinfo["/Title"]) == "{{ 7*7 }}"
    pdf_text = pdf_body_text((tmp_path / "output" / produced[1]).read_bytes())
    assert fold(pdf_text).startswith("{{ 7*7 }} Ärendebeskrivning ")
    assert "49" not in pdf_text
