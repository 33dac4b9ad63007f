"""Linking the files of a project: the profile, each ärende and each sammanträde with its
§§ linked to their ärenden and delegationsbeslut, the roles, the § numbering. Reading
and validating one file is `files`; finding what a § refers to is `index`."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from beslutsgen.errors import InputError, Problem, relative
from beslutsgen.law import checks as meeting_checks
from beslutsgen.law.dates import Notice, kungorelse_notices, notices
from beslutsgen.load import crosscheck
from beslutsgen.load.bilagor import check_bilagor
from beslutsgen.load.files import (
    file_type,
    find_arende_files,
    key_position,
    load_model,
    missing_signatories,
    read,
    shown_as,
    unknown_organ,
    validate,
    where,
)
from beslutsgen.load.index import ArendeIndex, LoadedArende
from beslutsgen.load.messages import key_path
from beslutsgen.load.numbering import numbering_problems
from beslutsgen.load.salvage import Salvaged, salvage
from beslutsgen.load.sections import missing_sections, missing_text
from beslutsgen.load.yamlsource import Loc, Located
from beslutsgen.model.anmalan import Delegationsbeslut, DelegationsbeslutFil
from beslutsgen.model.arende import Arende, proposal_blocks
from beslutsgen.model.profile import PROFILE_NAME, Profile
from beslutsgen.model.sammantrade import Paragraf, Sammantrade

__all__ = [
    "LoadedArende",
    "LoadedSammantrade",
    "Project",
    "key_position",
    "load_model",
    "load_profile",
    "load_project",
    "project_root",
]


@dataclass(frozen=True)
class LoadedSammantrade:
    """A meeting model, the file it came from, and the case each § treats (in § order)."""

    path: Path
    meeting: Sammantrade
    arenden: tuple[LoadedArende | None, ...]
    """The case each § treats, in § order; None for a § without one (val av justerare,
    anmälan av delegationsbeslut)."""
    delegationer: tuple[tuple[Delegationsbeslut, ...], ...] = ()
    """Per §, in § order, the delegationsbeslut it reports, read from their files."""

    def expedieras_till(self, index: int) -> list[str]:
        """Who gets the utdrag of the `index`-th §: its own list, else its case's."""
        item, arende = self.meeting.paragrafer[index], self.arenden[index]
        if item.expedieras_till is not None:
            return list(item.expedieras_till)
        return list(arende.arende.utdrag_till) if arende is not None else []


@dataclass(frozen=True)
class Project:
    """Everything a render needs: the profile, where it lives, the cases and the meetings."""

    profile: Profile
    root: Path
    arenden: list[LoadedArende]
    meetings: list[LoadedSammantrade] = field(default_factory=list)
    warnings: list[Problem] = field(default_factory=list)
    # The delegationsbeslut files read in this run (those a § anmäler, and those that are
    # tillkännagivna on their own).
    delegationer: list[tuple[Path, DelegationsbeslutFil]] = field(default_factory=list)


def project_root(paths: list[Path], fallback: Path) -> Path:
    """The project the first of `paths` belongs to: the nearest folder at or above it that
    holds beslutsgen.yaml; `fallback` (the working folder) when there is none."""
    for path in paths[:1]:
        start = path.resolve()
        for folder in (start, *start.parents) if start.is_dir() else start.parents:
            if (folder / PROFILE_NAME).is_file():
                return folder
    return fallback


def load_profile(root: Path, cwd: Path | None = None) -> tuple[Profile, list[Problem]]:
    """The profile in `root`, or a neutral default when the project has none."""
    path = root / PROFILE_NAME
    if not path.exists():
        return Profile(organisation="Organisationen"), []
    shown = shown_as(path, cwd or root)
    located, problems = read(path, shown)
    if located is None:
        return Profile(organisation="Organisationen"), problems
    profile, problems = validate(path, shown, located, Profile)
    if profile is None:
        return Profile(organisation="Organisationen"), problems
    return profile, crosscheck.unknown_kallas_roles(profile, located, shown)


