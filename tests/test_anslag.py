"""The legal date rules (DOMAIN.md, lag 1930:173): worked examples, a hand-checked table
across 2025–2027, and properties that must hold for any anslag date."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from beslutsgen.law.anslag import (
    date_warnings,
    is_helgdag,
    last_appeal_day,
    planned_anslag,
)

D = date.fromisoformat

# anslag → last day to appeal, each checked by hand against a calendar.
HAND_CHECKED = [
    ("2025-05-30", "2025-06-23", "DOMAIN.md: midsommarafton, then midsommardagen and Sunday"),
    ("2025-12-03", "2025-12-29", "DOMAIN.md: julafton, juldagen, annandag jul, weekend"),
    ("2025-03-28", "2025-04-22", "långfredagen, weekend, annandag påsk"),
    ("2025-04-10", "2025-05-02", "första maj"),
    ("2025-05-08", "2025-05-30", "Kristi himmelsfärdsdag; the klämdag after is a vardag"),
    ("2025-05-16", "2025-06-09", "nationaldagen on a Friday, then the weekend"),
    ("2025-10-11", "2025-11-03", "alla helgons dag on a Saturday, then Sunday"),
    ("2025-12-10", "2026-01-02", "nyårsafton, then nyårsdagen"),
    ("2025-12-16", "2026-01-07", "trettondedag jul"),
    ("2026-03-13", "2026-04-07", "långfredagen 2026, weekend, annandag påsk"),
    ("2026-04-23", "2026-05-15", "Kristi himmelsfärdsdag 2026"),
    ("2026-05-15", "2026-06-05", "the day before nationaldagen is an ordinary vardag"),
    ("2026-05-29", "2026-06-22", "midsommarafton 2026 (19 June)"),
    ("2026-12-03", "2026-12-28", "julafton and juldagen on Thursday–Friday, then weekend"),
    ("2026-12-10", "2027-01-04", "nyårsafton, nyårsdagen on a Friday, weekend"),
    ("2027-03-05", "2027-03-30", "långfredagen 2027, weekend, annandag påsk"),
    ("2027-04-15", "2027-05-07", "Kristi himmelsfärdsdag 2027"),
    ("2027-06-04", "2027-06-28", "midsommarafton 2027 (25 June)"),
    ("2027-12-03", "2027-12-27", "julafton Friday; annandag jul falls on Sunday"),
    ("2027-12-10", "2028-01-03", "nyårsafton Friday, nyårsdagen Saturday"),
    ("2025-11-05", "2025-11-26", "an ordinary Wednesday: no move"),
    ("2025-01-31", "2025-02-21", "an ordinary Friday: no move"),
]


@pytest.mark.parametrize(("anslag", "last", "why"), HAND_CHECKED, ids=[c[0] for c in HAND_CHECKED])
def test_last_appeal_day(anslag: str, last: str, why: str) -> None:
    assert last_appeal_day(D(anslag)) == D(last), why


@pytest.mark.parametrize(
    ("day", "helgdag"),
    [
        ("2025-06-20", True),  # midsommarafton
        ("2025-06-19", False),  # the day before: only a half day for banks
        ("2025-12-24", True),
        ("2025-12-31", True),
        ("2025-04-17", False),  # skärtorsdagen
        ("2025-04-30", False),  # valborgsmässoafton
        ("2025-06-08", True),  # pingstdagen (a Sunday)
        ("2025-06-09", False),  # annandag pingst is no longer a helgdag
        ("2026-06-06", True),
        ("2025-11-26", False),
    ],
)
def test_is_helgdag(day: str, helgdag: bool) -> None:
    assert is_helgdag(D(day)) is helgdag


@pytest.mark.parametrize(
    ("justering", "anslag"),
    [
        ("2025-12-01", "2025-12-02"),
        ("2025-12-23", "2025-12-29"),  # julafton, helgdagar, weekend
        ("2025-06-19", "2025-06-23"),  # midsommarafton, midsommardagen, Sunday
        ("2025-11-28", "2025-12-01"),  # Friday → Monday
    ],
)
def test_planned_anslag_is_the_first_vardag_after_justering(justering: str, anslag: str) -> None:
    assert planned_anslag(D(justering)) == D(anslag)


def test_date_warnings_name_the_rule() -> None:
    assert date_warnings(D("2025-11-25"), D("2025-12-01"), D("2025-12-02")) == []
    late_justering = (
        "justering",
        "protokollet justeras 15 dagar efter sammanträdet; senast 2025-12-09, 14 dagar efter "
        "(KL 5 kap. 69 §)",
    )
    late_anslag = (
        "anslag",
        "justeringen tillkännages 3 dagar efter justeringen; senast 2025-12-03, andra dagen "
        "efter (KL 8 kap. 12 §)",
    )
    assert date_warnings(D("2025-11-25"), D("2025-12-10"), D("2025-12-12")) == [late_justering]
    assert date_warnings(D("2025-11-25"), D("2025-12-01"), D("2025-12-04")) == [late_anslag]
    assert date_warnings(D("2025-11-25"), D("2025-12-10"), D("2025-12-15"))[0] == late_justering


@pytest.mark.parametrize(
    ("meeting", "justering", "anslag"),
    [
        ("2025-11-25", "2025-11-28", "2025-12-01"),  # Friday justering, Monday anslag
        ("2025-12-19", "2025-12-23", "2025-12-29"),  # 25th is a helgdag: runs to the 29th
        ("2025-12-11", "2025-12-29", "2025-12-30"),  # 14 days end on juldagen → the 29th
    ],
)
def test_limits_ending_on_a_helgdag_run_to_the_next_vardag(
    meeting: str, justering: str, anslag: str
) -> None:
    assert date_warnings(D(meeting), D(justering), D(anslag)) == []


@given(st.dates(min_value=date(2020, 1, 1), max_value=date(2040, 12, 31)))
def test_last_day_is_a_vardag_and_never_early(anslag: date) -> None:
    last = last_appeal_day(anslag)
    assert last >= anslag + timedelta(days=21)
    assert not is_helgdag(last)
    assert last.weekday() < 5
    # Every day between the plain deadline and the result is one the deadline moved past.
    day = anslag + timedelta(days=21)
    while day < last:
        assert is_helgdag(day)
        day += timedelta(days=1)


def test_a_limit_moved_off_a_weekend_says_so() -> None:
    """Fourteen days after Saturday 3 January 2026 is a Saturday: the justering may wait
    until Monday the 19th (lag 1930:173), and the warning names that day and why."""
    assert date_warnings(D("2026-01-03"), D("2026-01-20"), D("2026-01-21")) == [
        (
            "justering",
            "protokollet justeras 17 dagar efter sammanträdet; senast 2026-01-19, 14 dagar "
            "efter, flyttat till närmaste vardag (KL 5 kap. 69 §)",
        )
    ]
