"""The checks that relate one part of a meeting to another: a vote against who served at
that §, a justerare against the ledamöter, § numbers in order, dates in order.

Each `Finding` names the YAML key path it concerns; the loader turns it into a file, line
and column. Who served at which § comes from participation.py.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator

from beslutsgen.law import participation
from beslutsgen.model.sammantrade import (
    ENLIGT_FORSLAG,
    Finding,
    Loc,
    Omrostning,
    Paragraf,
    Sammantrade,
    paragraph_span,
)

NOT_SERVING = "är inte tjänstgörande ledamot (ordförande eller under ledamöter)"


def findings(
    meeting: Sammantrade, complete: bool = True, members_in_organ: int | None = None
) -> list[Finding]:
    """Every inconsistency between parts of `meeting` (empty when it holds together).
    When §§ were left out (`complete` False), what depends on the whole list of §§ — their
    order, the §§ people attended, quorum — is not judged."""
    whole: list[Finding] = []
    if complete:
        whole = [*_numbering(meeting), *participation.findings(meeting, members_in_organ)]
    return [*_attendance(meeting, complete), *_dates(meeting), *whole, *_items(meeting)]


def _attendance(meeting: Sammantrade, complete: bool) -> Iterator[Finding]:
    yield from _repeated(
        (("ledamöter", i, "namn"), m.namn) for i, m in enumerate(meeting.ledamoter)
    )
    serving = participation.everyone_deciding(meeting) if complete else _members(meeting)
    for i, name in enumerate(meeting.justerare):
        if name not in serving:
            yield Finding(("justerare", i), f"{name!r} {NOT_SERVING} och kan inte justera")
    yield from _repeated((("justerare", i), name) for i, name in enumerate(meeting.justerare))
    numbers = {p.nummer for p in meeting.paragrafer}
    for i, person in enumerate(meeting.ovriga_narvarande if complete else []):
        for j, number in enumerate(person.paragrafer or []):
            if number not in numbers:
                yield Finding(
                    ("övriga_närvarande", i, "paragrafer", j),
                    f"§ {number} finns inte i sammanträdet "
                    f"(paragraferna är {paragraph_span(numbers)})",
                )


def _members(meeting: Sammantrade) -> list[str]:
    return list(dict.fromkeys([meeting.ordforande, *(m.namn for m in meeting.ledamoter)]))


def _dates(meeting: Sammantrade) -> Iterator[Finding]:
    if meeting.justering.datum < meeting.datum:
        yield Finding(
            ("justering", "datum"),
            f"justeringen ({meeting.justering.datum}) ligger före sammanträdet ({meeting.datum})",
        )
    elif meeting.anslag is not None and meeting.anslag < meeting.justering.datum:
        yield Finding(
            ("anslag",),
            f"anslaget ({meeting.anslag}) ligger före justeringen ({meeting.justering.datum}); "
            "justeringen kan tillkännages först när protokollet är justerat",
        )
    early = meeting.omedelbar_justering
    if early is not None and early.anslag is not None and early.anslag < meeting.datum:
        yield Finding(
            ("omedelbar_justering", "anslag"),
            f"anslaget ({early.anslag}) ligger före sammanträdet ({meeting.datum}); de "
            "omedelbart justerade paragraferna justeras vid sammanträdet",
        )


def _numbering(meeting: Sammantrade) -> Iterator[Finding]:
    first: dict[int, int] = {}
    for i, item in enumerate(meeting.paragrafer):
        loc: Loc = ("paragrafer", i, "nummer")
        if item.nummer in first:
            yield Finding(
                loc,
                f"§ {item.nummer} förekommer två gånger",
                first=("paragrafer", first[item.nummer], "nummer"),
            )
            continue
        first[item.nummer] = i
        before = meeting.paragrafer[i - 1].nummer if i else None
        if before is not None and item.nummer != before + 1:
            yield Finding(
                loc,
                f"§ {item.nummer} följer på § {before}; paragraferna numreras i följd "
                f"(väntat § {before + 1})",
            )


def _items(meeting: Sammantrade) -> Iterator[Finding]:
    members = _members(meeting)
    for i, item in enumerate(meeting.paragrafer):
        here: Loc = ("paragrafer", i)
        deciding = participation.deciding(meeting, item)
        yield from _shape(item, here)
        yield from _jav(item, here, members, meeting)
        for j, reservation in enumerate(item.reservationer):
            why = _why_not(reservation.namn, item, members, deciding, "reservera sig")
            if why:
                yield Finding((*here, "reservationer", j, "namn"), f"{reservation.namn!r} {why}")
        if item.omrostning is not None:
            vote_loc: Loc = (*here, "omröstning")
            found = list(_vote(item, item.omrostning, vote_loc, members, deciding))
            yield from found
            if not found:
                yield from _outcome(item.omrostning, vote_loc, meeting.ordforande)


def _shape(item: Paragraf, here: Loc) -> Iterator[Finding]:
    """A § treats an ärende, or is an item of its own with a rubrik and a beslut."""
    if item.arende is None and item.rubrik is None:
        yield Finding(
            here,
            f"§ {item.nummer} behöver ärende: (diarienumret) eller, för en paragraf utan "
            "ärende, rubrik: och beslut:",
        )
    elif item.arende is not None and item.rubrik is not None:
        yield Finding(
            (*here, "rubrik"),
            "en paragraf med ärende får sin rubrik från ärendet; ta bort rubrik: (eller ärende:)",
        )
    elif (
        item.arende is None
        and item.enligt_forslag
        and item.forslag is None
        and not (item.delegationsbeslut or item.meddelanden)
    ):
        yield Finding(
            here,
            f"§ {item.nummer} har inget ärende och inget förslag att besluta enligt; "
            "skriv beslut: (eller förslag:)",
        )
    explicit = "beslut" in item.model_fields_set and item.beslut.casefold() != ENLIGT_FORSLAG
    if item.enligt_forslag_nr is not None and explicit:
        yield Finding(
            (*here, "enligt_förslag"),
            "paragrafen har både beslut: och enligt_förslag:; skriv det ena "
            "(enligt_förslag: när beslutet är förslagets block ordagrant)",
        )


def adopted_blocks(meeting: Sammantrade, blocks: list[int | None]) -> Iterator[Finding]:
    """The blocks `enligt_förslag: [1, 2]` names must exist in the § 's proposal (`blocks`
    per §: how many it has; None when its ärende is not found, reported elsewhere), each
    once."""
    for i, (item, count) in enumerate(zip(meeting.paragrafer, blocks, strict=True)):
        if item.enligt_forslag_nr is None or count is None:
            continue
        seen: set[int] = set()
        for j, number in enumerate(item.enligt_forslag_nr):
            loc: Loc = ("paragrafer", i, "enligt_förslag", j)
            if number > count:
                yield Finding(loc, f"block {number} finns inte; {_blocks_hint(count)}")
            elif number in seen:
                yield Finding(loc, f"block {number} står redan i listan; en gång räcker")
            seen.add(number)


def _blocks_hint(count: int) -> str:
    if count == 0:
        return "paragrafen har inget förslag (skriv beslut:)"
    if count == 1:
        return "förslaget har ett block (utelämna enligt_förslag:, så antas det)"
    return f"förslaget har {count} block (skriv nummer 1–{count})"


def _jav(item: Paragraf, here: Loc, members: list[str], meeting: Sammantrade) -> Iterator[Finding]:
    by_name = {m.namn: m for m in meeting.ledamoter}
    for j, name in enumerate(item.jav):
        if name not in members:
            yield Finding((*here, "jäv", j), f"{name!r} {NOT_SERVING}")
        elif name in by_name and not participation.present(meeting, by_name[name], item.nummer):
            yield Finding(
                (*here, "jäv", j), f"{name!r} är inte närvarande vid § {item.nummer}"
            )
    yield from _repeated(((*here, "jäv", j), name) for j, name in enumerate(item.jav))


def _why_not(
    name: str, item: Paragraf, members: list[str], deciding: list[str], doing: str
) -> str:
    """Why `name` cannot take part in § `item` (empty when they can)."""
    if name in deciding:
        return ""
    if name not in members:
        return f"{NOT_SERVING} och kan inte {doing}"
    if name in item.jav:
        return f"har jäv i § {item.nummer} och kan inte {doing}"
    return f"tjänstgör inte vid § {item.nummer} och kan inte {doing}"


def _vote(
    item: Paragraf, vote: Omrostning, here: Loc, members: list[str], deciding: list[str]
) -> Iterator[Finding]:
    """Ja + nej + avstår must be exactly those deciding the §, once each."""
    cast: dict[str, tuple[str, Loc]] = {}
    for key, names in (("ja", vote.ja), ("nej", vote.nej), ("avstår", vote.avstar)):
        for j, name in enumerate(names):
            loc = (*here, key, j)
            if name in cast:
                before, first = cast[name]
                yield Finding(loc, f"{name!r} står redan under {before}", first=first)
                continue
            cast[name] = (key, loc)
            if name in item.jav:
                yield Finding(
                    loc, f"{name!r} har jäv i § {item.nummer} och får inte delta i omröstningen"
                )
            elif name not in deciding:
                yield Finding(loc, f"{name!r} {_why_not(name, item, members, deciding, 'rösta')}")
    missing = [name for name in deciding if name not in cast]
    if missing:
        yield Finding(
            here,
            f"{_names(missing)} röstar inte; varje tjänstgörande ledamot utan jäv "
            "ska stå under ja, nej eller avstår",
        )


def _outcome(vote: Omrostning, here: Loc, ordforande: str) -> Iterator[Finding]:
    """A valid vote must have a winner, and the one the file states if it states one."""
    result = vote.result(ordforande)
    if result.winner is None:
        yield Finding(
            here,
            f"lika röstetal ({result.ja} ja, {result.nej} nej) och ordföranden "
            f"{ordforande!r} röstade varken ja eller nej; vid lika röstetal avgör "
            "ordförandens utslagsröst",
        )
    elif vote.utfall is not None and vote.utfall != result.winner:
        yield Finding(
            (*here, "utfall"),
            f"rösterna ger {result.winner} ({result.ja} ja, {result.nej} nej"
            f"{', ordförandens utslagsröst' if result.casting else ''}), inte {vote.utfall}",
        )


def _repeated(named: Iterable[tuple[Loc, str]]) -> Iterator[Finding]:
    first: dict[str, Loc] = {}
    for loc, name in named:
        if name in first:
            yield Finding(loc, f"{name!r} står redan i listan", first=first[name])
        else:
            first[name] = loc


def _names(names: list[str]) -> str:
    quoted = [repr(n) for n in names]
    return quoted[0] if len(quoted) == 1 else f"{', '.join(quoted[:-1])} och {quoted[-1]}"
