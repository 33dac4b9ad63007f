"""Files → validated models, collecting every problem in every file before anyone writes."""

from __future__ import annotations

import difflib
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any, TypeVar

from pydantic import BaseModel, ValidationError
from pydantic_core import ErrorDetails

from beslutsgen import fonts
from beslutsgen.config import PROFILE_NAME, Profile
from beslutsgen.errors import InputError, Problem, relative
from beslutsgen.model import Arende
from beslutsgen.output import stem_for
from beslutsgen.yamlsource import Loc, Located, YamlProblem, parse

M = TypeVar("M", bound=BaseModel)


@dataclass(frozen=True)
class LoadedCase:
    """A case model together with the file it came from (for messages and output names)."""

    path: Path
    arende: Arende


@dataclass(frozen=True)
class Project:
    """Everything a render needs: the profile, where it lives, and the cases."""

    profile: Profile
    root: Path
    cases: list[LoadedCase]


def find_case_files(paths: list[Path]) -> tuple[list[Path], list[Problem]]:
    """Expand directories to their *.yaml files in a stable order; report missing paths."""
    files: list[Path] = []
    problems: list[Problem] = []
    for path in paths:
        if path.is_dir():
            files.extend(sorted(p for p in path.rglob("*.y*ml") if p.name != PROFILE_NAME))
        elif path.is_file():
            files.append(path)
        else:
            problems.append(Problem(relative(path), 1, 1, "", "filen eller mappen finns inte"))
    return files, problems


def load_profile(root: Path) -> tuple[Profile, list[Problem]]:
    """The profile in `root`, or a neutral default when the project has none."""
    path = root / PROFILE_NAME
    if not path.exists():
        return Profile(organisation="Organisationen"), []
    profile, problems = load_model(path, Profile)
    return (profile or Profile(organisation="Organisationen")), problems


def load_project(paths: list[Path], root: Path) -> Project:
    """Load and validate everything; raise InputError listing every problem in every file."""
    profile, problems = load_profile(root)
    files, missing = find_case_files(paths)
    problems += missing
    cases: list[LoadedCase] = []
    sources: dict[Path, Located] = {}
    for path in files:
        arende, found, located = _load(path, Arende)
        problems += found
        if located is not None:
            sources[path] = located
            problems += _missing_signatories(relative(path), located, profile)
        if arende is not None:
            cases.append(LoadedCase(path, arende))
    problems += _duplicate_dnr(cases, sources)
    if problems:
        raise InputError(problems)
    return Project(profile=profile, root=root, cases=cases)


def load_model(path: Path, model: type[M]) -> tuple[M | None, list[Problem]]:
    """Read one YAML file into `model`; problems carry the file, line and column."""
    instance, problems, _ = _load(path, model)
    return instance, problems


def _load(path: Path, model: type[M]) -> tuple[M | None, list[Problem], Located | None]:
    shown = relative(path)
    try:
        raw = path.read_bytes()
    except OSError as exc:
        return None, [Problem(shown, 1, 1, "", f"kan inte läsas: {exc.strerror}")], None
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        return None, [_not_utf8(shown, raw, exc.start)], None
    try:
        located = parse(text)
    except YamlProblem as exc:
        return None, [Problem(shown, exc.line, exc.col, exc.key, exc.message)], None
    # Characters no font can draw are found in the raw data, so they are reported
    # together with every other mistake in the file, not in a second round.
    problems = list(_missing_glyphs(shown, located))
    try:
        instance: M | None = model.model_validate(located.data, context={"base_dir": path.parent})
    except ValidationError as exc:
        errors = exc.errors()
        guessed = {_guess(model, err) for err in errors if err["type"] == "extra_forbidden"}
        # "rubirk: unknown key; did you mean 'rubrik'?" already says rubrik is missing.
        problems += [
            _problem(shown, located, model, err)
            for err in errors
            if not (err["type"] == "missing" and tuple(err["loc"]) in guessed)
        ]
        instance = None
    return (None if problems else instance), problems, located


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
                _key(loc),
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


def _duplicate_dnr(cases: list[LoadedCase], sources: dict[Path, Located]) -> list[Problem]:
    """Two cases may not share a dnr, nor dnr that give the same file name (RS/1/2026 and
    RS 1-2026; compared without case, as Windows and macOS disks do)."""
    first: dict[str, LoadedCase] = {}
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


