"""The anslagstavla as files: HTML pages, a style sheet, an Atom feed and the published
PDFs, as they stand on one day. Nothing here writes; `pipeline.publish` does.

Every value reaches a page through Jinja with autoescaping, after personnummer and
e-mail addresses are masked (the environment's finalize), so text from YAML is always
text, never markup, and no link is ever made from it: every href is built here from
ASCII page names.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime, time
from importlib import resources
from typing import Any
from zoneinfo import ZoneInfo

import jinja2

from beslutsgen import __version__
from beslutsgen.build import overklagande
from beslutsgen.build.publication import for_publication
from beslutsgen.build.templates import long_date
from beslutsgen.model.profile import Profile
from beslutsgen.publish.notices import Notis

STOCKHOLM = ZoneInfo("Europe/Stockholm")
DOCUMENTS = "dokument"
NOTICES = "notiser"
INDEX, ARCHIVE, APPEAL, FEED, STYLE = (
    "index.html",
    "arkiv.html",
    "overklagande.html",
    "flode.atom",
    "stil.css",
)


@dataclass(frozen=True)
class Tavla:
    """The anslagstavla on one day: what is up, what has run out (kept only when the
    profile says so), and the profile's texts."""

    datum: date
    uppe: tuple[Notis, ...]
    nedtagna: tuple[Notis, ...]
    profile: Profile

    @property
    def shown(self) -> tuple[Notis, ...]:
        return self.uppe + self.nedtagna


def tavla(notices: list[Notis], day: date, profile: Profile) -> Tavla:
    """The notices up on `day`, and those taken down by then (if kept); newest first, as
    `notices` are. A notice whose day to go up is still to come is not shown at all."""
    keep = profile.anslagstavla.behall_nedtagna
    down = tuple(n for n in notices if n.nedtagen(day)) if keep else ()
    return Tavla(day, tuple(n for n in notices if n.uppe(day)), down, profile)


def _finalize(value: object) -> object:
    """Every printed value: masked for publication (dates and numbers as they are)."""
    return for_publication(value) if isinstance(value, str) else value


def _environment() -> jinja2.Environment:
    folder = resources.files("beslutsgen.publish") / "templates"
    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader(str(folder)),
        autoescape=True,
        undefined=jinja2.StrictUndefined,
        finalize=_finalize,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )
    env.filters["långt_datum"] = long_date
    env.filters["atom_tid"] = _atom_time
    return env


def _atom_time(day: date) -> str:
    """Midnight in Sweden on `day`, as RFC 3339: what Atom's dates are."""
    return datetime.combine(day, time(), STOCKHOLM).isoformat()


def _entry_id(profile: Profile, notis: Notis) -> str:
    """A notice's permanent Atom id: its page's address, or a name-based UUID of the
    organisation and page when the site's address is not known."""
    base = profile.anslagstavla.webbadress
    if base:
        return f"{base}{NOTICES}/{notis.id}.html"
    name = f"beslutsgen:anslagstavla:{profile.organisation}:{notis.id}"
    return uuid.uuid5(uuid.NAMESPACE_URL, name).urn


def _feed_id(profile: Profile) -> str:
    base = profile.anslagstavla.webbadress
    name = f"beslutsgen:anslagstavla:{profile.organisation}"
    return base or uuid.uuid5(uuid.NAMESPACE_URL, name).urn


def pages(board: Tavla, document_sizes: dict[str, int]) -> dict[str, bytes]:
    """Every page and the feed, by path in the site (with `/`); the PDFs are the
    caller's, named under dokument/ with their sizes in `document_sizes`."""
    env = _environment()
    profile = board.profile
    common = _common(board, document_sizes)

    def page(template: str, path: str, **values: Any) -> tuple[str, bytes]:
        depth = "../" * path.count("/")
        text = env.get_template(template).render(**common, bas=depth, sida=path, **values)
        return path, text.encode("utf-8")

    files = dict(
        [
            page("index.html.j2", INDEX, notiser=board.uppe),
            page("overklagande.html.j2", APPEAL),
            *(
                page("notis.html.j2", f"{NOTICES}/{n.id}.html", notis=n, uppe=n.uppe(board.datum))
                for n in board.shown
            ),
        ]
    )
    if profile.anslagstavla.behall_nedtagna:
        files.update([page("arkiv.html.j2", ARCHIVE, notiser=board.nedtagna)])
    feed = env.get_template("flode.atom.j2").render(
        **common,
        id_for=lambda n: _entry_id(profile, n),
        flode_id=_feed_id(profile),
        uppdaterad=_updated(board),
    )
    files[FEED] = feed.encode("utf-8")
    files[STYLE] = (resources.files("beslutsgen.publish") / "templates" / STYLE).read_bytes()
    return dict(sorted(files.items()))


def _updated(board: Tavla) -> date:
    """The feed's time: when the newest notice up went up; the day itself when none is."""
    return max((n.uppsatt for n in board.uppe), default=board.datum)


def _common(board: Tavla, document_sizes: dict[str, int]) -> dict[str, Any]:
    profile = board.profile
    organisation = profile.organisation
    return {
        "organisation": organisation,
        "rubrik": profile.anslagstavla.rubrik,
        "datum": board.datum,
        "medlem": overklagande.members_word(organisation),
        "domstol": overklagande.court(profile.forvaltningsratt),
        "domstol_adress": profile.forvaltningsratt_adress or "",
        "om_laglighetsprövning": overklagande.general(organisation, profile.forvaltningsratt),
        "arkiv": profile.anslagstavla.behall_nedtagna,
        "webbadress": profile.anslagstavla.webbadress or "",
        "storlek": _size_text(document_sizes),
        "version": __version__,
        "notiser_uppe": board.uppe,
    }


def _size_text(sizes: dict[str, int]) -> Callable[[str], str]:
    def text(name: str) -> str:
        kilobytes = max(1, round(sizes[name] / 1000))
        return f"PDF, {kilobytes} kB"

    return text
