"""What of a meeting file with schema errors can still be checked against itself.

A secretariat fixing a meeting file wants every mistake in one round. When the file does
not pass the schema, the checks that relate its parts (a vote against the attendance, a
reservation by someone who did not serve, a case missing) would otherwise wait for the
next round. `salvage` keeps what validates: the §§ that are valid on their own (with
their original positions), and the optional keys that are; a required key that does not
validate leaves nothing to relate the rest to, and then nothing is salvaged.
"""

from __future__ import annotations

import copy
from dataclasses import dataclass
from typing import Any

from pydantic import ValidationError

from beslutsgen.model.sammantrade import Sammantrade

PARAGRAFER = "paragrafer"
# Required keys no cross-check reads: a wrong value is replaced by one that validates.
NOT_CROSS_CHECKED = {"tid": "00.00–00.01", "plats": "-", "sekreterare": "-"}


@dataclass(frozen=True)
class Salvaged:
    """A meeting made of the valid parts of a file; `positions[i]` is where its i-th §
    stands in the file. `whole` is False when a § was left out (its neighbours' numbers
    then say nothing about a gap)."""

    meeting: Sammantrade
    positions: tuple[int, ...]
    whole: bool


def salvage(data: Any) -> Salvaged | None:
    """The valid parts of a meeting's YAML data as a Sammantrade, or None when too little is."""
    if not isinstance(data, dict):
        return None
    try:
        Sammantrade.model_validate(data)
        return None  # nothing to salvage: the file is valid
    except ValidationError as exc:
        errors = exc.errors()
    trimmed = copy.deepcopy(data)
    broken_items: set[int] = set()
    optional = {
        (field.alias or name)
        for name, field in Sammantrade.model_fields.items()
        if not field.is_required()
    }
    for error in errors:
        loc = tuple(error["loc"])
        if not loc:
            return None
        key = loc[0]
        if key == "typ":  # reported by the loader; the rest is a meeting all the same
            trimmed["typ"] = "sammanträde"
        elif key == PARAGRAFER and len(loc) > 1 and isinstance(loc[1], int):
            broken_items.add(loc[1])
        elif key in optional or (error["type"] == "extra_forbidden" and len(loc) == 1):
            trimmed.pop(key, None)
        elif key in NOT_CROSS_CHECKED:
            trimmed[key] = NOT_CROSS_CHECKED[key]
        else:
            return None
    items = trimmed.get(PARAGRAFER)
    if not isinstance(items, list):
        return None
    positions = tuple(i for i in range(len(items)) if i not in broken_items)
    if not positions:
        return None
    trimmed[PARAGRAFER] = [items[i] for i in positions]
    try:
        meeting = Sammantrade.model_validate(trimmed)
    except ValidationError:
        return None
    return Salvaged(meeting, positions, whole=not broken_items)
