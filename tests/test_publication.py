"""Masking personnummer for the publication rendition (publication.py).

Unit tests for the shapes a personnummer or samordningsnummer takes in running text and
for what must be left alone (diarienummer, amounts, ISO dates, numbers that are not
dates), properties over generated numbers, and `masked` over every kind of block. The
end-to-end check (masked in the archived publication PDF, not in the signed master) is in
test_archive.py, which has a signed and archived meeting at hand.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date

import pytest
from hypothesis import assume, example, given, settings
from hypothesis import strategies as st

from beslutsgen.build.document import (
    Document,
    Fields,
    Heading,
    ListBlock,
    Meta,
    PageBreak,
    Paragraph,
    Run,
    Signature,
    Signatures,
    Table,
)
from beslutsgen.build.publication import MASK, mask_personnummer, masked

# --- unit tests -------------------------------------------------------------------------

MASKED = [
    ("640823-3234", "640823-XXXX"),
    ("6408233234", "640823XXXX"),
    ("640823+3234", "640823+XXXX"),  # over 100 years old
    ("640823 3234", "640823 XXXX"),
    ("19640823-3234", "19640823-XXXX"),
    ("196408233234", "19640823XXXX"),
    ("640883-3231", "640883-XXXX"),  # samordningsnummer: day 23 + 60
    ("19640883-3231", "19640883-XXXX"),
    ("20121231-0012", "20121231-XXXX"),
    ("840229-1234", "840229-XXXX"),  # 1984 was a leap year
    ("20000229-1234", "20000229-XXXX"),
    ("Klaganden (640823-3234) har fått svar.", "Klaganden (640823-XXXX) har fått svar."),
    ("pnr:640823-3234, ", "pnr:640823-XXXX, "),
    (
        "Anna, 640823-3234, och Bo, 19701231-1238.",
        "Anna, 640823-XXXX, och Bo, 19701231-XXXX.",
    ),
    ("640823-3234\n640883-3231", "640823-XXXX\n640883-XXXX"),
]

LEFT_ALONE = [
    "RS/1204/2025",
    "RS 552-2025",
    "HSN 2025/14-3",
    "2 192 000",
    "2 192 000 kr och 14 500 000 kr",
    "2025-11-25",
    "Beslutet 2025-11-25 gäller från 2026-01-01.",
    "641323-3234",  # month 13
    "640023-3234",  # month 00
    "640832-3234",  # day 32
    "640800-3234",  # day 00
    "640860-3234",  # day 60: samordningsnummer day 0
    "640892-3234",  # day 92: samordningsnummer day 32
    "850229-1234",  # 1985 was not a leap year
    "19000229-1234",  # nor was 1900
    "12345678901",  # 11 digits
    "1234567890123",  # 13 digits
    "1640823-3234",  # 7 date digits
    "640823-32345",  # 5 final digits
    "640823-323",  # 3 final digits
    "RS-640823-3234",  # part of a longer designation
    "640823-3234-1",
    "tel. 063-14 75 00",
]


@pytest.mark.parametrize(("text", "expected"), MASKED)
def test_masks_personnummer_and_samordningsnummer(text: str, expected: str) -> None:
    assert mask_personnummer(text) == expected


@pytest.mark.parametrize("text", LEFT_ALONE)
def test_leaves_what_is_not_a_personnummer_alone(text: str) -> None:
    assert mask_personnummer(text) == text


@pytest.mark.parametrize("text", ["000229-1234", "0002291234", "000289-1234"])
def test_masks_a_ten_digit_number_born_on_29_february_2000(text: str) -> None:
    assert mask_personnummer(text) == text[:-4] + MASK


def test_masking_is_idempotent() -> None:
    once = mask_personnummer("640823-3234 och 19640883-3231")
    assert mask_personnummer(once) == once == "640823-XXXX och 19640883-XXXX"


# --- properties --------------------------------------------------------------------------

# Running text without digits or "-" (which would make a number part of a longer one).
WORDS = st.text(alphabet="abcdefghijklmnopqrstuvwxyzåäöÅÄÖ .,:;()/§\n", max_size=20)
SEPARATORS = st.text(alphabet=" .,:;()/§\n", min_size=1, max_size=3)


def luhn(digits: str) -> str:
    """The check digit of a personnummer over its last nine digits before it."""
    total = 0
    for i, char in enumerate(digits):
        product = int(char) * (2 if i % 2 == 0 else 1)
        total += product // 10 + product % 10
    return str((10 - total % 10) % 10)


@st.composite
def personnummer(draw: st.DrawFn) -> str:
    """A valid personnummer or samordningsnummer, 10 or 12 digits, with its usual
    separators and a correct check digit."""
    born = draw(st.dates(date(1900, 1, 1), date(2099, 12, 31)))
    day = born.day + (60 if draw(st.booleans()) else 0)
    short = f"{born:%y%m}{day:02d}{draw(st.integers(0, 999)):03d}"
    number = short + luhn(short)
    if draw(st.booleans()):
        separator = draw(st.sampled_from(["", "-"]))
        return f"{born.year // 100}{number[:6]}{separator}{number[6:]}"
    # The 10-digit form on 29 February 2000 is the known failure above.
    assume(not (born.month == 2 and born.day == 29 and born.year % 100 == 0))
    separator = draw(st.sampled_from(["", "-", "+"]))
    return f"{number[:6]}{separator}{number[6:]}"


@settings(max_examples=300, deadline=None)
@given(before=WORDS, number=personnummer(), after=WORDS)
@example(before="Klaganden ", number="19640823-3234", after=" har fått svar.")
@example(before="", number="640883-3231", after="")
def test_any_personnummer_in_text_has_its_last_four_digits_masked(
    before: str, number: str, after: str
) -> None:
    assert mask_personnummer(before + number + after) == before + number[:-4] + MASK + after


@settings(max_examples=200, deadline=None)
@given(
    numbers=st.lists(personnummer(), min_size=1, max_size=4),
    between=st.lists(SEPARATORS, min_size=4, max_size=4),
)
def test_every_personnummer_in_a_text_is_masked(numbers: list[str], between: list[str]) -> None:
    text = "".join(n + s for n, s in zip(numbers, between, strict=False))
    expected = "".join(n[:-4] + MASK + s for n, s in zip(numbers, between, strict=False))
    assert mask_personnummer(text) == expected


def _thousands(amount: int) -> str:
    return f"{amount:,}".replace(",", " ")


@st.composite
def not_a_date(draw: st.DrawFn) -> str:
    """Ten or twelve digits shaped like a personnummer whose date part is no date: month
    00 or over 12, or a day that is neither a day nor a day + 60."""
    if draw(st.booleans()):
        month, day = draw(st.sampled_from([0, *range(13, 100)])), draw(st.integers(1, 28))
    else:
        month = draw(st.integers(1, 12))
        day = draw(st.sampled_from([0, *range(32, 61), *range(92, 100)]))
    year = draw(st.integers(0, 99))
    century = draw(st.sampled_from(["", "19", "20"]))
    separator = draw(st.sampled_from(["", "-", "+", " "]))
    return f"{century}{year:02d}{month:02d}{day:02d}{separator}{draw(st.integers(0, 9999)):04d}"


NOT_PERSONNUMMER = st.one_of(
    st.builds(
        "{}/{}/{}".format,
        st.sampled_from(["RS", "HSN", "RF", "PN"]),
        st.integers(1, 9999),
        st.integers(1990, 2099),
    ),
    st.builds(
        "{} {}-{}".format,
        st.sampled_from(["RS", "HSN"]),
        st.integers(1, 9999),
        st.integers(1990, 2099),
    ),
    st.builds(_thousands, st.integers(0, 10**13)),
    st.builds(lambda amount: f"{_thousands(amount)} kr", st.integers(0, 10**13)),
    st.builds(date.isoformat, st.dates(date(1900, 1, 1), date(2099, 12, 31))),
    not_a_date(),
)


@settings(max_examples=300, deadline=None)
@given(
    tokens=st.lists(NOT_PERSONNUMMER, min_size=1, max_size=5),
    between=st.lists(SEPARATORS, min_size=5, max_size=5),
)
@example(tokens=["RS/1204/2025", "2 192 000", "2025-11-25"], between=[" ", " kr ", "."] * 2)
def test_diarienummer_amounts_dates_and_non_dates_are_left_alone(
    tokens: list[str], between: list[str]
) -> None:
    text = "".join(t + s for t, s in zip(tokens, between, strict=False))
    assert mask_personnummer(text) == text


# --- masked(Document) --------------------------------------------------------------------

P = "640823-3234"
Q = "19640883-3231"


def _as_is(number: str) -> str:
    return number


def _hidden(number: str) -> str:
    return number[:-4] + MASK


def _document(show: Callable[[str], str]) -> Document:
    """A document with P and Q in every kind of block and in its properties, each shown
    by `show`: as is (the master) or masked (what the publication must be)."""

    def runs(number: str) -> tuple[Run, ...]:
        return (Run(f"Sökande {show(number)}", bold=True), Run(" enligt ansökan", italic=True))

    meta = Meta(
        doc_type="Protokoll",
        title=f"Klagomål från {show(P)}",
        organisation="Region Provland",
        organ="Regionstyrelsen",
        date=date(2025, 11, 25),
        dnr="RS/1204/2025",
        author="Sven Svensson",
        subject=f"Ärende om {show(Q)}",
    )
    nested = ListBlock(False, ((Paragraph(runs(Q)),),))
    return Document(
        meta,
        (
            Heading(2, runs(P)),
            Paragraph(runs(Q), "small"),
            ListBlock(True, ((Paragraph(runs(P)),), (nested,)), 3),
            Table(
                (runs(P), (Run("Belopp"),)),
                (
                    ((Run("Rad"),), (Run("2 192 000"),)),
                    (runs(Q), (Run("RS/1204/2025"),)),
                ),
                ("left", "right"),
                (0.6, 0.4),
            ),
            Signatures((Signature(f"Anna {show(P)}", f"Sökande {show(Q)}"),)),
            Fields(((runs(P), runs(Q)),)),
            PageBreak(),
        ),
    )


def test_masked_masks_every_block_and_the_properties_and_keeps_the_rest() -> None:
    original = _document(_as_is)
    assert masked(original) == _document(_hidden)
    assert original == _document(_as_is)  # the master's document is not touched
