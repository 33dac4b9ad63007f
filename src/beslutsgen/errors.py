"""One exception hierarchy; the CLI maps each branch to an exit code in one place."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path


@dataclass(frozen=True, order=True)
class Problem:
    """One mistake in a user's file, located so an editor can jump to it."""

    path: str
    line: int
    col: int
    key: str
    message: str

    def __str__(self) -> str:
        where = f"{printable(self.path)}:{self.line}:{self.col}"
        return f"{where}: {self.key}: {self.message}" if self.key else f"{where}: {self.message}"


class BeslutsgenError(Exception):
    """Root of everything beslutsgen raises on purpose."""

    exit_code = 3


class InputError(BeslutsgenError):
    """The user's files are wrong; carries every problem found, not just the first."""

    exit_code = 1

    def __init__(self, problems: list[Problem]) -> None:
        self.problems = sorted(problems)
        super().__init__("\n".join(str(p) for p in self.problems))

    def __reduce__(self) -> tuple[type[InputError], tuple[list[Problem]]]:
        """Picklable, so a worker process can hand it back to the parent."""
        return (type(self), (self.problems,))


class UsageError(BeslutsgenError):
    """The command was given the wrong kind of file (a case where a meeting belongs)."""

    exit_code = 2


class Refused(BeslutsgenError):
    """A file was checked and refused (archiving a signed protocol): `check` names the
    check that failed, the message says what was found."""

    exit_code = 1

    def __init__(self, check: str, message: str) -> None:
        self.check = check
        super().__init__(f"{check}: {message}")

    def __reduce__(self) -> tuple[type[Refused], tuple[str, str]]:
        return (type(self), (self.check, str(self).partition(": ")[2]))


class TemplateError(BeslutsgenError):
    """A Jinja template (bundled or the organisation's override) is wrong."""

    exit_code = 1

    def __init__(self, template: str, line: int | None, message: str) -> None:
        self.template = template
        self.line = line
        self.message = message
        where = f"{template}:{line}" if line else template
        super().__init__(f"{where}: mallfel: {message}")

    def __reduce__(self) -> tuple[type[TemplateError], tuple[str, int | None, str]]:
        """Picklable, so a worker process can hand it back to the parent."""
        return (type(self), (self.template, self.line, self.message))


class RenderError(BeslutsgenError):
    """A renderer failed on content that passed validation (a bug or a broken reference.docx)."""


class OutputError(BeslutsgenError):
    """Writing the output failed (disk full, permissions); nothing half-written is left."""


class Unfinished(BeslutsgenError):
    """The command ran to its end and said what happened, but not everything went well:
    the message is its last word, printed as it is (no "fel:"), then the exit code."""


class Undelivered(Unfinished):
    """A distribute run finished with messages that did not get through."""

    exit_code = 3


class NotIntact(Unfinished):
    """verify found a package, or the register's hash chain, no longer intact."""

    exit_code = 1


def printable(text: str) -> str:
    """`text` on one line as a terminal shows it: a newline, escape or direction character
    in a file name is written as an escape (\\n, \\x1b, \\u202e), never acted upon."""
    if text.isprintable():
        return text
    return "".join(c if c.isprintable() else repr(c)[1:-1] for c in text)


def relative(path: Path, root: Path) -> str:
    """`path` relative to `root` when it lies there (the working folder the CLI was started
    in, as users typed their paths; or the project root), else as given."""
    try:
        return str(path.resolve().relative_to(root.resolve()))
    except ValueError:
        return str(path)