@dataclass
class _Read:
    """Every file of one load, sorted by what it is, with the problems found in each."""

    problems: list[Problem] = field(default_factory=list)
    arenden: list[LoadedArende] = field(default_factory=list)
    meetings: list[tuple[Path, Sammantrade]] = field(default_factory=list)
    salvaged: list[tuple[Path, Salvaged]] = field(default_factory=list)
    broken: list[tuple[Path, Located]] = field(default_factory=list)
    delegations: list[tuple[Path, DelegationsbeslutFil]] = field(default_factory=list)
    sources: dict[Path, Located] = field(default_factory=dict)


def load_project(paths: list[Path], root: Path, cwd: Path | None = None) -> Project:
    """Load and validate everything; raise InputError listing every problem in every file.

    Each file is a case or a meeting by its `typ:`; a meeting's §§ are checked against
    the cases loaded here and, for cases not named on the command line, root/decisions/.
    Files are named in problems relative to `cwd` (the folder the user typed the paths
    in), the project root when None.
    """
    cwd = cwd or root
    profile, problems = load_profile(root, cwd)
    limit = profile.granser.yaml_bytes
    files = _read_files(paths, profile, bool(problems), root, cwd)
    problems += files.problems
    problems += crosscheck.duplicate_dnr(files.arenden, files.sources, cwd)
    index = ArendeIndex(files.arenden, files.broken, root / "decisions", profile, root)
    for path, beslut in files.delegations:
        index.add_delegation(path, beslut)
    loaded_meetings = []
    for path, meeting in files.meetings:
        loaded, found = _check_sammantrade(path, meeting, files.sources[path], index, cwd)
        problems += found
        if not found:  # a meeting with mistakes of its own is numbered once they are fixed
            loaded_meetings.append(loaded)
    for path, rescued in files.salvaged:  # all problems at once: the valid parts checked too
        located = files.sources[path]
        problems += _check_sammantrade(path, rescued.meeting, located, index, cwd, rescued)[1]
    # Roles of the cases named here and of the cases the meetings treat (found in
    # decisions/ when only a meeting is named: they are sent out with it).
    treated = {a.path.resolve(): a for m in loaded_meetings for a in m.arenden if a is not None}
    treated.update({a.path.resolve(): a for a in files.arenden})
    sources = {**index.sources, **files.sources}
    problems += crosscheck.unknown_roles(
        list(treated.values()), files.meetings, sources, profile, cwd
    )
    problems += _numbering(loaded_meetings, files.sources, root / "decisions", limit, cwd)
    if problems:
        raise InputError(problems)
    warnings = sorted(
        w
        for m in loaded_meetings
        for w in _sammantrade_warnings(m, files.sources[m.path], profile, cwd)
    )
    return Project(profile, root, files.arenden, loaded_meetings, warnings, files.delegations)


def _read_files(
    paths: list[Path], profile: Profile, profile_broken: bool, root: Path, cwd: Path
) -> _Read:
    """Every file `paths` name, read and validated on its own, sorted by its `typ:`."""
    limit = profile.granser.yaml_bytes
    found_files, missing = find_arende_files(paths, cwd)
    done = _Read(problems=missing)
    for path in found_files:
        shown = relative(path, cwd)
        located, found = read(path, shown, limit)
        done.problems += found
        if located is None:
            continue
        done.sources[path] = located
        model, found = file_type(shown, located)
        done.problems += found
        instance, found = validate(path, shown, located, model, ignore={("typ",)})
        done.problems += found
        if model is Arende:
            done.problems += missing_text(shown, located)
        if model is Arende and not profile_broken:  # a broken profile is reported on its own
            done.problems += missing_signatories(shown, located, profile)
            done.problems += missing_sections(shown, located, profile)
        done.problems += unknown_organ(shown, located, instance, profile)
        if isinstance(instance, Arende):
            limit = profile.granser.bilaga_bytes
            bilagor, found = check_bilagor(shown, located, instance, root, limit)
            done.problems += found
            done.arenden.append(LoadedArende(path, instance, bilagor))
        elif isinstance(instance, DelegationsbeslutFil):
            done.delegations.append((path, instance))
        elif isinstance(instance, Sammantrade):
            done.meetings.append((path, instance))
        elif model is Sammantrade and (rescued := salvage(located.data)) is not None:
            done.salvaged.append((path, rescued))
        elif model is Arende:
            done.broken.append((path, located))
    return done


