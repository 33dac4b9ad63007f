"""Files → validated models, collecting every problem in every file before anyone writes."""

from __future__ import annotations

import difflib
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, TypeVar

from pydantic import BaseModel, ValidationError

from beslutsgen.errors import InputError, Problem, relative
from beslutsgen.inputfiles import DEFAULT_YAML_LIMIT, Unreadable, read_limited
from beslutsgen.law import checks as meeting_checks
from beslutsgen.law.dates import notices
from beslutsgen.load.messages import aliases, guess_key, key_path, problem_from
from beslutsgen.load.numbering import numbering_problems
from beslutsgen.load.salvage import Salvaged, salvage
from beslutsgen.load.yamlsource import Loc, Located, YamlProblem, parse
from beslutsgen.model import fonts
from beslutsgen.model.anmalan import Delegationsbeslut, DelegationsbeslutFil
from beslutsgen.model.arende import Arende
from beslutsgen.model.profile import PROFILE_NAME, Profile
from beslutsgen.model.sammantrade import Meeting
from beslutsgen.output import stem_for

M = TypeVar("M", bound=BaseModel)

# The value of `typ:` decides what a file in decisions/ is.
FILE_TYPES: dict[str, type[BaseModel]] = {
    "tjänsteskrivelse": Arende,
    "sammanträde": Meeting,
    "delegationsbeslut": DelegationsbeslutFil,
}


@dataclass(frozen=True)
class LoadedArende:
    """A case model together with the file it came from (for messages and output names)."""

    path: Path
    arende: Arende


@dataclass(frozen=True)
class LoadedMeeting:
    """A meeting model, the file it came from, and the case each § treats (in § order)."""

    path: Path
    meeting: Meeting
    arenden: tuple[LoadedArende | None, ...]
    """The case each § treats, in § order; None for a § without one (val av justerare,
    anmälan av delegationsbeslut)."""
    delegationer: tuple[tuple[Delegationsbeslut, ...], ...] = ()
    """Per §, in § order, the delegationsbeslut it reports, read from their files."""

    def expedieras_till(self, index: int) -> list[str]:
        """Who gets the utdrag of the `index`-th §: its own list, else its case's."""
        item, case = self.meeting.paragrafer[index], self.arenden[index]
        if item.expedieras_till is not None:
            return list(item.expedieras_till)
        return list(case.arende.utdrag_till) if case is not None else []


@dataclass(frozen=True)
class Project:
    """Everything a render needs: the profile, where it lives, the cases and the meetings."""

    profile: Profile
    root: Path
    arenden: list[LoadedArende]
    meetings: list[LoadedMeeting] = field(default_factory=list)
    warnings: list[Problem] = field(default_factory=list)


def find_arende_files(paths: list[Path]) -> tuple[list[Path], list[Problem]]:
    """Expand directories to their *.yaml files in a stable order; report missing paths."""
    files: list[Path] = []
    problems: list[Problem] = []
    for path in paths:
        if path.is_dir():
            files.extend(sorted(p for p in path.rglob("*.y*ml") if p.name != PROFILE_NAME))
        elif path.exists():  # not a folder: a file, or something `_read` refuses to read
            files.append(path)
        else:
            problems.append(Problem(relative(path), 1, 1, "", "filen eller mappen finns inte"))
    return files, problems


def project_root(paths: list[Path], fallback: Path) -> Path:
    """The project the first of `paths` belongs to: the nearest folder at or above it that
    holds beslutsgen.yaml; `fallback` (the working folder) when there is none."""
    for path in paths[:1]:
        start = path.resolve()
        for folder in (start, *start.parents) if start.is_dir() else start.parents:
            if (folder / PROFILE_NAME).is_file():
                return folder
    return fallback


def load_profile(root: Path) -> tuple[Profile, list[Problem]]:
    """The profile in `root`, or a neutral default when the project has none."""
    path = root / PROFILE_NAME
    if not path.exists():
        return Profile(organisation="Organisationen"), []
    profile, problems = load_model(path, Profile)
    return (profile or Profile(organisation="Organisationen")), problems


