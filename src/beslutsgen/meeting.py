"""A meeting's dates by the law, and what the secretariat should be warned about.

The model says what happened; this module derives what follows from it: when each §
is justerat, when the anslag goes up (from the file, or planned), the last day to
appeal and the day the anslag may come down. Warnings are not errors: the documents
are still made, but the secretariat is told which time limit is not kept.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from beslutsgen.anslag import date_warnings, last_appeal_day, planned_anslag
from beslutsgen.meeting_model import Meeting, Paragraf

Loc = tuple[str | int, ...]


@dataclass(frozen=True)
class MeetingDates:
    """Every date the anslagsbevis and the utdrag show."""

    meeting: date
    justering: date
    anslag: date
    anslag_planned: bool
    last_appeal: date

    @property
    def anslag_down(self) -> date:
        """The anslag stays up through the last day to appeal and comes down the day after."""
        return self.last_appeal + timedelta(days=1)


@dataclass(frozen=True)
class Notice:
    """A warning about one key of a meeting file: where it is and what it says."""

    loc: Loc
    message: str


def meeting_dates(meeting: Meeting) -> MeetingDates:
    """The meeting's dates; a missing anslag is planned on the first vardag after justering."""
    justering = meeting.justering.datum
    anslag = meeting.anslag or planned_anslag(justering)
    return MeetingDates(
        meeting=meeting.datum,
        justering=justering,
        anslag=anslag,
        anslag_planned=meeting.anslag is None,
        last_appeal=last_appeal_day(anslag),
    )


def justerad(meeting: Meeting, item: Paragraf) -> date:
    """The day a § is justerat: at the meeting when omedelbart justerad, else at justering."""
    return meeting.datum if item.omedelbart_justerad else meeting.justering.datum


def notices(meeting: Meeting) -> list[Notice]:
    """Time limits the meeting does not keep, and an anslag date beslutsgen had to plan."""
    dates = meeting_dates(meeting)
    where: dict[str, Loc] = {"justering": ("justering", "datum"), "anslag": ("anslag",)}
    found = [
        Notice(where[key], message)
        for key, message in date_warnings(dates.meeting, dates.justering, dates.anslag)
    ]
    if dates.anslag_planned:
        found.append(
            Notice(
                ("justering",),
                f"anslag saknas; planerat till {dates.anslag.isoformat()}, första vardagen "
                "efter justeringen (skriv anslag: ÅÅÅÅ-MM-DD när det är bestämt)",
            )
        )
    return found
