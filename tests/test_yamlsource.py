"""`yamlsource.parse`: YAML → plain data that remembers where everything was written.

Positions are 1-based (line, col), as editors show them. Scalars stay strings (the
models decide what a date or a number is); anything that is not plain data is refused
with a message and the place to look.
"""

from __future__ import annotations

import pytest

from beslutsgen.load.yamlsource import Located, YamlProblem, parse

CASE = """\
typ: tjänsteskrivelse
förslag:
  rubrik: Förslag
  punkter:
    - Första
    - Andra
i_tjänsten:
  - namn: A
    titel: B
  - {namn: C, titel: D}
utdrag_till: [x, y]
"""


def problem(text: str) -> tuple[int, int, str, str]:
    with pytest.raises(YamlProblem) as info:
        parse(text)
    exc = info.value
    assert str(exc) == exc.message
    return exc.line, exc.col, exc.key, exc.message


# --- positions ----------------------------------------------------------------------------


def test_data() -> None:
    assert parse(CASE).data == {
        "typ": "tjänsteskrivelse",
        "förslag": {"rubrik": "Förslag", "punkter": ["Första", "Andra"]},
        "i_tjänsten": [{"namn": "A", "titel": "B"}, {"namn": "C", "titel": "D"}],
        "utdrag_till": ["x", "y"],
    }


def test_key_and_item_positions() -> None:
    assert parse(CASE).positions == {
        (): (1, 1),
        ("typ",): (1, 1),
        ("förslag",): (2, 1),
        ("förslag", "rubrik"): (3, 3),
        ("förslag", "punkter"): (4, 3),
        ("förslag", "punkter", 0): (5, 7),
        ("förslag", "punkter", 1): (6, 7),
        ("i_tjänsten",): (7, 1),
        ("i_tjänsten", 0): (8, 5),
        ("i_tjänsten", 0, "namn"): (8, 5),
        ("i_tjänsten", 0, "titel"): (9, 5),
        ("i_tjänsten", 1): (10, 5),
        ("i_tjänsten", 1, "namn"): (10, 6),
        ("i_tjänsten", 1, "titel"): (10, 15),
        ("utdrag_till",): (11, 1),
        ("utdrag_till", 0): (11, 15),
        ("utdrag_till", 1): (11, 18),
    }


def test_value_positions() -> None:
    located = parse(CASE)
    assert located.value_position(("typ",)) == (1, 6)
    assert located.value_position(("förslag", "rubrik")) == (3, 11)
    assert located.value_position(("förslag", "punkter")) == (5, 5)  # the first "-"
    assert located.value_position(("förslag", "punkter", 1)) == (6, 7)
    assert located.value_position(("i_tjänsten", 0, "titel")) == (9, 12)
    assert located.value_position(("i_tjänsten", 1, "titel")) == (10, 22)
    assert located.value_position(("utdrag_till",)) == (11, 14)


def test_position_falls_back_to_the_nearest_enclosing_key() -> None:
    located = parse(CASE)
    assert located.position(("förslag", "punkter", 7)) == (4, 3)
    assert located.position(("förslag", "saknas", "djupt")) == (2, 1)
    assert located.position(("saknas",)) == (1, 1)
    assert located.value_position(("förslag", "saknas")) == (2, 1)


def test_positions_count_characters_not_bytes() -> None:
    """Columns after å, ä, ö and emoji are character columns, as editors show them."""
    located = parse("åäö: 😀\nrad:\n  - ÅÄÖ: ö\n")
    assert located.value_position(("åäö",)) == (1, 6)
    assert located.position(("rad", 0, "ÅÄÖ")) == (3, 5)
    assert located.value_position(("rad", 0, "ÅÄÖ")) == (3, 10)


def test_document_start_marker_shifts_lines() -> None:
    located = parse("---\na: 1\n")
    assert located.data == {"a": "1"}
    assert located.positions == {(): (2, 1), ("a",): (2, 1)}


