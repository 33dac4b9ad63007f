"""YAML → plain Python data that remembers where every key and value was written.

PyYAML's composer gives nodes with marks; we build the data ourselves so that
(1) every location is kept for error messages, (2) duplicate keys are caught
instead of silently overwritten, and (3) scalars stay strings: the models decide
what is a date or a number, so `2024-02-30` becomes a clear "bad date" message
rather than a constructor crash.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import yaml

Loc = tuple[str | int, ...]

NULL_TAG = "tag:yaml.org,2002:null"


@dataclass
class Located:
    """Parsed YAML plus a map from key path to (line, col), both 1-based."""

    data: Any
    positions: dict[Loc, tuple[int, int]] = field(default_factory=dict)
    value_positions: dict[Loc, tuple[int, int]] = field(default_factory=dict)
    literal_blocks: set[Loc] = field(default_factory=set)
    source: str = ""

    def position(self, loc: Loc) -> tuple[int, int]:
        """Where the key `loc` was written; falls back to the nearest enclosing key."""
        for end in range(len(loc), -1, -1):
            if loc[:end] in self.positions:
                return self.positions[loc[:end]]
        return (1, 1)

    def value_position(self, loc: Loc) -> tuple[int, int]:
        """Where the value at `loc` starts (a bad date points at the date, not the key)."""
        return self.value_positions.get(loc) or self.position(loc)

    def text_position(self, loc: Loc, line_in_text: int) -> tuple[int, int]:
        """Where line `line_in_text` (from 0) of the text at `loc` is written: exact for a
        literal block (`|`), whose lines are the file's; else where the value starts."""
        if loc not in self.literal_blocks:
            return self.value_position(loc)
        line = self.value_position(loc)[0] + 1 + line_in_text
        written = self.source.split("\n")[line - 1] if self.source.count("\n") >= line - 1 else ""
        return line, len(written) - len(written.lstrip(" ")) + 1


class YamlProblem(Exception):
    """A YAML file that cannot be read as data, with where it went wrong."""

    def __init__(self, line: int, col: int, key: str, message: str) -> None:
        super().__init__(message)
        self.line, self.col, self.key, self.message = line, col, key, message


_EXPLAINED = (
    (
        "mapping values are not allowed",
        "kolon följt av mellanslag mitt i ett värde; sätt värdet "
        'inom citattecken, t.ex. rubrik: "Inköp: kontorsmaterial" (eller kontrollera indraget)',
        False,
    ),
    ("cannot start any token", "tabb får inte användas för indrag; använd mellanslag", False),
    ("found unexpected end of stream", "citattecknet stängs aldrig", True),
    ("expected ',' or ']'", "hakparentesen [ stängs aldrig med ]", True),
    ("expected ',' or '}'", "klammerparentesen { stängs aldrig med }", True),
)


def _explain(problem: str, context: str) -> tuple[str, bool]:
    """PyYAML's English message in words a secretariat user can act on; also whether the
    context mark (where the unclosed quote or bracket began) is the better position."""
    for phrase, explanation, use_context in _EXPLAINED:
        if phrase in problem:
            return explanation, use_context
    return (problem or context or "ogiltig YAML"), False


def _mark(node: yaml.Node) -> tuple[int, int]:
    return (node.start_mark.line + 1, node.start_mark.column + 1)


_FAST_LOADER = getattr(yaml, "CSafeLoader", None)


def _compose(text: str) -> list[yaml.Node]:
    """Node trees from libyaml when it is there (10× faster, same marks); a file it refuses
    is parsed again by the pure-Python loader, whose messages `_explain` knows."""
    if _FAST_LOADER is not None:
        try:
            return list(yaml.compose_all(text, Loader=_FAST_LOADER))
        except yaml.YAMLError:
            pass
    return list(yaml.compose_all(text, Loader=yaml.SafeLoader))


def parse(text: str) -> Located:
    """Parse one YAML document; raise YamlProblem for anything that is not plain data."""
    try:
        nodes = _compose(text)
    except yaml.reader.ReaderError as exc:
        before = text[: exc.position]
        line, col = before.count("\n") + 1, exc.position - (before.rfind("\n") + 1) + 1
        code = exc.character if isinstance(exc.character, int) else ord(exc.character)
        raise YamlProblem(
            line,
            col,
            "",
            f"otillåtet styrtecken U+{code:04X}; ta bort det (det syns inte men "
            "förstör dokumentet)",
        ) from None
    except yaml.MarkedYAMLError as exc:
        reason, use_context = _explain(exc.problem or "", exc.context or "")
        mark = (exc.context_mark if use_context else None) or exc.problem_mark or exc.context_mark
        line, col = (mark.line + 1, mark.column + 1) if mark else (1, 1)
        raise YamlProblem(line, col, "", f"ogiltig YAML: {reason}") from None
    except yaml.YAMLError as exc:
        raise YamlProblem(1, 1, "", f"ogiltig YAML: {exc}") from None
    if len(nodes) != 1 or nodes[0] is None:
        if not nodes or nodes[0] is None:
            raise YamlProblem(1, 1, "", "filen är tom; den ska innehålla nyckel: värde-par")
        line, _ = _mark(nodes[1])
        raise YamlProblem(line, 1, "", "filen innehåller flera YAML-dokument (---); ett per fil")
    located = Located(data=None, source=text)
    located.data = _build(nodes[0], (), located, set())
    if not isinstance(located.data, dict):
        line, col = _mark(nodes[0])
        raise YamlProblem(line, col, "", "filen ska vara en mappning av nyckel: värde-par")
    return located


def _build(node: yaml.Node, loc: Loc, located: Located, seen: set[int]) -> Any:
    if id(node) in seen:
        line, col = _mark(node)
        raise YamlProblem(line, col, "", "ankare och alias (&, *) stöds inte; skriv ut värdet")
    seen.add(id(node))
    positions = located.positions
    positions.setdefault(loc, _mark(node))
    located.value_positions[loc] = _mark(node)
    if isinstance(node, yaml.ScalarNode):
        if node.tag == NULL_TAG and not node.style:
            return None
        if node.style == "|":
            located.literal_blocks.add(loc)
        return node.value
    if isinstance(node, yaml.SequenceNode):
        return [_build(item, (*loc, i), located, seen) for i, item in enumerate(node.value)]
    if isinstance(node, yaml.MappingNode):
        result: dict[str, Any] = {}
        for key_node, value_node in node.value:
            if not isinstance(key_node, yaml.ScalarNode):
                line, col = _mark(key_node)
                raise YamlProblem(line, col, "", "en nyckel måste vara en enkel text")
            key = key_node.value
            if key == "<<":
                line, col = _mark(key_node)
                raise YamlProblem(
                    line, col, key, "sammanslagning (<<) stöds inte; skriv ut värdena"
                )
            if key in result:
                line, col = _mark(key_node)
                first_line = positions[(*loc, key)][0]
                raise YamlProblem(
                    line,
                    col,
                    key,
                    f"nyckeln förekommer två gånger (första gången på rad {first_line})",
                )
            positions[(*loc, key)] = _mark(key_node)
            result[key] = _build(value_node, (*loc, key), located, seen)
        return result
    raise YamlProblem(*_mark(node), "", "okänd YAML-konstruktion")  # pragma: no cover
