"""Pydantic's validation errors → Problems a secretariat user can act on.

Locations come from the YAML source; messages are Swedish; an unknown key gets a
did-you-mean from the keys of the model at that place.
"""

from __future__ import annotations

import difflib
from typing import Any

from pydantic import BaseModel
from pydantic_core import ErrorDetails

from beslutsgen.errors import Problem
from beslutsgen.load.yamlsource import Loc, Located
from beslutsgen.model.richtext import Unrenderable


def key_path(loc: Loc) -> str:
    out = ""
    for part in loc:
        out += f"[{part + 1}]" if isinstance(part, int) else (f".{part}" if out else str(part))
    return out


def aliases(model: type[BaseModel]) -> list[str]:
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


def _range(model: type[BaseModel], loc: Loc, value: object, ctx: dict[str, Any]) -> str:
    """ "… ska vara 8–16", or "minst 1" where there is no upper limit (the limits of a list's
    items come with the error, not with the field)."""
    low, high = _bounds(model, loc)
    low = _number(ctx["ge"]) if "ge" in ctx else low
    high = _number(ctx["le"]) if "le" in ctx and high == "?" else high
    if high == "?":
        return f"{value} är utanför tillåtet intervall; ska vara minst {low}"
    if low == "?":
        return f"{value} är utanför tillåtet intervall; ska vara högst {high}"
    return f"{value} är utanför tillåtet intervall; ska vara {low}–{high}"


def _number(value: object) -> object:
    return int(value) if isinstance(value, float) and value.is_integer() else value


def guess_key(model: type[BaseModel], err: ErrorDetails) -> Loc:
    """The key an unknown key was probably meant to be, as a loc (empty when no guess)."""
    loc: Loc = tuple(err["loc"])
    owner = _model_at(model, loc[:-1])
    known = aliases(owner) if owner else []
    guess = difflib.get_close_matches(str(loc[-1]), known, n=1, cutoff=0.6)
    return (*loc[:-1], guess[0]) if guess else ()


def problem_from(
    shown: str, located: Located, model: type[BaseModel], err: ErrorDetails
) -> Problem:
    loc: Loc = tuple(err["loc"])
    kind = err["type"]
    line, col = located.value_position(loc)
    value = err.get("input")
    if kind == "missing":
        line, col = located.position(loc[:-1])
        message = _MESSAGES[kind]
    elif kind == "extra_forbidden":
        line, col = located.position(loc)
        guess = guess_key(model, err)
        owner = _model_at(model, loc[:-1])
        message = "okänd nyckel" + (f"; menade du {guess[-1]!r}?" if guess else "")
        if owner and not guess:
            message += f" (tillåtna: {', '.join(aliases(owner))})"
    elif kind.startswith("date") or kind.startswith("datetime"):
        message = f"ogiltigt datum {value!r}; skriv ÅÅÅÅ-MM-DD, t.ex. 2025-11-25"
    elif kind == "too_short":
        message = "får inte vara tom"
    elif kind == "literal_error":
        expected = str(err["ctx"]["expected"]).replace(" or ", " eller ")
        message = f"ska vara {expected}, inte {value!r}"
    elif kind in ("greater_than_equal", "less_than_equal"):
        message = _range(model, loc, value, err.get("ctx") or {})
    elif value is None and kind.endswith("_type"):
        message = "värdet saknas; skriv något efter kolonet"
    elif kind == "value_error":
        error = err["ctx"]["error"]
        message = str(error)
        if isinstance(error, Unrenderable):  # the line inside the text, not where it starts
            line, col = located.text_position(loc, error.line)
    else:
        message = _MESSAGES.get(kind, err["msg"])
    return Problem(shown, line, col, key_path(loc), message)
