"""§ numbering across meetings: per organ and calendar year, each meeting continues
where the organ's previous meeting that year ended.

The first meeting of an organ's year starts at § 1, or at its `första_paragraf` when
the earlier meetings of that year are not in decisions/ (seed 003 is § 196). A gap or
an overlap between two meetings is reported at the later meeting and names the earlier
one's file.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from beslutsgen.model.sammantrade import Sammantrade


@dataclass(frozen=True)
class NumberingProblem:
    """A meeting whose first § does not follow on from what came before."""

    path: Path
    message: str


def numbering_problems(meetings: list[tuple[Path, Sammantrade]]) -> Iterator[NumberingProblem]:
    """Check every organ's year in date order; problems point at the later meeting."""
    years: dict[tuple[str, int], list[tuple[Path, Sammantrade]]] = {}
    for path, meeting in meetings:
        years.setdefault((meeting.organ, meeting.datum.year), []).append((path, meeting))
    for (organ, year), group in sorted(years.items()):
        group.sort(key=lambda item: (item[1].datum, item[1].tid, str(item[0])))  # tid: 09.00…
        previous: tuple[Path, Sammantrade] | None = None
        for path, meeting in group:
            first = meeting.paragrafer[0].nummer
            if previous is None:
                start = meeting.forsta_paragraf or 1
                if first != start:
                    yield NumberingProblem(path, _first_of_year(organ, year, first, meeting))
            else:
                before_path, before = previous
                last = before.paragrafer[-1].nummer
                if first != last + 1:
                    kind = "hoppar över" if first > last + 1 else "upprepar"
                    yield NumberingProblem(
                        path,
                        f"§ {first} {kind} numreringen: {organ}s föregående sammanträde "
                        f"{before.datum.isoformat()} ({before_path}) slutade på § {last}, "
                        f"så detta ska börja på § {last + 1}",
                    )
            previous = (path, meeting)


def _first_of_year(organ: str, year: int, first: int, meeting: Sammantrade) -> str:
    if meeting.forsta_paragraf is not None:
        return (
            f"första paragrafen är § {first}, men första_paragraf säger § {meeting.forsta_paragraf}"
        )
    return (
        f"§ {first} men inget tidigare sammanträde med {organ} {year} finns i decisions/; "
        f"numreringen börjar på § 1, eller ange första_paragraf: {first}"
    )
