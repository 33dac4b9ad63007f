"""A meeting's dates by the law, and what the secretariat should be warned about.

The model says what happened; this module derives what follows from it: when each §
is justerat, when the anslag goes up (from the file, or planned), the last day to
appeal and the day the anslag may come down. Warnings are not errors: the documents
are still made, but the secretariat is told which time limit is not kept.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from beslutsgen.law.anslag import (
    ANSLAG_DAYS,
    date_warnings,
    deadline,
    last_appeal_day,
    planned_anslag,
)
from beslutsgen.model.sammantrade import Paragraf, Sammantrade, paragraph_span

Loc = tuple[str | int, ...]


@dataclass(frozen=True)
class Anslag:
    """One tillkännagivande of a justering: the §§ it covers, when they were justerade,
    when the anslag goes up (from the file, or planned), the last day to appeal and the
    day the anslag may come down."""

    paragrafer: tuple[int, ...]
    justering: date
    anslag: date
    planned: bool
    last_appeal: date
    immediate: bool

    @property
    def anslag_down(self) -> date:
        """The anslag stays up through the last day to appeal and comes down the day after."""
        return self.last_appeal + timedelta(days=1)


@dataclass(frozen=True)
class Sammantradesdatum:
    """Every date the anslagsbevis and the utdrag show: the protocol's anslag, and the
    omedelbart justerade §§' own anslag when there are such §§."""

    meeting: date
    protocol: Anslag
    immediate: Anslag | None

    @property
    def anslag(self) -> date:
        return self.protocol.anslag

    @property
    def last_appeal(self) -> date:
        return self.protocol.last_appeal

    @property
    def anslag_down(self) -> date:
        return self.protocol.anslag_down

    @property
    def all(self) -> tuple[Anslag, ...]:
        """Each anslag in the order it goes up: the omedelbart justerade §§ first."""
        return (self.immediate, self.protocol) if self.immediate else (self.protocol,)

    def of(self, item: Paragraf) -> Anslag:
        """The anslag that starts the appeal time of `item`."""
        if self.immediate is not None and item.nummer in self.immediate.paragrafer:
            return self.immediate
        return self.protocol


@dataclass(frozen=True)
class Kungorelse:
    """The tillkännagivande of a meeting ahead of it (fullmäktige: time, place and ärenden
    at least a week before, KL 5 kap. 11–12 §§): up from `up`, down the day after."""

    up: date
    meeting: date
    planned: bool

    @property
    def down(self) -> date:
        return self.meeting + timedelta(days=1)


KUNGORELSE_DAYS = 7


def kungorelse(meeting: Sammantrade) -> Kungorelse:
    """When the meeting is announced: as its file says, else a week before (the latest
    day the law allows)."""
    given = meeting.tillkannages
    up = given or meeting.datum - timedelta(days=KUNGORELSE_DAYS)
    return Kungorelse(up, meeting.datum, given is None)


def kungorelse_notices(meeting: Sammantrade) -> list[Notice]:
    """A fullmäktige meeting announced later than a week before it."""
    latest = meeting.datum - timedelta(days=KUNGORELSE_DAYS)
    given = meeting.tillkannages
    if given is None or given <= latest:
        return []
    return [
        Notice(
            ("tillkännages",),
            f"sammanträdet tillkännages {(meeting.datum - given).days} dagar före; minst en "
            f"vecka före, senast {latest.isoformat()} (KL 5 kap. 11 §)",
        )
    ]


@dataclass(frozen=True)
class Notice:
    """A warning about one key of a meeting file: where it is and what it says."""

    loc: Loc
    message: str


def sammantradesdatum(meeting: Sammantrade) -> Sammantradesdatum:
    """The meeting's dates. A missing anslag is planned on the first vardag after its
    justering: the protocol's after the justering, the omedelbart justerade §§' after the
    meeting, where they were justerade."""
    immediate = tuple(p.nummer for p in meeting.paragrafer if p.omedelbart_justerad)
    rest = tuple(p.nummer for p in meeting.paragrafer if not p.omedelbart_justerad)
    early = meeting.omedelbar_justering.anslag if meeting.omedelbar_justering else None
    if not rest:  # every § justerad at the meeting: one anslag, the protocol's
        only = _anslag(immediate, meeting.datum, early or meeting.anslag, True)
        return Sammantradesdatum(meeting=meeting.datum, protocol=only, immediate=None)
    return Sammantradesdatum(
        meeting=meeting.datum,
        protocol=_anslag(rest, meeting.justering.datum, meeting.anslag, False),
        immediate=_anslag(immediate, meeting.datum, early, True) if immediate else None,
    )


def _anslag(
    numbers: tuple[int, ...], justering: date, given: date | None, immediate: bool
) -> Anslag:
    anslag = given or planned_anslag(justering)
    return Anslag(numbers, justering, anslag, given is None, last_appeal_day(anslag), immediate)


def justerad(meeting: Sammantrade, item: Paragraf) -> date:
    """The day a § is justerat: at the meeting when omedelbart justerad, else at justering."""
    return meeting.datum if item.omedelbart_justerad else meeting.justering.datum


def justerad_for_expediering(meeting: Sammantrade, item: Paragraf) -> bool:
    """Whether a § is justerat and so due for expediering: the protocol is justerat, or
    the § was omedelbart justerad at the meeting."""
    return meeting.justering.justerat or item.omedelbart_justerad


def notices(meeting: Sammantrade) -> list[Notice]:
    """Time limits the meeting does not keep, and anslag dates beslutsgen had to plan."""
    dates = sammantradesdatum(meeting)
    where: dict[str, Loc] = {"justering": ("justering", "datum"), "anslag": ("anslag",)}
    found = [
        Notice(where[key], message)
        for key, message in date_warnings(dates.meeting, dates.protocol.justering, dates.anslag)
    ]
    if dates.protocol.planned:
        found.append(
            Notice(
                ("justering",),
                f"anslag saknas; planerat till {dates.anslag.isoformat()}, första vardagen "
                "efter justeringen (skriv anslag: ÅÅÅÅ-MM-DD när det är bestämt)",
            )
        )
    if dates.immediate is not None:
        found += _immediate_notices(meeting, dates.immediate)
    return found


def _immediate_notices(meeting: Sammantrade, early: Anslag) -> list[Notice]:
    span = paragraph_span(early.paragrafer)
    index = next(i for i, p in enumerate(meeting.paragrafer) if p.omedelbart_justerad)
    if early.planned:
        return [
            Notice(
                ("paragrafer", index, "omedelbart_justerad"),
                f"anslag för de omedelbart justerade paragraferna ({span}) saknas; planerat "
                f"till {early.anslag.isoformat()}, första vardagen efter sammanträdet (skriv "
                "omedelbar_justering: {anslag: ÅÅÅÅ-MM-DD} när det är bestämt)",
            )
        ]
    late = deadline(early.justering, ANSLAG_DAYS)
    if early.anslag <= late:
        return []
    return [
        Notice(
            ("omedelbar_justering", "anslag"),
            f"justeringen av {span} tillkännages {(early.anslag - early.justering).days} dagar "
            f"efter sammanträdet; senast {late.isoformat()}, andra dagen efter (KL 8 kap. 12 §)",
        )
    ]
