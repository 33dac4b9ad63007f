"""A sammanträde as a typed model: who took part, and what happened under each §.

Like model.py this knows no file format. The checks that relate one part of a meeting
to another (a vote against the attendance, a justerare against the ledamöter) are
`Meeting.findings()`: each names the YAML key path it concerns, and the loader turns
that path into a file, line and column.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from datetime import date
from typing import Annotated, Literal

from pydantic import AfterValidator, Field

from beslutsgen.model import Strict
from beslutsgen.textfields import FurnitureText, PlainText, RichText, clean_plain

Loc = tuple[str | int, ...]

ENLIGT_FORSLAG = "enligt förslag"

_RANGE = re.compile(r"^(\d{1,2})[.:](\d{2}) ?[–-] ?(\d{1,2})[.:](\d{2})$")


def clean_tid(value: str) -> str:
    """'09.00–15.30' (or several ranges separated by commas); written the Swedish way."""
    ranges = []
    for part in clean_plain(value).split(","):
        match = _RANGE.match(part.strip())
        if not match:
            raise ValueError(
                f"ogiltig tid {value!r}; skriv början och slut som 09.00–15.30 "
                "(flera pass med komma: 09.00–12.00, 13.00–15.30)"
            )
        start_h, start_m, end_h, end_m = (int(g) for g in match.groups())
        if max(start_h, end_h) > 23 or max(start_m, end_m) > 59:
            raise ValueError(f"ogiltig tid {value!r}; timmar 00–23, minuter 00–59")
        if (end_h, end_m) <= (start_h, start_m):
            raise ValueError(f"ogiltig tid {value!r}; sluttiden ligger före starttiden")
        ranges.append(f"{start_h:02d}.{start_m:02d}–{end_h:02d}.{end_m:02d}")
    return ", ".join(ranges)


Tid = Annotated[str, AfterValidator(clean_tid)]


class Ledamot(Strict):
    """A tjänstgörande member: ordinarie ledamot, or an ersättare who serves for one."""

    namn: PlainText = Field(description="Namn, t.ex. Anna Berglund.")
    parti: PlainText | None = Field(default=None, description="Partiets förkortning, t.ex. S.")
    ersatter: PlainText | None = Field(
        default=None,
        alias="ersätter",
        description="Tjänstgörande ersättare: namnet på ledamoten som ersätts.",
    )


class Ersattare(Strict):
    """An ersättare who attended without serving (ej tjänstgörande)."""

    namn: PlainText = Field(description="Namn.")
    parti: PlainText | None = Field(default=None, description="Partiets förkortning, t.ex. M.")


class OvrigNarvarande(Strict):
    """Someone present who does not decide: officials, föredragande, auditors."""

    namn: PlainText = Field(description="Namn.")
    titel: PlainText = Field(description="Titel eller roll, t.ex. Regiondirektör.")
    paragrafer: list[int] | None = Field(
        default=None,
        min_length=1,
        description="De § personen var närvarande vid; utelämnas för hela sammanträdet.",
    )


class Justering(Strict):
    """When and where the protocol is justerat."""

    datum: date = Field(description="Justeringsdag, ÅÅÅÅ-MM-DD.")
    plats: PlainText = Field(description="Plats, t.ex. Regionens hus, Östersund.")
    justerat: bool = Field(
        default=False,
        description="true när protokollet är justerat (underskrivet); först då expedieras "
        "paragraferna som inte justerats omedelbart.",
    )


class Yrkande(Strict):
    """A proposal made during the meeting."""

    av: PlainText = Field(description="Vem som yrkar (namn, ev. med parti).")
    yrkande: PlainText = Field(description="Yrkandet, t.ex. bifall till arbetsutskottets förslag.")


class Omrostning(Strict):
    """An open vote: every tjänstgörande ledamot without jäv votes ja, nej or avstår."""

    fraga: PlainText = Field(
        alias="fråga", description="Propositionen, t.ex. Ja för förslaget, nej för återremiss."
    )
    ja: list[PlainText] = Field(default_factory=list, description="Namnen som röstade ja.")
    nej: list[PlainText] = Field(default_factory=list, description="Namnen som röstade nej.")
    avstar: list[PlainText] = Field(
        default_factory=list, alias="avstår", description="Namnen som avstod från att rösta."
    )
    utfall: Literal["ja", "nej"] | None = Field(
        default=None,
        description="Propositionen som vann enligt protokollet; kontrolleras mot rösterna.",
    )

    def result(self, ordforande: str) -> VoteResult:
        """The counts and the winning side; at a tie the ordförande's vote decides."""
        ja, nej = len(self.ja), len(self.nej)
        winner: Literal["ja", "nej"] | None = "ja" if ja > nej else "nej" if nej > ja else None
        casting = winner is None
        if casting:
            winner = "ja" if ordforande in self.ja else "nej" if ordforande in self.nej else None
        return VoteResult(ja, nej, len(self.avstar), winner, casting and winner is not None)