def test_located_default_position() -> None:
    assert Located(data={}).position(("x",)) == (1, 1)


# --- scalars stay strings -----------------------------------------------------------------


SCALARS = """\
datum: 2024-02-30
tid: 2024-01-15T10:00:00
heltal: 42
hex: 0x1F
oktal: 0o17
understreck: 1_000
flyttal: 1.5
exponent: 1.0e+3
oändligt: .inf
sant: true
ja: yes
av: off
tilde: ~
tom:
null_ord: null
null_stor: NULL
null_citerad: "null"
tilde_citerad: '~'
tom_citerad: ""
explicit_null: !!null
explicit_str: !!str 5
nUll: nUll
literal: |
  rad ett
  rad två
vikt: >
  rad ett
  rad två
1: nyckeln är ett tal
true: nyckeln är ett booleskt värde
"""


def test_scalars_stay_strings() -> None:
    assert parse(SCALARS).data == {
        "datum": "2024-02-30",
        "tid": "2024-01-15T10:00:00",
        "heltal": "42",
        "hex": "0x1F",
        "oktal": "0o17",
        "understreck": "1_000",
        "flyttal": "1.5",
        "exponent": "1.0e+3",
        "oändligt": ".inf",
        "sant": "true",
        "ja": "yes",
        "av": "off",
        "tilde": None,
        "tom": None,
        "null_ord": None,
        "null_stor": None,
        "null_citerad": "null",
        "tilde_citerad": "~",
        "tom_citerad": "",
        "explicit_null": None,
        "explicit_str": "5",
        "nUll": "nUll",
        "literal": "rad ett\nrad två\n",
        "vikt": "rad ett rad två\n",
        "1": "nyckeln är ett tal",
        "true": "nyckeln är ett booleskt värde",
    }


def test_empty_list_items_are_none() -> None:
    assert parse("a:\n  - x\n  -\n  - ~\n  - ''\n").data == {"a": ["x", None, None, ""]}


def test_scalar_types_are_exactly_str() -> None:
    data = parse("a: 1\nb: [2, true]\nc: {d: 2024-01-01}\n").data
    assert [type(v) for v in (data["a"], *data["b"], data["c"]["d"])] == [str, str, str, str]


# --- refused constructs -------------------------------------------------------------------


def test_duplicate_key() -> None:
    assert problem("a: 1\nb: 2\na: 3\n") == (
        3,
        1,
        "a",
        "nyckeln förekommer två gånger (första gången på rad 1)",
    )


def test_duplicate_nested_key() -> None:
    assert problem("förslag:\n  rubrik: A\n  punkter: [x]\n  rubrik: B\n") == (
        4,
        3,
        "rubrik",
        "nyckeln förekommer två gånger (första gången på rad 2)",
    )


def test_duplicate_key_in_flow_mapping() -> None:
    assert problem("i_tjänsten:\n  - {namn: A, namn: B}\n") == (
        2,
        15,
        "namn",
        "nyckeln förekommer två gånger (första gången på rad 2)",
    )


def test_duplicate_key_with_other_quoting() -> None:
    assert problem("rubrik: A\n'rubrik': B\n") == (
        2,
        1,
        "rubrik",
        "nyckeln förekommer två gånger (första gången på rad 1)",
    )


ALIAS_MESSAGE = "ankare och alias (&, *) stöds inte; skriv ut värdet"


@pytest.mark.parametrize(
    ("text", "line", "col"),
    [
        ("a: &x 1\nb: *x\n", 1, 4),
        ("utdrag_till: &lista [a, b]\nbeslutsunderlag: *lista\n", 1, 14),
        ("i_tjänsten:\n  - &p {namn: A, titel: B}\n  - *p\n", 2, 5),
    ],
)
def test_alias_is_refused(text: str, line: int, col: int) -> None:
    assert problem(text) == (line, col, "", ALIAS_MESSAGE)


