"""Dates by the law: when an anslag should go up and the last day to appeal.

- The last day for laglighetsprövning is three weeks after the anslag went up (KL 13
  kap. 5 §), i.e. the same weekday 21 days later; if that day is a Saturday, Sunday,
  allmän helgdag, midsommarafton, julafton or nyårsafton, the deadline moves to the
  next day that is none of these (lag 1930:173).
- The protocol is justerat at the latest 14 days after the meeting (KL 5 kap. 69 §)
  and the justering is announced at the latest the second day after it (KL 8 kap. 12 §).

Allmänna helgdagar (lag 1989:253, Easter-based ones included) come from the `holidays`
package; the three aftnar are fixed by their definitions here.
"""

from __future__ import annotations

from datetime import date, timedelta
from functools import cache

import holidays

APPEAL_DAYS = 21
JUSTERING_DAYS = 14
ANSLAG_DAYS = 2


@cache
def _helgdagar(year: int) -> frozenset[date]:
    return frozenset(holidays.country_holidays("SE", years=year, categories=("public",)))


def _afton(day: date) -> bool:
    """Midsommarafton (the Friday 19–25 June), julafton, nyårsafton."""
    if day.month == 12 and day.day in (24, 31):
        return True
    return day.month == 6 and 19 <= day.day <= 25 and day.weekday() == 4


def is_helgdag(day: date) -> bool:
    """True on days a deadline cannot end: weekends, allmänna helgdagar and the aftnar."""
    return day.weekday() >= 5 or day in _helgdagar(day.year) or _afton(day)


def _vardag_from(day: date) -> date:
    """`day` itself, or the first day after it that is not a helgdag."""
    while is_helgdag(day):
        day += timedelta(days=1)
    return day


def last_appeal_day(anslag: date) -> date:
    """The last day to appeal a decision whose justering was announced on `anslag`."""
    return deadline(anslag, APPEAL_DAYS)


def planned_anslag(justering: date) -> date:
    """When no anslag date is given: the first vardag after the justering."""
    return _vardag_from(justering + timedelta(days=1))


def deadline(start: date, days: int) -> date:
    """`days` after `start`, moved past helgdagar to the next vardag (lag 1930:173)."""
    return _vardag_from(start + timedelta(days=days))


def date_warnings(meeting: date, justering: date, anslag: date) -> list[tuple[str, str]]:
    """Deviations from the time limits as (date concerned, message naming the rule); empty
    when all is in time. A limit ending on a helgdag runs to the next vardag (lag 1930:173).
    Dates in the wrong order are errors of the meeting, not warnings here."""
    warnings = []
    last_justering = deadline(meeting, JUSTERING_DAYS)
    if justering > last_justering:
        warnings.append(
            (
                "justering",
                f"protokollet justeras {(justering - meeting).days} dagar efter sammanträdet; "
                f"senast {last_justering.isoformat()}, {JUSTERING_DAYS} dagar efter"
                f"{_moved(meeting, JUSTERING_DAYS, last_justering)} (KL 5 kap. 69 §)",
            )
        )
    last_anslag = deadline(justering, ANSLAG_DAYS)
    if anslag > last_anslag:
        warnings.append(
            (
                "anslag",
                f"justeringen tillkännages {(anslag - justering).days} dagar efter "
                f"justeringen; senast {last_anslag.isoformat()}, andra dagen efter"
                f"{_moved(justering, ANSLAG_DAYS, last_anslag)} (KL 8 kap. 12 §)",
            )
        )
    return warnings


def _moved(start: date, days: int, last: date) -> str:
    """ ", flyttat till vardag" when the limit fell on a helgdag and runs to the next vardag."""
    return "" if last == start + timedelta(days=days) else ", flyttat till närmaste vardag"
