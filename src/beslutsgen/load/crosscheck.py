"""Checks across the files of a project: every role named is in the address book, and
no two ärenden share a diarienummer (or a file name)."""

from __future__ import annotations

import difflib
from pathlib import Path

from beslutsgen.errors import Problem, relative
from beslutsgen.load.index import LoadedArende
from beslutsgen.load.messages import key_path
from beslutsgen.load.yamlsource import Loc, Located
from beslutsgen.model.profile import PROFILE_NAME, Profile
from beslutsgen.model.sammantrade import Sammantrade
from beslutsgen.output import stem_for

__all__ = ["duplicate_dnr", "unknown_kallas_roles", "unknown_roles"]


def unknown_roles(
    arenden: list[LoadedArende],
    meetings: list[tuple[Path, Sammantrade]],
    sources: dict[Path, Located],
    profile: Profile,
    cwd: Path,
) -> list[Problem]:
    """Every role on an utdrag-till or expedieras-till list must be in the address book
    (checked once the profile has one: a project that does not distribute needs none)."""
    book = profile.adressbok
    if not book:
        return []
    named: list[tuple[Path, Loc, str]] = [
        (arende.path, ("utdrag_till", i), role)
        for arende in arenden
        for i, role in enumerate(arende.arende.utdrag_till)
    ]
    for path, meeting in meetings:
        for i, item in enumerate(meeting.paragrafer):
            for j, role in enumerate(item.expedieras_till or []):
                named.append((path, ("paragrafer", i, "expedieras_till", j), role))
    problems = []
    for path, loc, role in named:
        message = _not_in_book(role, profile)
        if message:
            line, col = sources[path].value_position(loc)
            problems.append(Problem(relative(path, cwd), line, col, key_path(loc), message))
    return problems


def unknown_kallas_roles(profile: Profile, located: Located, shown: str) -> list[Problem]:
    """Every role an organ's `kallas:` names must be in the address book, found when the
    profile is validated rather than first when the kallelse is sent."""
    if not profile.adressbok:
        return []
    problems = []
    for name, organ in profile.organ.items():
        for index, role in enumerate(organ.kallas):
            message = _not_in_book(role, profile)
            if message:
                loc: Loc = ("organ", name, "kallas", index)
                line, col = located.value_position(loc)
                problems.append(Problem(shown, line, col, key_path(loc), message))
    return problems


def _not_in_book(role: str, profile: Profile) -> str | None:
    """Why `role` cannot be sent to (with the nearest known role as a hint), or None."""
    book = profile.adressbok
    if role in book:
        return None
    guess = difflib.get_close_matches(role, list(book), n=1, cutoff=0.75)
    hint = f"; menade du {guess[0]!r}?" if guess else ""
    return f"rollen {role!r} finns inte i adressboken i {PROFILE_NAME}{hint}"


def duplicate_dnr(
    arenden: list[LoadedArende], sources: dict[Path, Located], cwd: Path
) -> list[Problem]:
    """Two cases may not share a dnr, nor dnr that give the same file name (RS/1/2026 and
    RS 1-2026; compared without case, as Windows and macOS disks do)."""
    first: dict[str, LoadedArende] = {}
    problems = []
    for arende in arenden:
        dnr = arende.arende.diarienummer
        name = stem_for(dnr, "").casefold()
        if name not in first:
            first[name] = arende
            continue
        other = first[name]
        line, col = sources[arende.path].value_position(("diarienummer",))
        if other.arende.diarienummer == dnr:
            message = (
                f"{dnr!r} används redan i {relative(other.path, cwd)}; "
                "varje ärende har ett eget diarienummer"
            )
        else:
            message = (
                f"{dnr!r} ger samma filnamn som {other.arende.diarienummer!r} i "
                f"{relative(other.path, cwd)}; skriv diarienumren så att de skiljer sig åt"
            )
        problems.append(Problem(relative(arende.path, cwd), line, col, "diarienummer", message))
    return problems