@dataclass(frozen=True)
class VoteResult:
    """What an open vote came to. `winner` is None only at a tie the ordförande did not
    break; `casting` says the ordförande's utslagsröst decided."""

    ja: int
    nej: int
    avstar: int
    winner: Literal["ja", "nej"] | None
    casting: bool


class Reservation(Strict):
    """A member reserving against the decision."""

    namn: PlainText = Field(description="Ledamoten som reserverar sig.")
    motivering: PlainText | None = Field(
        default=None, description="Skriftlig motivering, om en sådan lämnats."
    )


class Protokollsanteckning(Strict):
    """A note a member asked to have entered in the protocol."""

    namn: PlainText = Field(description="Vem som begärt anteckningen.")
    text: RichText = Field(description="Anteckningens text (Markdown som i ärendebeskrivning).")


class Paragraf(Strict):
    """One item (§) of the meeting and what was decided."""

    nummer: int = Field(ge=1, description="Paragrafnumret, t.ex. 196.")
    arende: PlainText = Field(
        alias="ärende",
        description="Ärendet: diarienumret i en ärendefil, t.ex. RS 552-2025, eller "
        "sökvägen till filen relativt sammanträdesfilen.",
    )
    beslut: RichText = Field(
        default=ENLIGT_FORSLAG,
        description='Beslutet i Markdown; "enligt förslag" (standard) betyder att förslaget '
        "till beslut antas ordagrant.",
    )
    foredragande: PlainText | None = Field(
        default=None,
        alias="föredragande",
        description="Föredragande i kallelsen; utelämnas för ärendets handläggare.",
    )
    yrkanden: list[Yrkande] = Field(
        default_factory=list, description="Yrkanden under sammanträdet."
    )
    beslutsgang: RichText | None = Field(
        default=None, alias="beslutsgång", description="Beslutsgång och propositionsordning."
    )
    omrostning: Omrostning | None = Field(
        default=None, alias="omröstning", description="Öppen omröstning, om en begärts."
    )
    reservationer: list[Reservation] = Field(
        default_factory=list, description="Reservationer mot beslutet."
    )
    protokollsanteckningar: list[Protokollsanteckning] = Field(
        default_factory=list, description="Protokollsanteckningar."
    )
    jav: list[PlainText] = Field(
        default_factory=list,
        alias="jäv",
        description="Ledamöter som på grund av jäv inte deltar i ärendet.",
    )
    omedelbart_justerad: bool = Field(
        default=False, description="true om paragrafen justeras omedelbart vid sammanträdet."
    )
    expedieras_till: list[PlainText] | None = Field(
        default=None, description="Mottagare av utdrag; utelämnas för ärendets utdrag_till."
    )

    @property
    def enligt_forslag(self) -> bool:
        """True when the proposal was adopted verbatim."""
        return self.beslut.casefold() == ENLIGT_FORSLAG


