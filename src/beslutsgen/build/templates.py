"""The Jinja environment: project templates before bundled ones, Swedish filters, and
an escaper that turns every data value into literal Markdown text.

Templates produce Markdown for `document.parse_template`. A value printed with
`{{ }}` is escaped unless a filter here marked it as trusted Markdown (`rich`
hands over a placeholder for a field parsed on its own). A missing variable is an
error naming the template and line, never empty text in a legal document.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from datetime import date
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation
from pathlib import Path
from typing import Any

import jinja2
from babel.dates import format_date
from babel.lists import format_list
from babel.numbers import format_decimal

from beslutsgen.build.document import RichRegistry, parse_rich
from beslutsgen.errors import RenderError, TemplateError

LOCALE = "sv_SE"
BUNDLED = Path(__file__).parent / "templates"
_OWN_CODE = Path(__file__).resolve().parent.parent  # beslutsgen's own modules
_PUNCT = re.compile(r"([!-/:-@\[-`{-~])")
_NEWLINES = re.compile(r"\s*\n\s*")


class FilterError(ValueError):
    """A template gave one of the filters here a value it cannot take: the template's fault."""


class Trusted(str):
    """Markdown produced by beslutsgen itself, printed without escaping."""

    __slots__ = ()


def escape_markdown(value: object) -> str:
    """Every ASCII punctuation mark backslash-escaped: the text can only ever be text."""
    if isinstance(value, Trusted):
        return value
    text = "" if value is None else str(value)
    return _PUNCT.sub(r"\\\1", _NEWLINES.sub(" ", text))


def long_date(value: date) -> str:
    """22 november 2026: the form prose uses."""
    if not isinstance(value, date):
        raise FilterError(f"långt_datum vill ha ett datum, inte {value!r}")
    return format_date(value, "d MMMM y", locale=LOCALE)


def amount(value: int | float | Decimal | str, unit: str = "", decimals: int | None = None) -> str:
    """2 192 000 tkr: space as thousands separator, decimal comma, unit after a space.

    Halves round away from zero (2,665 → 2,67), as in budgets and spreadsheets; Babel
    alone would round them to even.
    """
    if isinstance(value, bool) or not isinstance(value, int | float | Decimal | str):
        raise FilterError(f"{value!r} är inget tal")
    try:
        number = Decimal(str(value))
    except InvalidOperation:
        message = f"{value!r} är inget tal (skriv decimaler med punkt, t.ex. 5.5)"
        raise FilterError(message) from None
    if not number.is_finite():
        raise FilterError(f"{value!r} är inget ändligt tal")
    places = (
        decimals if decimals is not None else (0 if number == number.to_integral_value() else 3)
    )
    number = number.quantize(Decimal(1).scaleb(-places), rounding=ROUND_HALF_UP)
    pattern = "#,##0" if decimals is None else "#,##0." + "0" * decimals
    if decimals is None and places:
        pattern = "#,##0.0##"
    text = format_decimal(number, format=pattern, locale=LOCALE)
    return f"{text}\u00a0{unit}" if unit else text


def percent(value: int | float | Decimal | str, decimals: int = 1) -> str:
    """5,5 %: the value is already in per cent (5.5 means five and a half per cent), shown
    with one decimal unless told otherwise."""
    return amount(value, "%", decimals)


def enumerate_sv(items: list[str], style: str = "och") -> str:
    """ "a, b och c" (Swedish list) or "a, b, c" (house styles that never use "och")."""
    found = _require_list("uppräkning", items)
    if style == "komma":
        return ", ".join(found)
    return format_list(found, style="standard", locale=LOCALE) if found else ""


def lines(items: list[str]) -> Trusted:
    """Values on lines of their own inside one list item (a `::: fields` value)."""
    found = _require_list("rader", items, texts=False)
    return Trusted("\\\n  ".join(escape_markdown(item) for item in found))


def heading_marks(level: int) -> Trusted:
    """`{{ h(2) }} Rubrik`: a heading whose level a shared template is given."""
    if isinstance(level, bool) or not isinstance(level, int) or not 1 <= level <= 6:
        raise FilterError(f"h() vill ha en rubriknivå 1–6, inte {level!r}")
    return Trusted("#" * level)


def _require_list(name: str, items: object, texts: bool = True) -> list[Any]:
    """`items` as a list, if it is a list (or a Jinja sequence) and, with `texts`, of texts."""
    if isinstance(items, str | bytes | dict) or not isinstance(items, Iterable):
        raise FilterError(f"{name} vill ha en lista, inte {items!r}")
    found = list(items)
    if texts and not all(isinstance(i, str) for i in found):
        raise FilterError(f"{name} vill ha en lista med texter, inte {found!r}")
    return found


_REGISTRY = "_rich_registry"


@jinja2.pass_context
def rich(context: jinja2.runtime.Context, value: str) -> Trusted:
    """Parse a rich-text field on its own and leave a placeholder the template parser splices."""
    if not isinstance(value, str):
        raise FilterError(f"rich vill ha en text, inte {value!r}")
    registry: RichRegistry = context[_REGISTRY]
    index = registry.add(parse_rich(value))
    return Trusted(f"\n\n::: rich {index}\n:::\n\n")