def _key(loc: Loc) -> str:
    out = ""
    for part in loc:
        out += f"[{part + 1}]" if isinstance(part, int) else (f".{part}" if out else str(part))
    return out


def _aliases(model: type[BaseModel]) -> list[str]:
    return [info.alias or name for name, info in model.model_fields.items()]


def _model_at(model: type[BaseModel], loc: Loc) -> type[BaseModel] | None:
    """Follow `loc` through nested models to the model that owns its last key."""
    current: Any = model
    for part in loc:
        if isinstance(part, int):
            continue
        if not (isinstance(current, type) and issubclass(current, BaseModel)):
            return None
        by_alias = {info.alias or name: info for name, info in current.model_fields.items()}
        info = by_alias.get(str(part))
        if info is None:
            return None
        current = _inner_model(info.annotation)
    return current if isinstance(current, type) and issubclass(current, BaseModel) else None


def _inner_model(annotation: Any) -> Any:
    """The BaseModel inside `X | None`, `list[X]`, or X itself."""
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return annotation
    for arg in getattr(annotation, "__args__", ()):
        found = _inner_model(arg)
        if found is not None:
            return found
    return None


_MESSAGES = {
    "missing": "obligatorisk nyckel saknas",
    "string_type": "ska vara text",
    "list_type": "ska vara en lista (en rad per punkt, som börjar med -)",
    "dict_type": "ska vara en mappning (nyckel: värde)",
    "model_type": "ska vara en mappning (nyckel: värde)",
    "model_attributes_type": "ska vara en mappning (nyckel: värde)",
    "int_parsing": "ska vara ett heltal",
    "float_parsing": "ska vara ett tal",
    "bool_parsing": "ska vara true eller false",
}


def _bounds(model: type[BaseModel], loc: Loc) -> tuple[object, object]:
    """The ge/le limits of the field at `loc`, to say the allowed range in the message."""
    owner = _model_at(model, loc[:-1])
    info = owner.model_fields.get(str(loc[-1])) if owner else None
    limits = {type(m).__name__: m for m in (info.metadata if info else [])}
    low = getattr(limits.get("Ge"), "ge", "?")
    high = getattr(limits.get("Le"), "le", "?")
    return (_number(low), _number(high))


def _number(value: object) -> object:
    return int(value) if isinstance(value, float) and value.is_integer() else value


def _guess(model: type[BaseModel], err: ErrorDetails) -> Loc:
    """The key an unknown key was probably meant to be, as a loc (empty when no guess)."""
    loc: Loc = tuple(err["loc"])
    owner = _model_at(model, loc[:-1])
    known = _aliases(owner) if owner else []
    guess = difflib.get_close_matches(str(loc[-1]), known, n=1, cutoff=0.6)
    return (*loc[:-1], guess[0]) if guess else ()


def _problem(shown: str, located: Located, model: type[BaseModel], err: ErrorDetails) -> Problem:
    loc: Loc = tuple(err["loc"])
    kind = err["type"]
    line, col = located.value_position(loc)
    value = err.get("input")
    if kind == "missing":
        line, col = located.position(loc[:-1])
        message = _MESSAGES[kind]
    elif kind == "extra_forbidden":
        line, col = located.position(loc)
        guess = _guess(model, err)
        owner = _model_at(model, loc[:-1])
        message = "okänd nyckel" + (f"; menade du {guess[-1]!r}?" if guess else "")
        if owner and not guess:
            message += f" (tillåtna: {', '.join(_aliases(owner))})"
    elif kind.startswith("date") or kind.startswith("datetime"):
        message = f"ogiltigt datum {value!r}; skriv ÅÅÅÅ-MM-DD, t.ex. 2025-11-25"
    elif kind == "too_short":
        message = "får inte vara tom"
    elif kind == "literal_error":
        expected = str(err["ctx"]["expected"]).replace(" or ", " eller ")
        message = f"ska vara {expected}, inte {value!r}"
    elif kind in ("greater_than_equal", "less_than_equal"):
        low, high = _bounds(model, loc)
        message = f"{value} är utanför tillåtet intervall; ska vara {low}–{high}"
    elif value is None and kind.endswith("_type"):
        message = "värdet saknas; skriv något efter kolonet"
    elif kind == "value_error":
        message = str(err["ctx"]["error"])
    else:
        message = _MESSAGES.get(kind, err["msg"])
    return Problem(shown, line, col, _key(loc), message)