class Meeting(Strict):
    """One sammanträde of one organ: attendance, justering and the §§ in order."""

    typ: Literal["sammanträde"] = Field(description="Dokumenttyp: sammanträde.")
    organ: FurnitureText = Field(description="Organet som sammanträder, t.ex. Regionstyrelsen.")
    datum: date = Field(description="Sammanträdesdag, ÅÅÅÅ-MM-DD.")
    tid: Tid = Field(description='Tid, t.ex. "09.00–15.30" (flera pass med komma).')
    plats: PlainText = Field(description="Plats, t.ex. Regionens hus, Östersund.")
    ordforande: PlainText = Field(
        alias="ordförande",
        description="Ordförandens namn; räknas som tjänstgörande ledamot "
        "(får också stå under ledamöter, med parti).",
    )
    sekreterare: PlainText = Field(description="Sekreterarens namn.")
    ledamoter: list[Ledamot] = Field(
        alias="ledamöter",
        min_length=1,
        description="Tjänstgörande ledamöter och tjänstgörande ersättare (med ersätter).",
    )
    ersattare: list[Ersattare] = Field(
        default_factory=list, alias="ersättare", description="Ej tjänstgörande ersättare."
    )
    ovriga_narvarande: list[OvrigNarvarande] = Field(
        default_factory=list, alias="övriga_närvarande", description="Övriga närvarande."
    )
    justerare: list[PlainText] = Field(
        min_length=1, description="Utses att justera: tjänstgörande ledamöter, vid namn."
    )
    justering: Justering = Field(description="Justeringens datum och plats.")
    anslag: date | None = Field(
        default=None, description="Dag då justeringen anslås, ÅÅÅÅ-MM-DD; utelämnas om okänd."
    )
    forsta_paragraf: int | None = Field(
        default=None,
        ge=1,
        alias="första_paragraf",
        description="Första paragrafnumret för organets år, om inget tidigare sammanträde "
        "finns i decisions/.",
    )
    forvaringsplats: PlainText | None = Field(
        default=None,
        alias="förvaringsplats",
        description="Var protokollet förvaras (anslagsbeviset); utelämnas för profilens.",
    )
    paragrafer: list[Paragraf] = Field(min_length=1, description="Paragraferna i ordning.")

    def tjanstgorande(self) -> list[str]:
        """Everyone who decides at this meeting, ordförande first, each once."""
        return list(dict.fromkeys([self.ordforande, *(m.namn for m in self.ledamoter)]))

    def findings(self, complete: bool = True) -> list[Finding]:
        """Every inconsistency between parts of this meeting (empty when it holds together).
        When §§ were left out (`complete` False), what depends on the whole list of §§ — their
        order, the §§ övriga närvarande attended — is not judged."""
        order = list(self._numbering()) if complete else []
        return [*self._attendance(complete), *self._dates(), *order, *self._items()]

    def _attendance(self, complete: bool = True) -> Iterator[Finding]:
        serving = set(self.tjanstgorande())
        yield from _repeated(
            (("ledamöter", i, "namn"), m.namn) for i, m in enumerate(self.ledamoter)
        )
        for i, member in enumerate(self.ledamoter):
            if member.ersatter is not None and member.ersatter in serving:
                yield Finding(
                    ("ledamöter", i, "ersätter"),
                    f"{member.ersatter!r} tjänstgör själv och kan inte samtidigt ersättas",
                )
        for i, name in enumerate(self.justerare):
            if name not in serving:
                yield Finding(("justerare", i), f"{name!r} {_NOT_SERVING} och kan inte justera")
        yield from _repeated((("justerare", i), name) for i, name in enumerate(self.justerare))
        numbers = {p.nummer for p in self.paragrafer}
        for i, person in enumerate(self.ovriga_narvarande if complete else []):
            for j, number in enumerate(person.paragrafer or []):
                if number not in numbers:
                    yield Finding(
                        ("övriga_närvarande", i, "paragrafer", j),
                        f"§ {number} finns inte i sammanträdet "
                        f"(paragraferna är {paragraph_span(p.nummer for p in self.paragrafer)})",
                    )

    def _dates(self) -> Iterator[Finding]:
        if self.justering.datum < self.datum:
            yield Finding(
                ("justering", "datum"),
                f"justeringen ({self.justering.datum}) ligger före sammanträdet ({self.datum})",
            )
        elif self.anslag is not None and self.anslag < self.justering.datum:
            yield Finding(
                ("anslag",),
                f"anslaget ({self.anslag}) ligger före justeringen ({self.justering.datum}); "
                "justeringen kan tillkännages först när protokollet är justerat",
            )

    def _numbering(self) -> Iterator[Finding]:
        first: dict[int, int] = {}
        for i, item in enumerate(self.paragrafer):
            loc: Loc = ("paragrafer", i, "nummer")
            if item.nummer in first:
                yield Finding(
                    loc,
                    f"§ {item.nummer} förekommer två gånger",
                    first=("paragrafer", first[item.nummer], "nummer"),
                )
                continue
            first[item.nummer] = i
            before = self.paragrafer[i - 1].nummer if i else None
            if before is not None and item.nummer != before + 1:
                yield Finding(
                    loc,
                    f"§ {item.nummer} följer på § {before}; paragraferna numreras i följd "
                    f"(väntat § {before + 1})",
                )

    def _items(self) -> Iterator[Finding]:
        serving = self.tjanstgorande()
        for i, item in enumerate(self.paragrafer):
            here: Loc = ("paragrafer", i)
            jav = set(item.jav)
            for j, name in enumerate(item.jav):
                if name not in serving:
                    yield Finding((*here, "jäv", j), f"{name!r} {_NOT_SERVING}")
            yield from _repeated(((*here, "jäv", j), name) for j, name in enumerate(item.jav))
            for j, reservation in enumerate(item.reservationer):
                name = reservation.namn
                if name not in serving:
                    why = f"{_NOT_SERVING} och kan inte reservera sig"
                elif name in jav:
                    why = f"har jäv i § {item.nummer} och kan inte reservera sig"
                else:
                    continue
                yield Finding((*here, "reservationer", j, "namn"), f"{name!r} {why}")
            if item.omrostning is not None:
                vote_loc: Loc = (*here, "omröstning")
                found = list(_vote(item, item.omrostning, vote_loc, serving, jav))
                yield from found
                if not found:
                    yield from _outcome(item.omrostning, vote_loc, self.ordforande)