class Templates:
    """One environment per run; rendering is cheap after the first compile of a template.

    Two environments share the loaders and the Swedish filters: `render` makes Markdown
    for documents (values escaped), `render_text` plain text for e-mail, where a value is
    printed as it is because nothing reads the text as markup.
    """

    def __init__(self, project_dir: Path | None = None) -> None:
        self.project_dir = project_dir if project_dir is not None and project_dir.is_dir() else None
        bundled = jinja2.FileSystemLoader(str(BUNDLED))
        loaders: list[jinja2.BaseLoader] = []
        if self.project_dir is not None:
            loaders.append(jinja2.FileSystemLoader(str(self.project_dir)))
        loaders += [bundled, jinja2.PrefixLoader({"bundled": bundled})]
        self.env = self._environment(loaders, finalize=escape_markdown)
        self.env.filters.update(rich=rich, rader=lines)
        self.env.globals["h"] = heading_marks
        self.text_env = self._environment(loaders, finalize=None)

    @staticmethod
    def _environment(
        loaders: list[jinja2.BaseLoader], finalize: Callable[[object], str] | None
    ) -> jinja2.Environment:
        env = jinja2.Environment(
            loader=jinja2.ChoiceLoader(loaders),
            undefined=jinja2.StrictUndefined,
            autoescape=False,
            finalize=finalize,
            keep_trailing_newline=True,
            trim_blocks=True,
            lstrip_blocks=True,
        )
        env.context_class = _Context
        env.filters.update(
            långt_datum=long_date,
            belopp=amount,
            tkr=lambda v: amount(v, "tkr"),
            procent=percent,
            uppräkning=enumerate_sv,
        )
        return env

    def render(self, name: str, context: dict[str, Any]) -> tuple[str, RichRegistry]:
        """Render `name`; rich-text fields go into the returned registry, not the text."""
        registry = RichRegistry()
        return self._render(self.env, name, {**context, _REGISTRY: registry}), registry

    def render_text(self, name: str, context: dict[str, Any]) -> str:
        """Render a plain-text template (an e-mail's body): values printed as they are."""
        return self._render(self.text_env, name, context)

    def _render(self, env: jinja2.Environment, name: str, context: dict[str, Any]) -> str:
        try:
            return env.get_template(name).render(context)
        except jinja2.TemplateSyntaxError as exc:
            shown = self._shown(exc.filename) if exc.filename else (exc.name or name)
            raise TemplateError(shown, exc.lineno, exc.message or "") from None
        except RecursionError:
            raise TemplateError(
                f"templates/{name}",  # only the project's override can extend itself
                None,
                f'mallen ärver sig själv; skriv {{% extends "bundled/{name}" %}} för att '
                "bygga vidare på den medföljande mallen",
            ) from None
        except jinja2.TemplateNotFound as exc:
            where, line = self._frame(exc, name)
            raise TemplateError(where, line, f"mallen {exc.name!r} finns inte") from None
        except jinja2.UndefinedError as exc:
            where, line = self._frame(exc, name)
            raise TemplateError(where, line, f"odefinierat värde: {_undefined(exc)}") from None
        except FilterError as exc:  # a filter here given what it cannot take
            where, line = self._frame(exc, name)
            raise TemplateError(where, line, str(exc)) from None
        except Exception as exc:
            where, line = self._frame(exc, name)
            bug = _own_frame(exc)
            if bug is not None:  # raised in beslutsgen's own filters or escaper: a bug
                raise RenderError(
                    f"fel i beslutsgen: {bug} gav {type(exc).__name__}: {exc} "
                    f"(när {where}{f':{line}' if line else ''} renderades)"
                ) from exc
            # Raised by a template expression or a Jinja builtin it misused.
            raise TemplateError(where, line, f"{type(exc).__name__}: {exc}") from None

    def _shown(self, filename: str) -> str:
        """templates/x.md.j2 for the project's own, bundled/x.md.j2 for the default."""
        path = Path(filename).resolve()
        for prefix, folder in (("templates", self.project_dir), ("bundled", BUNDLED)):
            if folder is not None and path.is_relative_to(folder.resolve()):
                return f"{prefix}/{path.relative_to(folder.resolve())}"
        return path.name

    def _frame(self, exc: BaseException, fallback: str) -> tuple[str, int | None]:
        """The template file and line an error came from, read off the traceback."""
        found: tuple[str, int | None] = (fallback, None)
        tb = exc.__traceback__
        while tb is not None:
            filename = tb.tb_frame.f_code.co_filename
            if filename.endswith(".j2"):
                found = (self._shown(filename), tb.tb_lineno)
            tb = tb.tb_next
        return found


def _own_frame(exc: BaseException) -> str | None:
    """`amount (build/templates.py:60)` when the last frame in a template or in beslutsgen
    that the error passed is beslutsgen's own code (not a .j2 file); else None."""
    last: str | None = None
    tb = exc.__traceback__
    while tb is not None:
        code = tb.tb_frame.f_code
        if code.co_filename.endswith(".j2"):
            last = None
        else:
            path = Path(code.co_filename).resolve()
            if path.suffix == ".py" and path.is_relative_to(_OWN_CODE):
                shown = path.relative_to(_OWN_CODE).as_posix()
                last = f"{code.co_name} ({shown}:{tb.tb_lineno})"
        tb = tb.tb_next
    return last


def _undefined(exc: jinja2.UndefinedError) -> str:
    """Jinja's English message in Swedish for the two shapes it takes."""
    message = exc.message or ""
    if match := re.fullmatch(r"'(.+)' is undefined", message):
        return f"{match.group(1)!r} finns inte"
    if match := re.fullmatch(r"'(.+)' has no attribute '(.+)'", message):
        return f"fältet {match.group(2)!r} finns inte"
    return message


class _TrustedBlock(jinja2.runtime.BlockReference):
    """`{{ super() }}` is template output, already Markdown: it must not be escaped again."""

    def __call__(self) -> Trusted:
        return Trusted(super().__call__())


class _Context(jinja2.runtime.Context):
    def super(self, name: str, current: Any) -> Any:
        reference = super().super(name, current)
        if type(reference) is jinja2.runtime.BlockReference:
            reference.__class__ = _TrustedBlock
        return reference