def _sammantrade_warnings(
    loaded: LoadedSammantrade, located: Located, profile: Profile, cwd: Path
) -> list[Problem]:
    """What a valid meeting leaves to the secretariat: time limits it does not keep, an
    anslag date planned for it, a förvaringsplats to write in by hand."""
    shown = relative(loaded.path, cwd)
    found = [
        Problem(shown, *where(located, n.loc), key_path(n.loc), f"varning: {n.message}")
        for n in _date_notices(loaded.meeting, profile)
    ]
    if not (loaded.meeting.forvaringsplats or profile.forvaringsplats):
        found.append(
            Problem(
                shown,
                *located.position(()),
                "förvaringsplats",
                "varning: saknas här och i profilen; anslagsbeviset får en tom rad att "
                f"fylla i för hand (skriv förvaringsplats: i {PROFILE_NAME})",
            )
        )
    return found


def _date_notices(meeting: Sammantrade, profile: Profile) -> list[Notice]:
    """The time limits of the meeting's dates; for fullmäktige, its tillkännagivande too."""
    found = notices(meeting)
    return found + kungorelse_notices(meeting) if profile.is_fullmaktige(meeting.organ) else found


def _check_sammantrade(
    path: Path,
    meeting: Sammantrade,
    located: Located,
    index: ArendeIndex,
    cwd: Path,
    salvaged: Salvaged | None = None,
) -> tuple[LoadedSammantrade, list[Problem]]:
    """The case of every §, and every problem within the meeting or with what it refers to.

    For a meeting salvaged from a file with schema errors, the §§ it holds are put back
    at their places in the file, and the § order is not judged."""
    shown = relative(path, cwd)

    def place(loc: Loc) -> Loc:
        if salvaged is not None and len(loc) > 1 and loc[0] == "paragrafer":
            assert isinstance(loc[1], int)
            return ("paragrafer", salvaged.positions[loc[1]], *loc[2:])
        return loc

    def problem(loc: Loc, message: str, first: Loc | None = None) -> Problem:
        loc = place(loc)
        if first is not None:
            message += f" (första gången på rad {where(located, place(first))[0]})"
        return Problem(shown, *where(located, loc), key_path(loc), message)

    complete = salvaged is None or salvaged.whole
    organ = index.profile.organ.get(meeting.organ)
    members = organ.ledamoter if organ is not None else None
    findings = meeting_checks.findings(meeting, complete, members)
    problems = [problem(f.loc, f.message, f.first) for f in findings]
    arenden = _resolve_arenden(meeting, path, index, problem, problems, cwd)
    counts = [_block_count(item, a) for item, a in zip(meeting.paragrafer, arenden, strict=True)]
    problems += [problem(f.loc, f.message) for f in meeting_checks.adopted_blocks(meeting, counts)]
    delegationer = _resolve_delegations(meeting, index, problem, problems, cwd)
    return LoadedSammantrade(path, meeting, arenden, delegationer), problems


def _block_count(item: Paragraf, loaded: LoadedArende | None) -> int | None:
    """How many proposal blocks a § decides on: its own, else its ärende's (None when it
    names an ärende that was not found)."""
    if item.forslag is not None:
        return len(proposal_blocks(item.forslag))
    if loaded is not None:
        return len(loaded.arende.forslagen)
    return None if item.arende is not None else 0


def _resolve_delegations(
    meeting: Sammantrade,
    index: ArendeIndex,
    problem: Callable[..., Problem],
    problems: list[Problem],
    cwd: Path,
) -> tuple[tuple[Delegationsbeslut, ...], ...]:
    """Per §, its delegationsbeslut in full: those named by diarienummer read from their
    files, which must exist and be reported to this meeting's organ."""
    resolved = []
    for i, item in enumerate(meeting.paragrafer):
        found = []
        for j, beslut in enumerate(item.delegationsbeslut):
            loc: Loc = ("paragrafer", i, "delegationsbeslut", j)
            if not beslut.is_reference:
                found.append(beslut)
                continue
            entry = index.delegation(beslut.diarienummer)
            if entry is None:
                message = (
                    f"delegationsbeslutet {beslut.diarienummer!r} finns inte i "
                    f"{relative(index.folder, cwd)}/ (en fil med typ: delegationsbeslut)"
                )
                problems.append(problem(loc, message))
            elif entry[1].organ != meeting.organ:
                message = (
                    f"delegationsbeslutet {beslut.diarienummer!r} anmäls till {entry[1].organ} "
                    f"(organ i {relative(entry[0], cwd)}), inte till {meeting.organ}"
                )
                problems.append(problem(loc, message))
            elif entry[1].anslag is not None:
                message = (
                    f"delegationsbeslutet {beslut.diarienummer!r} tillkännages för sig (anslag: "
                    f"i {relative(entry[0], cwd)}); ett anmält beslut tillkännages med "
                    "protokollet, så ta bort anslag: där eller anmälan här"
                )
                problems.append(problem(loc, message))
            else:
                found.append(entry[1].as_beslut())
        resolved.append(tuple(found))
    return tuple(resolved)