def test_alias_problem_points_at_the_anchor() -> None:
    """The place shown is the anchored value (where `&` is), not the alias (`*`)."""
    assert problem("x: 1\ny: &a [1]\nz: *a\n") == (2, 4, "", ALIAS_MESSAGE)


def test_merge_key_is_refused() -> None:
    assert problem("bas: {a: 1}\nstil:\n  <<: {b: 1}\n") == (
        3,
        3,
        "<<",
        "sammanslagning (<<) stöds inte; skriv ut värdena",
    )


def test_complex_key_is_refused() -> None:
    assert problem("? [a]\n: 1\n") == (1, 3, "", "en nyckel måste vara en enkel text")


def test_mapping_as_key_is_refused() -> None:
    assert problem("{a: 1}: x\n") == (1, 1, "", "en nyckel måste vara en enkel text")


MULTI = "filen innehåller flera YAML-dokument (---); ett per fil"


def test_multiple_documents_are_refused() -> None:
    """The position is the start of the second document's content."""
    assert problem("a: 1\n---\nb: 2\n") == (3, 1, "", MULTI)


def test_three_documents_point_at_the_second() -> None:
    assert problem("---\na: 1\n---\nb: 2\n---\nc: 3\n") == (4, 1, "", MULTI)


@pytest.mark.parametrize(
    ("text", "line", "col"),
    [
        ("- a\n- b\n", 1, 1),
        ("just text\n", 1, 1),
        ("'en sträng'\n", 1, 1),
        ("42\n", 1, 1),
        ("# kommentar\n- a\n", 2, 1),
        ("---\n- a\n", 2, 1),
    ],
)
def test_non_mapping_is_refused(text: str, line: int, col: int) -> None:
    assert problem(text) == (line, col, "", "filen ska vara en mappning av nyckel: värde-par")


@pytest.mark.parametrize("text", ["", "\n\n", "# bara en kommentar\n", "   \n"])
def test_empty_file(text: str) -> None:
    assert problem(text) == (1, 1, "", "filen är tom; den ska innehålla nyckel: värde-par")


COLON = (
    "ogiltig YAML: kolon följt av mellanslag mitt i ett värde; sätt värdet inom "
    'citattecken, t.ex. rubrik: "Inköp: kontorsmaterial" (eller kontrollera indraget)'
)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("a: [1, 2\n", (1, 4, "", "ogiltig YAML: hakparentesen [ stängs aldrig med ]")),
        ("a: {b: 1\n", (1, 4, "", "ogiltig YAML: klammerparentesen { stängs aldrig med }")),
        ("a: b: c\n", (1, 5, "", COLON)),
        ("rubrik: Inköp: kontorsmaterial\n", (1, 14, "", COLON)),
        (
            "a:\n\t- x\n",
            (2, 1, "", "ogiltig YAML: tabb får inte användas för indrag; använd mellanslag"),
        ),
        ('a: 1\nb: "öppen\n', (2, 4, "", "ogiltig YAML: citattecknet stängs aldrig")),
    ],
)
def test_malformed_yaml_is_located(text: str, expected: tuple[int, int, str, str]) -> None:
    assert problem(text) == expected


CONTROL = "otillåtet styrtecken U+{}; ta bort det (det syns inte men förstör dokumentet)"


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("a: 1\nb: Ru\x0bbrik\n", (2, 6, "", CONTROL.format("000B"))),
        ("a: \x07\n", (1, 4, "", CONTROL.format("0007"))),
        ("a: 1\n\nb: [x, y\x7f]\n", (3, 9, "", CONTROL.format("007F"))),
        ("åäö: ÅÄÖ\x1b\n", (1, 9, "", CONTROL.format("001B"))),
    ],
)
def test_raw_control_character_is_located(text: str, expected: tuple[int, int, str, str]) -> None:
    """A control character typed into the file stops PyYAML's reader; the problem still
    says where, counting characters (å is one column)."""
    assert problem(text) == expected