def load_project(paths: list[Path], root: Path) -> Project:
    """Load and validate everything; raise InputError listing every problem in every file.

    Each file is a case or a meeting by its `typ:`; a meeting's §§ are checked against
    the cases loaded here and, for cases not named on the command line, root/decisions/.
    """
    profile, problems = load_profile(root)
    profile_broken = bool(problems)
    limit = profile.granser.yaml_bytes
    files, missing = find_arende_files(paths)
    problems += missing
    cases: list[LoadedArende] = []
    meetings: list[tuple[Path, Meeting]] = []
    salvaged: list[tuple[Path, Salvaged]] = []
    broken: list[tuple[Path, Located]] = []
    delegations: list[tuple[Path, DelegationsbeslutFil]] = []
    sources: dict[Path, Located] = {}
    for path in files:
        located, found = _read(path, limit)
        problems += found
        if located is None:
            continue
        sources[path] = located
        model, found = _file_type(relative(path), located)
        problems += found
        instance, found = _validate(path, located, model, ignore={("typ",)})
        problems += found
        if model is Arende and not profile_broken:  # a broken profile is reported on its own
            problems += _missing_signatories(relative(path), located, profile)
        problems += _unknown_organ(relative(path), located, instance, profile)
        if isinstance(instance, Arende):
            cases.append(LoadedArende(path, instance))
        elif isinstance(instance, DelegationsbeslutFil):
            delegations.append((path, instance))
        elif isinstance(instance, Meeting):
            meetings.append((path, instance))
        elif model is Meeting and (rescued := salvage(located.data)) is not None:
            salvaged.append((path, rescued))
        elif model is Arende:
            broken.append((path, located))
    problems += _duplicate_dnr(cases, sources)
    index = _ArendeIndex(cases, broken, root / "decisions", profile)
    for path, beslut in delegations:
        index.delegations.setdefault(beslut.diarienummer, (path, beslut))
        index.delegation_paths.add(path.resolve())
    loaded_meetings = []
    for path, meeting in meetings:
        loaded, found = _check_meeting(path, meeting, sources[path], index)
        problems += found
        if not found:  # a meeting with mistakes of its own is numbered once they are fixed
            loaded_meetings.append(loaded)
    for path, rescued in salvaged:  # all problems at once: the valid parts checked too
        problems += _check_meeting(path, rescued.meeting, sources[path], index, rescued)[1]
    # Roles of the cases named here and of the cases the meetings treat (found in
    # decisions/ when only a meeting is named: they are sent out with it).
    treated = {c.path.resolve(): c for m in loaded_meetings for c in m.arenden if c is not None}
    treated.update({c.path.resolve(): c for c in cases})
    problems += _unknown_roles(
        list(treated.values()), meetings, {**index.sources, **sources}, profile
    )
    problems += _numbering(loaded_meetings, sources, root / "decisions", limit)
    if problems:
        raise InputError(problems)
    warnings = sorted(
        w for m in loaded_meetings for w in _meeting_warnings(m, sources[m.path], profile)
    )
    return Project(profile, root, cases, loaded_meetings, warnings)


