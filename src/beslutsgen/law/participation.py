"""Who took part in each § (KL 5 kap. 67 § p. 5), and whether the organ could decide.

Attendance changes during a meeting: a ledamot arrives or leaves (`närvarande: §§ 196–197`),
has jäv in a § and takes no part in it, and a tjänstgörande ersättare may serve in one
ledamot's seat for some §§ only (`ersätter: {namn: …, paragrafer: [198]}`). Every rule
about a § — who may vote, reserve, justera, how many serve (quorum, KL 6 kap. 35 §) —
asks this module, so the protocol head, the vote table and the checks agree.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator

from beslutsgen.model.sammantrade import (
    Finding,
    Ledamot,
    Loc,
    Paragraf,
    Sammantrade,
    paragraph_span,
)

QUORUM_RULE = "KL 6 kap. 35 §"


def present(meeting: Sammantrade, member: Ledamot, nummer: int) -> bool:
    """Whether `member` is in the room, in a seat, at § `nummer` (jäv not considered)."""
    if member.narvarande is not None and nummer not in member.narvarande:
        return False
    seat = member.ersatter
    return seat is None or seat.paragrafer is None or nummer in seat.paragrafer


def members(meeting: Sammantrade) -> list[Ledamot]:
    """Every ledamot, the ordförande first (as a ledamot of the whole meeting unless the
    list says otherwise)."""
    listed = {m.namn: m for m in meeting.ledamoter}
    chair = listed.get(meeting.ordforande) or Ledamot(namn=meeting.ordforande)
    return [chair, *(m for m in meeting.ledamoter if m.namn != meeting.ordforande)]


def deciding(meeting: Sammantrade, item: Paragraf) -> list[str]:
    """Who decides § `item`: present, in a seat, without jäv; ordförande first."""
    jav = set(item.jav)
    return [
        m.namn
        for m in members(meeting)
        if present(meeting, m, item.nummer) and m.namn not in jav
    ]


def seated(meeting: Sammantrade, item: Paragraf) -> list[str]:
    """Who is present in a seat at § `item`, jäv or not: who answers an upprop."""
    return [m.namn for m in members(meeting) if present(meeting, m, item.nummer)]


def everyone_deciding(meeting: Sammantrade) -> list[str]:
    """Who decides at some § of the meeting: those who may justera the protocol."""
    return list(
        dict.fromkeys(name for item in meeting.paragrafer for name in deciding(meeting, item))
    )


def hela_sammantradet(meeting: Sammantrade) -> list[str]:
    """Who decides at every §: the protocol head's beslutande without a § note."""
    sets = [set(deciding(meeting, item)) for item in meeting.paragrafer]
    common = set.intersection(*sets) if sets else set()
    return [m.namn for m in members(meeting) if m.namn in common]


def attended(meeting: Sammantrade, member: Ledamot) -> list[int]:
    """The §§ at which `member` was present in a seat."""
    return [p.nummer for p in meeting.paragrafer if present(meeting, member, p.nummer)]


def findings(meeting: Sammantrade, members_in_organ: int | None) -> Iterator[Finding]:
    """Attendance that cannot be: a § number that does not exist, an ersättare in the seat
    of a ledamot who serves, two people in one seat, a § without quorum."""
    numbers = [p.nummer for p in meeting.paragrafer]
    for i, member in enumerate(meeting.ledamoter):
        yield from _unknown_numbers(("ledamöter", i, "närvarande"), member.narvarande, numbers)
        if member.ersatter is not None:
            where: Loc = ("ledamöter", i, "ersätter", "paragrafer")
            yield from _unknown_numbers(where, member.ersatter.paragrafer, numbers)
    yield from _seats(meeting)
    if members_in_organ is not None:
        for i, item in enumerate(meeting.paragrafer):
            yield from _quorum(meeting, item, ("paragrafer", i, "nummer"), members_in_organ)


def _unknown_numbers(
    loc: Loc, given: Iterable[int] | None, numbers: list[int]
) -> Iterator[Finding]:
    for number in given or ():
        if number not in numbers:
            yield Finding(
                loc,
                f"§ {number} finns inte i sammanträdet (paragraferna är {paragraph_span(numbers)})",
            )
            return


def _seats(meeting: Sammantrade) -> Iterator[Finding]:
    """Each replaced ledamot is absent (or has jäv) where replaced, and has one ersättare
    at a time; each entry is reported once, at the first § where it goes wrong."""
    by_name = {m.namn: m for m in members(meeting)}
    for i, member in enumerate(meeting.ledamoter):
        seat = member.ersatter
        if seat is None:
            continue
        for item in meeting.paragrafer:
            if not present(meeting, member, item.nummer):
                continue
            message = _seat_problem(meeting, item, i, by_name)
            if message:
                yield Finding(("ledamöter", i, "ersätter"), message)
                break


def _seat_problem(
    meeting: Sammantrade, item: Paragraf, index: int, by_name: dict[str, Ledamot]
) -> str:
    member = meeting.ledamoter[index]
    assert member.ersatter is not None
    name = member.ersatter.namn
    replaced = by_name.get(name)
    if replaced is not None and name not in item.jav and present(meeting, replaced, item.nummer):
        everywhere = member.ersatter.paragrafer is None and replaced.narvarande is None
        when = "" if everywhere else f" vid § {item.nummer}"
        return f"{name!r} tjänstgör själv{when} och kan inte samtidigt ersättas"
    for other in meeting.ledamoter[:index]:
        if (
            other.ersatter is not None
            and other.ersatter.namn == name
            and present(meeting, other, item.nummer)
        ):
            return (
                f"{name!r} ersätts redan av {other.namn!r} vid § {item.nummer}; en plats har "
                "en tjänstgörande ersättare i taget"
            )
    return ""


def _quorum(meeting: Sammantrade, item: Paragraf, loc: Loc, members: int) -> Iterator[Finding]:
    serving = len(deciding(meeting, item))
    if serving * 2 <= members:
        yield Finding(
            loc,
            f"§ {item.nummer}: {serving} av {members} ledamöter tjänstgör; {meeting.organ} är "
            f"beslutför först när fler än hälften är närvarande ({QUORUM_RULE})",
        )
