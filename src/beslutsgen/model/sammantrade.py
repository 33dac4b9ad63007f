"""A sammanträde as a typed model: who took part, and what happened under each §.

Like model.py this knows no file format. The checks that relate one part of a meeting
to another (a vote against the attendance, a justerare against the ledamöter) are in
meeting_checks.py and participation.py; each `Finding` names the YAML key path it
concerns, and the loader turns that path into a file, line and column.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from typing import Annotated, Literal

from pydantic import AfterValidator, BeforeValidator, Field

from beslutsgen.model.anmalan import Delegationsbeslut, Meddelande
from beslutsgen.model.arende import ForslagInput, Strict, check_beslut
from beslutsgen.model.text import FurnitureText, PlainText, RichText, clean_plain

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


_SPAN_PART = re.compile(r"^(\d{1,6})(?:\s*[–-]\s*(\d{1,6}))?$")


def parse_paragrafer(value: object) -> object:
    """ "§§ 196–197", "§ 198", "196, 198–199" → [196, 197, …]; a list is left to the schema."""
    if not isinstance(value, str):
        return value
    numbers: list[int] = []
    for part in value.strip().removeprefix("§§").removeprefix("§").split(","):
        match = _SPAN_PART.match(part.strip())
        first, last = (int(match[1]), int(match[2] or match[1])) if match else (0, -1)
        if not match or last < first or last - first > 1000:
            raise ValueError(
                f"ogiltiga paragrafer {value!r}; skriv t.ex. §§ 196–197, § 198 eller [196, 198]"
            )
        numbers.extend(range(first, last + 1))
    return numbers


Paragrafer = Annotated[list[Annotated[int, Field(ge=1)]], BeforeValidator(parse_paragrafer)]


class Ersatter(Strict):
    """The ledamot a tjänstgörande ersättare serves for, and at which §§ (all when left out)."""

    namn: PlainText = Field(description="Ledamoten som ersätts.")
    paragrafer: Paragrafer | None = Field(
        default=None,
        min_length=1,
        description="De § ersättaren tjänstgör vid, t.ex. [198] eller §§ 197–198; utelämnas "
        "för hela sammanträdet.",
    )


def _seat(value: object) -> object:
    """`ersätter: Name` is short for `ersätter: {namn: Name}` (the whole meeting)."""
    return {"namn": value} if isinstance(value, str) else value


class Ledamot(Strict):
    """A tjänstgörande member: ordinarie ledamot, or an ersättare who serves for one."""

    namn: PlainText = Field(description="Namn, t.ex. Anna Berglund.")
    parti: PlainText | None = Field(default=None, description="Partiets förkortning, t.ex. S.")
    ersatter: Annotated[Ersatter | None, BeforeValidator(_seat)] = Field(
        default=None,
        alias="ersätter",
        description="Tjänstgörande ersättare: ledamoten som ersätts (namnet), eller "
        "{namn, paragrafer} när ersättaren tjänstgör vid vissa § (KL 5 kap. 67 §).",
    )
    narvarande: Paragrafer | None = Field(
        default=None,
        alias="närvarande",
        min_length=1,
        description="De § ledamoten var närvarande vid, t.ex. §§ 196–197; utelämnas för hela "
        "sammanträdet.",
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


class Handlingar(Strict):
    """Handlingar that do not go out with the kallelse, and why."""

    status: Literal["utelämnas", "senare"] = Field(
        description="utelämnas (t.ex. sekretess) eller senare (inte klara än)."
    )
    skal: PlainText = Field(
        alias="skäl", description="Varför, t.ex. sekretess enligt OSL 21 kap. 1 §."
    )


class OmedelbarJustering(Strict):
    """The anslag of the omedelbart justerade §§: announced on its own, by the second day
    after the meeting, and their appeal time runs from it (KL 8 kap. 12 §, 13 kap. 5 §)."""

    anslag: date | None = Field(
        default=None,
        description="Dag då justeringen av de omedelbart justerade paragraferna anslås, "
        "ÅÅÅÅ-MM-DD; utelämnas: planeras till första vardagen efter sammanträdet.",
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
    """One item (§) of the meeting and what was decided: an ärende, or an item without a
    case file (val av justerare, information, anmälan av delegationsbeslut)."""

    nummer: int = Field(ge=1, description="Paragrafnumret, t.ex. 196.")
    arende: PlainText | None = Field(
        default=None,
        alias="ärende",
        description="Ärendet: diarienumret i en ärendefil, t.ex. RS 552-2025, eller "
        "sökvägen till filen relativt sammanträdesfilen. Utelämnas för en paragraf utan "
        "ärende; den har då rubrik och beslut.",
    )
    rubrik: PlainText | None = Field(
        default=None,
        description="Rubriken för en paragraf utan ärende, t.ex. Val av justerare.",
    )
    forslag: ForslagInput | None = Field(
        default=None,
        alias="förslag",
        description="Förslag till beslut som kallelsen visar, om det inte är ärendets: ett "
        "block {rubrik, punkter} eller en lista av block.",
    )
    beslut: Annotated[RichText, AfterValidator(check_beslut)] = Field(
        default=ENLIGT_FORSLAG,
        description='Beslutet i Markdown; "enligt förslag" (standard) betyder att förslaget '
        "till beslut antas ordagrant, med alla dess block.",
    )
    enligt_forslag_nr: list[Annotated[int, Field(ge=1)]] | None = Field(
        default=None,
        alias="enligt_förslag",
        min_length=1,
        description="När förslaget har flera block och bara några antas: deras nummer, "
        "t.ex. [1] (det första blocket). Beslutet blir då dessa block ordagrant.",
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
    delegationsbeslut: list[Delegationsbeslut] = Field(
        default_factory=list,
        description="Anmälda delegationsbeslut (KL 6 kap. 40 §): diarienumret i en fil av "
        "typ delegationsbeslut i decisions/, eller {diarienummer, datum, beslutsfattare, "
        "delegationspunkt, beskrivning}.",
    )
    meddelanden: list[Meddelande] = Field(
        default_factory=list, description="Meddelanden: {datum, från, beskrivning, diarienummer}."
    )
    overklagande: Literal["laglighetsprövning", "förvaltningsbesvär"] | None = Field(
        default=None,
        alias="överklagande",
        description="Hur beslutet överklagas; utdraget får då upplysningen om hur man "
        "överklagar (laglighetsprövning, KL 13 kap., eller förvaltningsbesvär, FL 40–45 §§).",
    )
    handlingar: Handlingar | None = Field(
        default=None,
        description="Om ärendets handlingar inte följer med kallelsen: "
        "{status: utelämnas eller senare, skäl: ...}.",
    )
    expedieras_till: list[PlainText] | None = Field(
        default=None, description="Mottagare av utdrag; utelämnas för ärendets utdrag_till."
    )
    sekretess: PlainText | None = Field(
        default=None,
        description="Sekretessbestämmelsen som gäller paragrafen, t.ex. OSL 26 kap. 1 §; "
        "på anslagstavlan visas då bara rubriken och att texten är utelämnad enligt den.",
    )
    publiceras: bool = Field(
        default=True,
        description="false: paragrafens text publiceras inte på anslagstavlan (bara "
        "rubriken), t.ex. för personuppgifter; sekretess: ger samma sak med bestämmelsen.",
    )

    @property
    def publicerad(self) -> bool:
        """Whether the § is published whole; else its heading and why it is left out."""
        return self.publiceras and self.sekretess is None

    @property
    def enligt_forslag(self) -> bool:
        """True when the proposal (all of it, or the blocks `enligt_förslag` names) was
        adopted verbatim."""
        return self.enligt_forslag_nr is not None or self.beslut.casefold() == ENLIGT_FORSLAG


class Sammantrade(Strict, title="Meeting"):  # the published schema keeps its title
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
    omedelbar_justering: OmedelbarJustering | None = Field(
        default=None,
        description="Anslaget för de omedelbart justerade paragraferna, om de har några.",
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
    tillkannages: date | None = Field(
        default=None,
        alias="tillkännages",
        description="Fullmäktige: dag då tid, plats och ärenden tillkännages på "
        "anslagstavlan, minst en vecka före (KL 5 kap. 11 §); utelämnas för en vecka före.",
    )
    paragrafer: list[Paragraf] = Field(min_length=1, description="Paragraferna i ordning.")


@dataclass(frozen=True)
class Finding:
    """One inconsistency: the YAML key path it is about, what is wrong, and (for a repeat)
    where the first occurrence is."""

    loc: Loc
    message: str
    first: Loc | None = None


def paragraph_span(numbers: Iterable[int]) -> str:
    """ "§ 196" alone, "§§ 196–198" for a run, "§§ 101–104, 106–107" otherwise: how
    protocols name their paragraphs."""
    ordered = sorted(set(numbers))
    if len(ordered) == 1:
        return f"§ {ordered[0]}"
    runs: list[list[int]] = []
    for number in ordered:
        if runs and number == runs[-1][-1] + 1:
            runs[-1].append(number)
        else:
            runs.append([number])
    parts = [
        f"{run[0]}–{run[-1]}" if len(run) > 1 else str(run[0]) for run in runs
    ]
    return "§§ " + ", ".join(parts)