@dataclass(frozen=True)
class Finding:
    """One inconsistency: the YAML key path it is about, what is wrong, and (for a repeat)
    where the first occurrence is."""

    loc: Loc
    message: str
    first: Loc | None = None


_NOT_SERVING = "är inte tjänstgörande ledamot (ordförande eller under ledamöter)"


def _vote(
    item: Paragraf, vote: Omrostning, here: Loc, serving: list[str], jav: set[str]
) -> Iterator[Finding]:
    """Ja + nej + avstår must be exactly the tjänstgörande ledamöter without jäv, once each."""
    cast: dict[str, tuple[str, Loc]] = {}
    for key, names in (("ja", vote.ja), ("nej", vote.nej), ("avstår", vote.avstar)):
        for j, name in enumerate(names):
            loc = (*here, key, j)
            if name in cast:
                before, first = cast[name]
                yield Finding(loc, f"{name!r} står redan under {before}", first=first)
                continue
            cast[name] = (key, loc)
            if name in jav:
                yield Finding(
                    loc, f"{name!r} har jäv i § {item.nummer} och får inte delta i omröstningen"
                )
            elif name not in serving:
                yield Finding(loc, f"{name!r} {_NOT_SERVING} och kan inte rösta")
    missing = [name for name in serving if name not in jav and name not in cast]
    if missing:
        yield Finding(
            here,
            f"{_names(missing)} röstar inte; varje tjänstgörande ledamot utan jäv "
            "ska stå under ja, nej eller avstår",
        )


def _outcome(vote: Omrostning, here: Loc, ordforande: str) -> Iterator[Finding]:
    """A valid vote must have a winner, and the one the file states if it states one."""
    result = vote.result(ordforande)
    if result.winner is None:
        yield Finding(
            here,
            f"lika röstetal ({result.ja} ja, {result.nej} nej) och ordföranden "
            f"{ordforande!r} röstade varken ja eller nej; vid lika röstetal avgör "
            "ordförandens utslagsröst",
        )
    elif vote.utfall is not None and vote.utfall != result.winner:
        yield Finding(
            (*here, "utfall"),
            f"rösterna ger {result.winner} ({result.ja} ja, {result.nej} nej"
            f"{', ordförandens utslagsröst' if result.casting else ''}), inte {vote.utfall}",
        )


def _repeated(named: Iterable[tuple[Loc, str]]) -> Iterator[Finding]:
    first: dict[str, Loc] = {}
    for loc, name in named:
        if name in first:
            yield Finding(loc, f"{name!r} står redan i listan", first=first[name])
        else:
            first[name] = loc


def _names(names: list[str]) -> str:
    quoted = [repr(n) for n in names]
    return quoted[0] if len(quoted) == 1 else f"{', '.join(quoted[:-1])} och {quoted[-1]}"


def paragraph_span(numbers: Iterable[int]) -> str:
    """ "§ 196–198" for a run, "§ 12, 14" otherwise: how protocols name their paragraphs."""
    ordered = sorted(set(numbers))
    if len(ordered) > 1 and ordered == list(range(ordered[0], ordered[-1] + 1)):
        return f"§ {ordered[0]}–{ordered[-1]}"
    return "§ " + ", ".join(str(n) for n in ordered)