def _resolve_arenden(
    meeting: Sammantrade,
    path: Path,
    index: ArendeIndex,
    problem: Callable[..., Problem],
    problems: list[Problem],
    cwd: Path,
) -> tuple[LoadedArende | None, ...]:
    """The case each § treats (None for a § without one), in § order; what cannot be
    found, or is treated twice, or belongs to another organ is added to `problems`."""
    arenden: list[LoadedArende | None] = []
    seen: dict[Path, int] = {}
    for i, item in enumerate(meeting.paragrafer):
        loc: Loc = ("paragrafer", i, "ärende")
        ref = item.arende
        found = index.find(ref, path.parent) if ref is not None else None
        arenden.append(found if isinstance(found, LoadedArende) else None)
        if ref is None:
            continue
        if found is None:
            guess = index.guess(ref)
            message = f"ärendet {ref!r} finns inte i {relative(index.folder, cwd)}/"
            problems.append(problem(loc, message + (f"; menade du {guess!r}?" if guess else "")))
        elif isinstance(found, Path):
            shown = relative(found, cwd)
            message = (
                f"ärendet {ref!r} finns i {shown}, men den filen är inte ett felfritt "
                f"ärende (kontrollera den med beslutsgen validate {shown})"
            )
            problems.append(problem(loc, message))
        elif (key := found.path.resolve()) in seen:
            j = seen[key]
            message = f"ärendet {ref!r} behandlas redan i § {meeting.paragrafer[j].nummer}"
            problems.append(problem(loc, message, first=("paragrafer", j, "ärende")))
        else:
            seen[key] = i
            if found.arende.organ != meeting.organ:
                message = (
                    f"ärendet {ref!r} ska beslutas av {found.arende.organ} "
                    f"(organ i {relative(found.path, cwd)}), inte av {meeting.organ}"
                )
                problems.append(problem(loc, message))
    return tuple(arenden)


def _numbering(
    meetings: list[LoadedSammantrade],
    sources: dict[Path, Located],
    folder: Path,
    limit: int,
    cwd: Path,
) -> list[Problem]:
    """§ numbers continue per organ and year across this run's meetings and the earlier
    meetings in the project's decisions/ (read only when a meeting is checked on its own)."""
    if not meetings:
        return []
    # Keyed by the path as shown: the numbering names each meeting by it.
    ours = {Path(relative(m.path, cwd)): m for m in meetings}
    everyone = [(shown, m.meeting) for shown, m in ours.items()]
    known = {p.resolve() for p in sources}
    first_date = min(m.meeting.datum for m in meetings)
    for path in find_arende_files([folder], cwd)[0] if folder.is_dir() else []:
        if path.resolve() in known:
            continue
        located, _ = read(path, str(path), limit)
        if located is None or located.data.get("typ") != "sammanträde":
            continue
        other, _ = validate(path, str(path), located, Sammantrade)
        # Only earlier meetings give context: a same-day copy is not a predecessor.
        if other is not None and other.datum < first_date:
            everyone.append((Path(relative(path, cwd)), other))
    problems = []
    for found in numbering_problems(everyone):
        meeting = ours.get(found.path)
        if meeting is not None:
            loc: Loc = ("paragrafer", 0, "nummer")
            line, col = sources[meeting.path].value_position(loc)
            problems.append(
                Problem(relative(meeting.path, cwd), line, col, key_path(loc), found.message)
            )
    return problems
