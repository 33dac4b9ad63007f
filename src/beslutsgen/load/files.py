"""One file at a time: finding the files, reading one within its limit, what `typ:` it
is, validating it as a model with every problem located. Linking files is project's."""

from __future__ import annotations

import difflib
from collections.abc import Iterator
from pathlib import Path
from typing import Any, TypeVar

from pydantic import BaseModel, ValidationError
from pydantic_core import ErrorDetails

from beslutsgen.errors import Problem, relative
from beslutsgen.inputfiles import DEFAULT_YAML_LIMIT, Unreadable, read_limited
from beslutsgen.load.messages import aliases, guess_key, key_path, problem_from
from beslutsgen.load.yamlsource import Loc, Located, YamlProblem, parse
from beslutsgen.model import fonts
from beslutsgen.model.anmalan import DelegationsbeslutFil
from beslutsgen.model.arende import UNION_TAGS, Arende
from beslutsgen.model.profile import PROFILE_NAME, Profile
from beslutsgen.model.sammantrade import Sammantrade

M = TypeVar("M", bound=BaseModel)

# The value of `typ:` decides what a file in decisions/ is.
FILE_TYPES: dict[str, type[BaseModel]] = {
    "tjänsteskrivelse": Arende,
    "sammanträde": Sammantrade,
    "delegationsbeslut": DelegationsbeslutFil,
}

LIMIT_HINT = f"dela upp den, eller höj gränser.yamlfil_mb i {PROFILE_NAME}"


def shown_as(path: Path, cwd: Path | None) -> str:
    """How a message names `path`: relative to `cwd` (the folder the user typed paths
    in) when it lies there; as given when there is no such folder."""
    return relative(path, cwd) if cwd is not None else str(path)


def find_arende_files(paths: list[Path], cwd: Path | None) -> tuple[list[Path], list[Problem]]:
    """Expand directories to their *.yaml files in a stable order; report missing paths."""
    files: list[Path] = []
    problems: list[Problem] = []
    for path in paths:
        if path.is_dir():
            files.extend(sorted(p for p in path.rglob("*.y*ml") if p.name != PROFILE_NAME))
        elif path.exists():  # not a folder: a file, or something `read` refuses to read
            files.append(path)
        else:
            shown = shown_as(path, cwd)
            problems.append(Problem(shown, 1, 1, "", "filen eller mappen finns inte"))
    return files, problems


def load_model(
    path: Path, model: type[M], cwd: Path | None = None
) -> tuple[M | None, list[Problem]]:
    """Read one YAML file into `model`; problems carry the file (shown relative to
    `cwd`, or as given), line and column."""
    shown = shown_as(path, cwd)
    located, problems = read(path, shown)
    if located is None:
        return None, problems
    return validate(path, shown, located, model)


def read(
    path: Path, shown: str, limit: int = DEFAULT_YAML_LIMIT
) -> tuple[Located | None, list[Problem]]:
    """The file as located YAML data, or the reason it cannot be read as such. Only a
    regular file within `limit` bytes is read at all; `shown` names it in problems."""
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


def validate(
    path: Path,
    shown: str,
    located: Located,
    model: type[M],
    ignore: frozenset[Loc] | set[Loc] = frozenset(),
) -> tuple[M | None, list[Problem]]:
    """Validate located data as `model`; errors at the keys in `ignore` are reported elsewhere."""
    # Characters no font can draw are found in the raw data, so they are reported
    # together with every other mistake in the file, not in a second round.
    problems = list(_missing_glyphs(shown, located))
    try:
        instance: M | None = model.model_validate(located.data, context={"base_dir": path.parent})
    except ValidationError as exc:
        errors = [err for err in _untagged(exc) if tuple(err["loc"]) not in ignore]
        guessed = {guess_key(model, err) for err in errors if err["type"] == "extra_forbidden"}
        # "rubirk: unknown key; did you mean 'rubrik'?" already says rubrik is missing.
        problems += [
            problem_from(shown, located, model, err)
            for err in errors
            if not (err["type"] == "missing" and tuple(err["loc"]) in guessed)
        ]
        instance = None
    return (None if problems else instance), problems


def _untagged(exc: ValidationError) -> list[ErrorDetails]:
    """The errors with the union tags (`förslag:` as one block or a list) taken out of
    their locations, which then name the YAML keys only."""
    errors = exc.errors()
    for err in errors:
        err["loc"] = tuple(part for part in err["loc"] if part not in UNION_TAGS)
    return errors


def file_type(shown: str, located: Located) -> tuple[type[BaseModel], list[Problem]]:
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


def key_position(path: Path, loc: Loc) -> tuple[int, int]:
    """Line and column of a key in a file that has been loaded before (1, 1 if gone)."""
    located, _ = read(path, str(path))
    return where(located, loc) if located is not None else (1, 1)


def where(located: Located, loc: Loc) -> tuple[int, int]:
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


def unknown_organ(
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


def missing_signatories(shown: str, located: Located, profile: Profile) -> list[Problem]:
    """A case without i_tjänsten needs the profile's standard signatories."""
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