def _meeting_warnings(loaded: LoadedMeeting, located: Located, profile: Profile) -> list[Problem]:
    """What a valid meeting leaves to the secretariat: time limits it does not keep, an
    anslag date planned for it, a förvaringsplats to write in by hand."""
    shown = relative(loaded.path)
    found = [
        Problem(shown, *_where(located, n.loc), key_path(n.loc), f"varning: {n.message}")
        for n in notices(loaded.meeting)
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


def load_model(path: Path, model: type[M]) -> tuple[M | None, list[Problem]]:
    """Read one YAML file into `model`; problems carry the file, line and column."""
    instance, problems, _ = _load(path, model)
    return instance, problems


def _load(
    path: Path, model: type[M], limit: int = DEFAULT_YAML_LIMIT
) -> tuple[M | None, list[Problem], Located | None]:
    located, problems = _read(path, limit)
    if located is None:
        return None, problems, None
    instance, problems = _validate(path, located, model)
    return instance, problems, located


LIMIT_HINT = f"dela upp den, eller höj gränser.yamlfil_mb i {PROFILE_NAME}"


def _read(path: Path, limit: int = DEFAULT_YAML_LIMIT) -> tuple[Located | None, list[Problem]]:
    """The file as located YAML data, or the reason it cannot be read as such. Only a
    regular file within `limit` bytes is read at all."""
    shown = relative(path)
    try:
        raw = read_limited(path, limit, hint=LIMIT_HINT)
    except Unreadable as exc:
        return None, [Problem(shown, 1, 1, "", str(exc))]
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        return None, [_not_utf8(shown, raw, exc.start)]
    try:
        return parse(text), []
    except YamlProblem as exc:
        return None, [Problem(shown, exc.line, exc.col, exc.key, exc.message)]


def _validate(
    path: Path, located: Located, model: type[M], ignore: frozenset[Loc] | set[Loc] = frozenset()
) -> tuple[M | None, list[Problem]]:
    """Validate located data as `model`; errors at the keys in `ignore` are reported elsewhere."""
    shown = relative(path)
    # Characters no font can draw are found in the raw data, so they are reported
    # together with every other mistake in the file, not in a second round.
    problems = list(_missing_glyphs(shown, located))
    try:
        instance: M | None = model.model_validate(located.data, context={"base_dir": path.parent})
    except ValidationError as exc:
        errors = [err for err in exc.errors() if tuple(err["loc"]) not in ignore]
        guessed = {guess_key(model, err) for err in errors if err["type"] == "extra_forbidden"}
        # "rubirk: unknown key; did you mean 'rubrik'?" already says rubrik is missing.
        problems += [
            problem_from(shown, located, model, err)
            for err in errors
            if not (err["type"] == "missing" and tuple(err["loc"]) in guessed)
        ]
        instance = None
    return (None if problems else instance), problems


def _file_type(shown: str, located: Located) -> tuple[type[BaseModel], list[Problem]]:
    """The model `typ:` names; for a missing or unknown typ, the model the keys fit best
    (so the file's other mistakes are still found) and a problem naming the allowed values."""
    data: dict[str, Any] = located.data
    typ = data.get("typ")
    if isinstance(typ, str) and typ in FILE_TYPES:
        return FILE_TYPES[typ], []
    keys = set(data)
    model = max(FILE_TYPES.values(), key=lambda m: len(keys & set(aliases(m))))
    names = [repr(name) for name in FILE_TYPES]
    allowed = f"{', '.join(names[:-1])} eller {names[-1]}"
    if "typ" not in data:
        if any(_close(key, aliases(model)) == "typ" for key in keys - set(aliases(model))):
            return model, []  # "tpy: okänd nyckel; menade du 'typ'?" says it already
        line, col = located.position(())
        return model, [
            Problem(shown, line, col, "typ", f"obligatorisk nyckel saknas; ska vara {allowed}")
        ]
    line, col = located.value_position(("typ",))
    if typ is None:
        message = f"värdet saknas; skriv {allowed}"
    else:
        message = f"ska vara {allowed}, inte {typ!r}"
        guess = _close(str(typ), list(FILE_TYPES))
        message += f"; menade du {guess!r}?" if guess else ""
    return model, [Problem(shown, line, col, "typ", message)]


def _close(word: str, choices: list[str]) -> str | None:
    found = difflib.get_close_matches(word, choices, n=1, cutoff=0.6)
    return found[0] if found else None


def _not_utf8(shown: str, raw: bytes, offset: int) -> Problem:
    if raw.startswith((b"\xff\xfe", b"\xfe\xff")):
        return Problem(
            shown, 1, 1, "", 'filen är sparad som UTF-16 ("Unicode"); spara om den som UTF-8'
        )
    before = raw[:offset]
    line = before.count(b"\n") + 1
    col = offset - (before.rfind(b"\n") + 1) + 1
    return Problem(
        shown, line, col, "", "filen är inte sparad som UTF-8; spara om den som UTF-8 i editorn"
    )


def _missing_glyphs(shown: str, located: Located) -> Iterator[Problem]:
    for loc, text in _strings(located.data, ()):
        missing = fonts.missing_glyphs(text)
        if missing:
            line, col = located.value_position(loc)
            ordered = sorted(missing, key=text.index)
            described = [f"{c!r} (U+{ord(c):04X})" for c in ordered]
            chars = " och ".join(filter(None, [", ".join(described[:-1]), described[-1]]))
            noun = "tecknen" if len(ordered) > 1 else "tecknet"
            yield Problem(
                shown,
                line,
                col,
                key_path(loc),
                f"{noun} {chars} finns inte i de medföljande typsnitten och kan inte visas i PDF/A",
            )


def _strings(data: Any, loc: Loc) -> Iterator[tuple[Loc, str]]:
    if isinstance(data, str):
        yield loc, data
    elif isinstance(data, dict):
        for key, value in data.items():
            yield from _strings(value, (*loc, key))
    elif isinstance(data, list):
        for index, value in enumerate(data):
            yield from _strings(value, (*loc, index))


def _unknown_roles(
    cases: list[LoadedArende],
    meetings: list[tuple[Path, Meeting]],
    sources: dict[Path, Located],
    profile: Profile,
) -> list[Problem]:
    """Every role on an utdrag-till or expedieras-till list must be in the address book
    (checked once the profile has one: a project that does not distribute needs none)."""
    book = profile.adressbok
    if not book:
        return []
    named: list[tuple[Path, Loc, str]] = [
        (case.path, ("utdrag_till", i), role)
        for case in cases
        for i, role in enumerate(case.arende.utdrag_till)
    ]
    for path, meeting in meetings:
        for i, item in enumerate(meeting.paragrafer):
            for j, role in enumerate(item.expedieras_till or []):
                named.append((path, ("paragrafer", i, "expedieras_till", j), role))
    problems = []
    for path, loc, role in named:
        if role in book:
            continue
        guess = difflib.get_close_matches(role, list(book), n=1, cutoff=0.75)
        hint = f"; menade du {guess[0]!r}?" if guess else ""
        line, col = sources[path].value_position(loc)
        message = f"rollen {role!r} finns inte i adressboken i {PROFILE_NAME}{hint}"
        problems.append(Problem(relative(path), line, col, key_path(loc), message))
    return problems


def _duplicate_dnr(cases: list[LoadedArende], sources: dict[Path, Located]) -> list[Problem]:
    """Two cases may not share a dnr, nor dnr that give the same file name (RS/1/2026 and
    RS 1-2026; compared without case, as Windows and macOS disks do)."""
    first: dict[str, LoadedArende] = {}
    problems = []
    for case in cases:
        dnr = case.arende.diarienummer
        name = stem_for(dnr, "").casefold()
        if name not in first:
            first[name] = case
            continue
        other = first[name]
        line, col = sources[case.path].value_position(("diarienummer",))
        if other.arende.diarienummer == dnr:
            message = (
                f"{dnr!r} används redan i {relative(other.path)}; "
                "varje ärende har ett eget diarienummer"
            )
        else:
            message = (
                f"{dnr!r} ger samma filnamn som {other.arende.diarienummer!r} i "
                f"{relative(other.path)}; skriv diarienumren så att de skiljer sig åt"
            )
        problems.append(Problem(relative(case.path), line, col, "diarienummer", message))
    return problems


_DNR_SEPARATORS = re.compile(r"[\s./:_-]")


class _ArendeIndex:
    """Where a § finds its case: by diarienummer or path among the cases loaded in this run,
    then among the case files of the project's decisions/ (read only when needed)."""

    def __init__(
        self,
        cases: list[LoadedArende],
        broken: list[tuple[Path, Located]],
        folder: Path,
        profile: Profile,
    ) -> None:
        self.folder = folder
        self.profile = profile
        self.limit = profile.granser.yaml_bytes
        self.by_dnr: dict[str, LoadedArende] = {}
        self.by_path: dict[Path, LoadedArende] = {}
        # Case files with problems of their own: a § naming one is not also "missing".
        self.broken_dnr: dict[str, Path] = {}
        self.broken_path: set[Path] = set()
        self._scanned = False
        self.sources: dict[Path, Located] = {}  # the case files read here, for positions
        self.delegations: dict[str, tuple[Path, DelegationsbeslutFil]] = {}
        self.delegation_paths: set[Path] = set()
        for case in cases:
            self._add(case)
        for path, located in broken:
            self._add_broken(path, located)

    def _add(self, case: LoadedArende) -> None:
        self.by_dnr.setdefault(case.arende.diarienummer, case)
        self.by_path[case.path.resolve()] = case

    def _add_broken(self, path: Path, located: Located | None) -> None:
        self.broken_path.add(path.resolve())
        dnr = located.data.get("diarienummer") if located is not None else None
        if isinstance(dnr, str) and dnr.strip():
            self.broken_dnr.setdefault(" ".join(dnr.split()), path)

    def _read_file(self, path: Path) -> None:
        """A file not loaded in this run: index it (a case, or a delegationsbeslut); its
        problems are not this run's."""
        key = path.resolve()
        if key in self.by_path or key in self.broken_path or key in self.delegation_paths:
            return
        located, _ = _read(path, self.limit)
        if located is not None:
            self.sources[path] = located
        if located is not None and located.data.get("typ") == "delegationsbeslut":
            beslut, _ = _validate(path, located, DelegationsbeslutFil)
            self.delegation_paths.add(key)
            if beslut is not None:
                self.delegations.setdefault(beslut.diarienummer, (path, beslut))
            return
        arende, _ = _validate(path, located, Arende) if located is not None else (None, [])
        if arende is not None:
            self._add(LoadedArende(path, arende))
        else:
            self._add_broken(path, located)

    def _scan(self) -> None:
        """Every file of the project's decisions/, once, when something is not found."""
        if not self._scanned:
            self._scanned = True
            for found in find_arende_files([self.folder])[0] if self.folder.is_dir() else []:
                self._read_file(found)

    def find(self, ref: str, base: Path) -> LoadedArende | Path | None:
        """The case `ref` names; the file if it names one with problems; None if nothing."""
        path = base / ref
        if ref not in self.by_dnr and ref not in self.broken_dnr and path.is_file():
            self._read_file(path)
            key = path.resolve()
            return self.by_path.get(key) or (path if key in self.broken_path else None)
        if ref not in self.by_dnr and ref not in self.broken_dnr:
            self._scan()
        return self.by_dnr.get(ref) or self.broken_dnr.get(ref)

    def delegation(self, dnr: str) -> tuple[Path, DelegationsbeslutFil] | None:
        """The delegationsbeslut file with diarienummer `dnr`, among this run's files and
        the project's decisions/."""
        if dnr not in self.delegations:
            self._scan()
        return self.delegations.get(dnr)

    def guess(self, ref: str) -> str | None:
        """A known dnr that differs from `ref` only in separators or case, or in one or two
        characters ("RS 552-2024" for "RS 552-2025"); not merely one of similar shape."""
        bare = _DNR_SEPARATORS.sub("", ref).casefold()
        for dnr in self.by_dnr:
            if _DNR_SEPARATORS.sub("", dnr).casefold() == bare:
                return dnr
        found = difflib.get_close_matches(ref, list(self.by_dnr), n=1, cutoff=0.9)
        return found[0] if found else None


def _check_meeting(
    path: Path,
    meeting: Meeting,
    located: Located,
    index: _ArendeIndex,
    salvaged: Salvaged | None = None,
) -> tuple[LoadedMeeting, list[Problem]]:
    """The case of every §, and every problem within the meeting or with what it refers to.

    For a meeting salvaged from a file with schema errors, the §§ it holds are put back
    at their places in the file, and the § order is not judged."""
    shown = relative(path)

    def place(loc: Loc) -> Loc:
        if salvaged is not None and len(loc) > 1 and loc[0] == "paragrafer":
            assert isinstance(loc[1], int)
            return ("paragrafer", salvaged.positions[loc[1]], *loc[2:])
        return loc

    def problem(loc: Loc, message: str, first: Loc | None = None) -> Problem:
        loc = place(loc)
        if first is not None:
            message += f" (första gången på rad {_where(located, place(first))[0]})"
        return Problem(shown, *_where(located, loc), key_path(loc), message)

    complete = salvaged is None or salvaged.whole
    organ = index.profile.organ.get(meeting.organ)
    members = organ.ledamoter if organ is not None else None
    findings = meeting_checks.findings(meeting, complete, members)
    problems = [problem(f.loc, f.message, f.first) for f in findings]
    arenden = _resolve_arenden(meeting, path, index, problem, problems)
    delegationer = _resolve_delegations(meeting, index, problem, problems)
    return LoadedMeeting(path, meeting, arenden, delegationer), problems


def _resolve_delegations(
    meeting: Meeting, index: _ArendeIndex, problem: Callable[..., Problem], problems: list[Problem]
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
                    f"{relative(index.folder)}/ (en fil med typ: delegationsbeslut)"
                )
                problems.append(problem(loc, message))
            elif entry[1].organ != meeting.organ:
                message = (
                    f"delegationsbeslutet {beslut.diarienummer!r} anmäls till {entry[1].organ} "
                    f"(organ i {relative(entry[0])}), inte till {meeting.organ}"
                )
                problems.append(problem(loc, message))
            else:
                found.append(entry[1].as_beslut())
        resolved.append(tuple(found))
    return tuple(resolved)


def _resolve_arenden(
    meeting: Meeting,
    path: Path,
    index: _ArendeIndex,
    problem: Callable[..., Problem],
    problems: list[Problem],
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
            message = f"ärendet {ref!r} finns inte i {relative(index.folder)}/"
            problems.append(problem(loc, message + (f"; menade du {guess!r}?" if guess else "")))
        elif isinstance(found, Path):
            message = (
                f"ärendet {ref!r} finns i {relative(found)}, men den filen är inte ett felfritt "
                f"ärende (kontrollera den med beslutsgen validate {relative(found)})"
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
                    f"(organ i {relative(found.path)}), inte av {meeting.organ}"
                )
                problems.append(problem(loc, message))
    return tuple(arenden)


def _numbering(
    meetings: list[LoadedMeeting], sources: dict[Path, Located], folder: Path, limit: int
) -> list[Problem]:
    """§ numbers continue per organ and year across this run's meetings and the earlier
    meetings in the project's decisions/ (read only when a meeting is checked on its own)."""
    if not meetings:
        return []
    ours = {m.path.resolve(): m for m in meetings}
    everyone = [(Path(relative(m.path)), m.meeting) for m in meetings]
    read = {p.resolve() for p in sources}
    first_date = min(m.meeting.datum for m in meetings)
    for path in find_arende_files([folder])[0] if folder.is_dir() else []:
        if path.resolve() in read:
            continue
        located, _ = _read(path, limit)
        if located is None or located.data.get("typ") != "sammanträde":
            continue
        other, _ = _validate(path, located, Meeting)
        # Only earlier meetings give context: a same-day copy is not a predecessor.
        if other is not None and other.datum < first_date:
            everyone.append((Path(relative(path)), other))
    problems = []
    for found in numbering_problems(everyone):
        meeting = ours.get(found.path.resolve())
        if meeting is not None:
            loc: Loc = ("paragrafer", 0, "nummer")
            line, col = sources[meeting.path].value_position(loc)
            problems.append(
                Problem(relative(meeting.path), line, col, key_path(loc), found.message)
            )
    return problems


def key_position(path: Path, loc: Loc) -> tuple[int, int]:
    """Line and column of a key in a file that has been loaded before (1, 1 if gone)."""
    located, _ = _read(path)
    return _where(located, loc) if located is not None else (1, 1)


def _where(located: Located, loc: Loc) -> tuple[int, int]:
    """A scalar's own position; for a list or mapping, its key (the block starts below it)."""
    data: Any = located.data
    for part in loc:
        try:
            data = data[part]
        except (KeyError, IndexError, TypeError):
            return located.position(loc)
    if isinstance(data, dict | list):
        return located.position(loc)
    return located.value_position(loc)


def _unknown_organ(
    shown: str, located: Located, instance: BaseModel | None, profile: Profile
) -> list[Problem]:
    """An organ the profile does not list (when it lists them): a typo, most often."""
    organ = getattr(instance, "organ", None)
    if not profile.organ or not isinstance(organ, str) or organ in profile.organ:
        return []
    guess = difflib.get_close_matches(organ, list(profile.organ), n=1, cutoff=0.75)
    hint = f"menade du {guess[0]!r}?" if guess else f"organen är {', '.join(profile.organ)}"
    line, col = located.value_position(("organ",))
    message = f"organet {organ!r} finns inte bland organen i {PROFILE_NAME}; {hint}"
    return [Problem(shown, line, col, "organ", message)]


def _missing_signatories(shown: str, located: Located, profile: Profile) -> list[Problem]:
    if profile.i_tjansten or "i_tjänsten" in located.data:
        return []
    line, col = located.position(())
    return [
        Problem(
            shown,
            line,
            col,
            "i_tjänsten",
            f"obligatorisk nyckel saknas (ingen profil {PROFILE_NAME} med standardundertecknare)",
        )
    ]
