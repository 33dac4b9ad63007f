"""Seeded, varied ärenden and a 40-§ meeting for the benchmarks, and a docxtpl reference.

The same content becomes a beslutsgen YAML case and a docxtpl context (README.md).
"""

from __future__ import annotations

import functools
import io
import json
import random
import statistics
from dataclasses import dataclass, field
from datetime import date, timedelta
from itertools import product
from pathlib import Path
from typing import Any, Literal

import docx
import typst
import yaml
from docx.oxml.ns import qn

from beslutsgen.output import slug
from beslutsgen.render.docx import BUNDLED_REFERENCE

ORGANISATION = "Region Jämtland Härjedalen"


def _list(text: str, sep: str = "|") -> tuple[str, ...]:
    return tuple(item.strip() for item in text.split(sep))


ORGANS = tuple(
    _list(organ, ";")
    for organ in _list(
        "Regionstyrelsen; RS; Regiondirektörens förslag"
        " | Regionstyrelsen; RS; Arbetsutskottet föreslår att regionstyrelsen beslutar"
        " | Hälso- och sjukvårdsnämnden; HSN; Hälso- och sjukvårdsdirektörens förslag"
        " | Regionala utvecklingsnämnden; RUN; Regional utvecklingsdirektörs förslag"
        " | Regionfullmäktige; RF; Regionstyrelsen föreslår regionfullmäktige besluta"
        " | Patientnämnden; PN; Förvaltningens förslag"
    )
)
DEPARTMENTS = _list(
    "Sekretariatet Regionstyrelsen | Ekonomiavdelningen | HR-avdelningen"
    " | Avdelningen för utveckling och digitalisering | Ledningsstöd och service"
    " | Hälso- och sjukvårdsförvaltningen, ledningsstab | Avdelningen för regional utveckling"
)
FIRST_NAMES = _list(
    "Sandra | Mikael | Sara | Anders | Karin | Lars | Eva | Johan | Åsa | Örjan | Maria | Per"
    " | Ingrid | Björn | Elin | Magnus | Lena | Henrik | Sofia | Nils"
)
LAST_NAMES = _list(
    "Hedman | Ferm | Lewerentz | Östlund | Jonsson | Sundqvist | Ålander | Persson | Nordin"
    " | Bergström | Lindgren | Söderberg | Hägglund | Wiklund | Eriksson"
)
TITLES = _list(
    "Regiondirektör | Regionstabschef | Ekonomidirektör | HR-direktör"
    " | Hälso- och sjukvårdsdirektör | Utvecklings- och digitaliseringsdirektör"
    " | Avdelningschef | Regional utvecklingsdirektör"
)
AREAS = _list(
    "ledningsprocesser | stödverksamhet | hälso- och sjukvård | kompetensförsörjning"
    " | digitalisering | folkhälsa | kollektivtrafik | lokalförsörjning | inköp | psykiatri"
    " | primärvård | tandvård | kultur | näringslivsutveckling"
)
UNITS = _list(
    "Regiondirektör | Ekonomi | HR | Utveckling och digitalisering | Ledningsstöd och service"
    " | Vårdval | Primärvård | Folktandvården | Kollektivtrafik | Kultur | Fastighet | Inköp"
    " | Regional utveckling | Hjälpmedel"
)
FULL_NAMES = [f"{first} {last}" for first, last in product(FIRST_NAMES, LAST_NAMES)]
RECIPIENTS = _list(
    "Ekonomicontroller | Regionstabschef | HR-direktör | HR-strateg"
    " | Utvecklings- och digitaliseringsdirektör | Avdelningschef samordningskansliet"
    " | Regionstabschefens närstöd | Kommunikationsdirektör | Registrator"
    " | Hälso- och sjukvårdsdirektör | Revisionen"
)
SUBJECTS = _list(
    "Revidering av {organs} plan och budget {year} | {Organs} plan och budget {year}"
    " | Internkontrollplan {year} för {organ_lc} | Yttrande över remiss om {area}"
    " | Riktlinjer för {area} | Investeringsbudget {year} för {area}"
    " | Uppföljning av åtgärdsplan för en ekonomi i balans {year}"
    " | Delårsrapport per den 31 augusti {year} | Ändring av reglemente för {organ_lc}"
    " | Svar på motion om {area} | Lokalförsörjningsplan {year}–{year3}"
    " | Överenskommelse med länets kommuner om {area}"
)
SENTENCES = _list(
    "Den {day}, § {par}, beslutade {organ_lc} om {thing}."
    " | {Subject} har under året arbetat vidare med {thing} inom målområde {area}."
    " | Arbetet med {thing} har utgått från innehållet i nuvarande plan för {prev}."
    " | Den totala nettobudgetramen för {organ_lc} {year} uppgår till {amount} tkr."
    " | {Subject} ska återrapportera arbetet till {organ_lc} senast den {day}."
    " | De svåra ekonomiska förutsättningarna ställer stora krav på täta uppföljningar"
    " och att nära följa regionplanens övergripande mål."
    " | Uppföljningen av {thing} är en del av den koncerngemensamma uppföljningen."
    " | Utifrån uppdragen i regionplanen har fokus varit att förtydliga prioriteringar"
    " kopplade till effektiva verksamhetsförändringar inom {area}."
    " | Åtgärderna är indelade i tre program: accelererad digitalisering, rätt storlek"
    " och rätt stöd samt inköp och ekonomi."
    " | En viss omfördelning mellan kostnadsslagen kan förekomma när detaljbudgetarna"
    " för {area} görs klara under oktober."
    " | Förslaget innebär att kostnaderna för {area} minskar med {amount} tkr under {year}."
    " | {Subject} bedömer att {thing} kan genomföras inom befintlig ram."
    " | Samverkan med länets kommuner sker inom ramen för den politiska samverkansberedningen."
    " | Förslaget har beretts i samråd med berörda förvaltningar och de fackliga organisationerna."
    " | Regionplanen anger att nämnderna ska vidta skarpa åtgärder för att minska sina"
    " kostnader och samtidigt bidra till regionens sammantagna utveckling."
    " | Ärendet har föregåtts av en risk- och konsekvensanalys där barnrättsperspektivet"
    " och jämställdheten har beaktats."
    " | Under {prev} ökade kostnaderna för {area} med {pct} procent jämfört med året innan."
    " | Revisorerna påpekade i sin granskning att {thing} behöver tydligare mål och nyckeltal."
    " | {Subject} föreslår därför att {thing} fastställs och att arbetet följs upp i"
    " delårsrapporten."
    " | Beslutet påverkar inte regionens möjligheter att nå det finansiella målet för {year}."
)
THINGS = _list(
    "plan och budget | åtgärdsplanen för en ekonomi i balans | internkontrollplanen"
    " | den nya vårdvalsmodellen | lokalförsörjningsplanen | digitaliseringsstrategin"
    " | kompetensförsörjningsplanen | investeringsplanen | upphandlingen av hjälpmedel"
    " | den regionala utvecklingsstrategin | riktlinjerna för representation"
)
BULLETS = _list(
    "Genomföra effektiva verksamhetsförändringar för att hålla budget"
    " | Skapa effektiva och ändamålsenliga patientflöden inom {area}"
    " | Minska beroendet av köpt vård och inhyrd bemanning"
    " | Implementera en effektiv och ändamålsenlig administration"
    " | Samordna lokalerna för {area} och avveckla outnyttjade ytor"
    " | Följa upp sjukfrånvaron varje månad och sätta in tidiga åtgärder"
    " | Införa gemensamma inköpsrutiner och avtalstrohet i alla verksamheter"
    " | Utveckla digitala vårdmöten och egenmonitorering"
    " | Prioritera investeringar som ger lägre driftkostnader inom {area}"
    " | Redovisa resultatet till {organ_lc} i samband med delårsrapporten"
)
POINTS = _list(
    "{Title} får i uppdrag att fortsätta arbetet med åtgärder för en ekonomi i balans."
    " | {What} fastställs enligt förslag. | {What}, inklusive åtgärdsplan för ekonomi i"
    " balans, fastställs. | Upprättad åtgärdsplan ska återredovisas till regionfullmäktige i"
    " oktober {year}. | Investeringsramen för {area} utökas med {amount} tkr för {year}."
    " | Finansiering sker inom regionstyrelsens ram för {year}. | Uppföljning av beslutet ska"
    " redovisas i delårsrapporten per den 31 augusti {year}. | {Title} får i uppdrag att"
    " teckna överenskommelse med länets kommuner. | Beslutet gäller från och med den 1"
    " januari {next}. | Tidigare beslut i ärendet upphör att gälla."
    " | Paragrafen förklaras omedelbart justerad."
)
ATTACHMENTS = _list(
    "Förslag till plan och budget {year} | Åtgärdsplan för en ekonomi i balans"
    " | Risk- och konsekvensanalys | Sammanställning av remissvar"
    " | Ekonomisk uppföljning per {month} | Protokollsutdrag från arbetsutskottet"
)
MONTHS = ("mars", "april", "augusti", "oktober", "november")


@dataclass
class Block:
    """One block of the ärendebeskrivning, kept structured for both pipelines."""

    kind: Literal["p", "ul", "ol", "table"]
    text: str = ""
    items: list[str] = field(default_factory=list)
    header: list[str] = field(default_factory=list)
    rows: list[list[str]] = field(default_factory=list)


@dataclass
class Case:
    """One generated ärende: the YAML mapping (key order as a person writes it) and blocks."""

    name: str
    data: dict[str, Any]
    blocks: list[Block]


def generate(
    n: int, seed: int = 2025, organ: str | None = None,
    organs: tuple[tuple[str, ...], ...] = ORGANS, first: int = 0,
) -> list[Case]:
    """`n` different cases, the same ones for the same seed; all for `organ` if given.
    `organs` are (name, dnr prefix, proposal heading); `first` numbers the first case
    (its file name, dnr and generator), so calls with different `first` never collide."""
    chosen = tuple(o for o in organs if organ in (None, o[0]))
    return [
        _case(random.Random(seed * 100_003 + i), i, chosen) for i in range(first, first + n)
    ]


def _person(rng: random.Random) -> str:
    return f"{rng.choice(FIRST_NAMES)} {rng.choice(LAST_NAMES)}"


def _case(rng: random.Random, index: int, organs: tuple[tuple[str, ...], ...]) -> Case:
    organ, prefix, proposal_heading = rng.choice(organs)
    year = rng.choice((2023, 2024, 2025, 2026))
    day = date(year, 1, 1) + timedelta(days=rng.randrange(0, 360))
    organs_ = organ if organ.endswith("s") else organ + "s"
    fill: dict[str, Any] = {
        "organ": organ, "organ_lc": organ[0].lower() + organ[1:], "organs": organs_,
        "Organs": organs_, "area": rng.choice(AREAS), "year": year, "year3": year + 3,
        "prev": year - 1, "next": year + 1, "month": rng.choice(MONTHS),
    }
    rubrik = rng.choice(SUBJECTS).format(**fill)
    number = 100 + index * 7 + rng.randrange(7)
    dnr = rng.choice(
        (f"{prefix}/{number}/{year}", f"{prefix} {number}-{year}", f"{prefix}-{year}-{number:05d}")
    )
    blocks = _description(rng, fill, pages=rng.choices((1, 2, 3), weights=(5, 4, 2))[0])
    signatories = [
        {"namn": _person(rng), "titel": title}
        for title in rng.sample(TITLES, rng.choice((1, 2, 2)))
    ]
    point_fill = {**fill, "What": rubrik, "Title": signatories[0]["titel"]}
    points = [_fill(rng, p, point_fill) for p in rng.sample(POINTS, rng.randint(2, 6))]
    data: dict[str, Any] = {
        "typ": "tjänsteskrivelse", "organ": organ, "diarienummer": dnr, "datum": day,
        "avdelning": rng.choice(DEPARTMENTS), "handläggare": _person(rng), "rubrik": rubrik,
        "ärendebeskrivning": to_markdown(blocks),
        "förslag": {"rubrik": proposal_heading, "punkter": points},
    }
    if rng.random() < 0.85:  # the rest use the profile's default signatory
        data["i_tjänsten"] = signatories
    data["beslutsunderlag"] = [
        "Tjänsteskrivelse",
        *(a.format(**fill) for a in rng.sample(ATTACHMENTS, rng.randint(0, 3))),
    ]
    if rng.random() < 0.4:
        data["bilagor"] = [a.format(**fill) for a in rng.sample(ATTACHMENTS, rng.randint(1, 3))]
    data["utdrag_till"] = rng.sample(RECIPIENTS, rng.randint(1, 7))
    if rng.random() < 0.1:
        data["stil"] = {"uppräkning": "komma"}
    return Case(f"case-{index:05d}.yaml", data, blocks)


def _thousands(value: int) -> str:
    return f"{value:,}".replace(",", " ")


def _fill(rng: random.Random, pattern: str, fill: dict[str, Any]) -> str:
    thing = rng.choice(THINGS)
    subject = rng.choice(("Förvaltningen", "Regiondirektören", "Ekonomiavdelningen", fill["organ"]))
    return pattern.format(
        **fill, thing=thing, Subject=subject,
        day=f"{rng.randint(1, 28)} {rng.choice(MONTHS)} {fill['year']}", par=rng.randint(1, 250),
        amount=_thousands(rng.randrange(200, 2_500_000) // 100 * 100 or 200),
        pct=f"{rng.randint(1, 99) / 10:.1f}".replace(".", ","),
    )


def _paragraph(rng: random.Random, fill: dict[str, Any]) -> str:
    sentences = [_fill(rng, rng.choice(SENTENCES), fill) for _ in range(rng.randint(3, 6))]
    if rng.random() < 0.25:  # some emphasis, as people write it
        i = rng.randrange(len(sentences))
        mark = "**" if rng.random() < 0.5 else "*"
        sentences[i] = mark + sentences[i].rstrip(".") + mark + "."
    return " ".join(sentences)


def _table(rng: random.Random, year: int) -> Block:
    rows = []
    total_old = total_new = 0
    for unit in rng.sample(UNITS, rng.randint(3, 8)):
        old = rng.randrange(5_000, 900_000)
        new = old + rng.randrange(-old // 10, old // 10)
        total_old, total_new = total_old + old, total_new + new
        rows.append([unit, _thousands(old), _thousands(new)])
    rows.append(["Summa", _thousands(total_old), _thousands(total_new)])
    header = ["Verksamhet", f"Budget {year - 1} (tkr)", f"Budget {year} (tkr)"]
    return Block("table", header=header, rows=rows)


def _description(rng: random.Random, fill: dict[str, Any], pages: int) -> list[Block]:
    """About `pages` pages of prose with lists and, in some cases, a table of amounts."""
    words_wanted = pages * 380 - 180
    blocks: list[Block] = []
    words = 0
    extras = [kind for kind, p in (("ul", 0.6), ("ol", 0.2), ("table", 0.4)) if rng.random() < p]
    rng.shuffle(extras)
    while words < words_wanted or not blocks:
        text = _paragraph(rng, fill)
        words += len(text.split())
        blocks.append(Block("p", text))
        if extras and rng.random() < 0.4:
            kind = extras.pop()
            if kind == "table":
                blocks.append(_table(rng, fill["year"]))
            else:
                items = [_fill(rng, b, fill) for b in rng.sample(BULLETS, rng.randint(3, 6))]
                blocks.append(Block(kind, items=items))  # type: ignore[arg-type]
    return blocks


def to_markdown(blocks: list[Block]) -> str:
    """The ärendebeskrivning as a secretary writes it in YAML."""
    parts = []
    for block in blocks:
        if block.kind == "p":
            parts.append(block.text)
        elif block.kind == "ul":
            parts.append("\n".join(f"- {item}" for item in block.items))
        elif block.kind == "ol":
            parts.append("\n".join(f"{i}. {item}" for i, item in enumerate(block.items, 1)))
        else:
            rows = ["| " + " | ".join(row) + " |" for row in [block.header, *block.rows]]
            parts.append("\n".join([rows[0], "|---|---:|---:|", *rows[1:]]))
    return "\n\n".join(parts) + "\n"


class _Dumper(yaml.SafeDumper):
    """Multi-line strings as literal blocks, the way people write ärendebeskrivning."""


_Dumper.add_representer(
    str,
    lambda dumper, value: dumper.represent_scalar(
        "tag:yaml.org,2002:str", value, style="|" if "\n" in value else None
    ),
)


def dump(data: Any, schema: str) -> str:
    body = yaml.dump(data, Dumper=_Dumper, allow_unicode=True, sort_keys=False, width=100)
    return f"# yaml-language-server: $schema=../schema/{schema}.schema.json\n" + body


PROFILE = {
    "organisation": ORGANISATION,
    "i_tjänsten": [{"namn": "Sara Lewerentz", "titel": "Regiondirektör"}],
    "stil": {"uppräkning": "och"},
}


def write_project(root: Path, cases: list[Case], profile: Any = PROFILE) -> list[Path]:
    """A project folder: beslutsgen.yaml and decisions/*.yaml; returns the case files."""
    (root / "decisions").mkdir(parents=True, exist_ok=True)
    (root / "beslutsgen.yaml").write_text(dump(profile, "profil"), encoding="utf-8")
    paths = [root / "decisions" / case.name for case in cases]
    for path, case in zip(paths, cases, strict=True):
        path.write_text(dump(case.data, "arende"), encoding="utf-8")
    return paths


# --- a meeting: its ärenden, attendance and §§ -------------------------------------------

ORGAN = "Regionstyrelsen"
MEETING_DATE = date(2026, 3, 24)  # a Tuesday; justering and anslag fall on vardagar
JUSTERING = MEETING_DATE + timedelta(days=6)
# Seats of a regionstyrelse with 15 ledamöter; the left-hand MAJORITY usually votes ja.
SEATS = ("S",) * 4 + ("M",) * 3 + ("C",) * 2 + ("SD",) * 2 + ("V", "KD", "L", "MP")
MAJORITY = {"S", "C", "V", "MP"}
# Övriga närvarande; those marked True attend a few §§ only.
OFFICIALS = (
    ("Regiondirektör", False), ("Regionstabschef", False), ("Ekonomidirektör", True),
    ("Controller", True), ("HR-direktör", True), ("Kommunikationsdirektör", False),
)
BIFALL = "Bifall till förslaget till beslut."


def write_meeting(
    root: Path, items: int, seed: int, justerat: bool = False, **profile: Any
) -> tuple[Path, dict[str, Any]]:
    """A project with one meeting of `items` §§ (one ärende each, all for ORGAN, written a
    few weeks before), `profile` added to the profile; returns the meeting file and a
    description of what it holds."""
    generated = generate(items, seed, ORGAN)
    rng = random.Random(seed)
    for case in generated:
        case.data["datum"] = MEETING_DATE - timedelta(days=rng.randint(10, 60))
    archive = "Regionens hus, Kansliet, Östersund"
    write_project(root, generated, {**PROFILE, "förvaringsplats": archive, **profile})
    meeting = MeetingMaker(generated, seed, random.Random(seed).randint(20, 180)).meeting()
    if justerat:  # already justerat: every § may be sent (distribute.py)
        meeting["justering"]["justerat"] = True
    path = root / "decisions" / f"rs-{MEETING_DATE.isoformat()}-sammantrade.yaml"
    path.write_text(dump(meeting, "sammantrade"), encoding="utf-8")
    items_ = meeting["paragrafer"]
    words = [len(c.data["ärendebeskrivning"].split()) for c in generated]
    return path, {
        "paragrafer": len(items_),
        "tjänstgörande": len(meeting["ledamöter"]),
        "omröstningar": sum("omröstning" in p for p in items_),
        "reservationer": sum(len(p.get("reservationer", [])) for p in items_),
        "jäv": sum("jäv" in p for p in items_),
        "yrkanden": sum(len(p.get("yrkanden", [])) for p in items_),
        "omedelbart_justerade": sum("omedelbart_justerad" in p for p in items_),
        "egna_beslut": sum("beslut" in p for p in items_),
        "words_median": int(statistics.median(words)),
    }


BILAGA_KINDS = _list("Utredning | Rapport | Förstudie | Konsekvensanalys | Remissvar")
BILAGA_FILL = {"organ": ORGAN, "organ_lc": ORGAN.lower(), "organs": f"{ORGAN}s",
               "Organs": f"{ORGAN}s", "year": 2026, "year3": 2029, "prev": 2025, "next": 2027}
BILAGA_TIMESTAMP = 1772438400  # 2026-03-02 08:00 UTC: the PDFs' dates, so they are reproducible
STRING = functools.partial(json.dumps, ensure_ascii=False)  # a JSON string is a Typst string


def write_bilagor(root: Path, pages: int, seed: int) -> dict[str, Any]:
    """One `pages`-page PDF (typst: a heading and four paragraphs a page) per ärende in
    `root`, added to its `bilagor:` as {titel, fil: bilagor/<dnr-slug>/bilaga.pdf}; with
    generators of its own, so write_meeting's draws are untouched."""
    size = 0
    paths = sorted((root / "decisions").glob("case-*.yaml"))
    for path in paths:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
        rng = random.Random(f"bilaga-{seed}-{path.name}")
        fill = {**BILAGA_FILL, "area": rng.choice(AREAS), "month": rng.choice(MONTHS)}
        titel = f"{rng.choice(BILAGA_KINDS)} om {fill['area']}"
        body = "\n#pagebreak()\n".join(
            f"= #{STRING(titel if n == 1 else f'{n}. {rng.choice(THINGS).capitalize()}')}\n\n"
            + "\n\n".join(f"#{STRING(_sentences(rng, fill))}" for _ in range(4))
            for n in range(1, pages + 1)
        )
        head = (f"#set document(title: {STRING(titel)})\n#set page(numbering: \"1\")\n"
                "#set text(lang: \"sv\", size: 11pt)\n#set par(justify: true)\n")
        pdf = typst.compile((head + body).encode(), format="pdf", timestamp=BILAGA_TIMESTAMP,
                            ignore_system_fonts=True)
        fil = f"bilagor/{slug(data['diarienummer'], 'arende')}/bilaga.pdf"
        (root / fil).parent.mkdir(parents=True)
        size += (root / fil).write_bytes(pdf)
        data["bilagor"] = [*data.get("bilagor", []), {"titel": titel, "fil": fil}]
        path.write_text(dump(data, "arende"), encoding="utf-8")
    return {"bilaga_files": len(paths), "bilaga_mb": round(size / 1e6, 2)}


def _sentences(rng: random.Random, fill: dict[str, Any]) -> str:
    return " ".join(_fill(rng, rng.choice(SENTENCES), fill) for _ in range(rng.randint(3, 5)))


class MeetingMaker:
    """Attendance first, then each § with its yrkanden, votes, reservations and jäv,
    every name consistent with the attendance (the loader checks all of it). The order
    of the random draws is what makes a seed's meeting: keep it when changing this."""

    def __init__(self, generated: list[Case], seed: int, first: int) -> None:
        rng = self.rng = random.Random(seed + 17)
        self.cases, self.numbers = generated, list(range(first, first + len(generated)))
        self.names = iter(rng.sample(FULL_NAMES, 40))
        seats = list(SEATS)
        rng.shuffle(seats)
        self.party = {next(self.names): party for party in seats}
        members = list(self.party)
        self.ordforande = next(m for m in members if self.party[m] in MAJORITY)
        # Two ordinarie ledamöter are away; their ersättare serve in their place.
        away = rng.sample([m for m in members if m != self.ordforande], 2)
        self.substitutes = {next(self.names): name for name in away}
        self.party |= {new: self.party[old] for new, old in self.substitutes.items()}
        self.serving = [m for m in members if m not in away] + list(self.substitutes)
        self.others = [m for m in self.serving if m != self.ordforande]

    def meeting(self) -> dict[str, Any]:
        rng, n = self.rng, len(self.cases)
        self.votes = set(rng.sample(range(n), max(1, round(n / 10))))
        self.jav = set(rng.sample(range(n), max(1, n // 13)))
        self.immediate = {n - 1} | set(rng.sample(range(n), n // 20))
        # One vote ends in a tie the ordförande's utslagsröst decides.
        self.tie = sorted(self.votes)[1] if len(self.votes) > 1 else None
        justerare = rng.sample(self.others, 2)
        ledamoter = [
            {"namn": name, "parti": self.party[name]}
            | ({"ersätter": self.substitutes[name]} if name in self.substitutes else {})
            for name in [self.ordforande, *self.others]
        ]
        ersattare = [{"namn": next(self.names), "parti": p} for p in ("S", "M", "C", "SD")]
        ovriga = []
        for title, some in OFFICIALS:
            entry: dict[str, Any] = {"namn": next(self.names), "titel": title}
            if some:
                entry["paragrafer"] = sorted(rng.sample(self.numbers, min(n, rng.randint(1, 3))))
            ovriga.append(entry)
        self.officials = [o["namn"] for o in ovriga]
        paragrafer = [self.paragraf(i) for i in range(n)]
        return {
            "typ": "sammanträde", "organ": ORGAN, "datum": MEETING_DATE,
            "tid": "09.00–12.00, 13.00–16.30",
            "plats": "Regionens hus, sammanträdesrum Storsjön, Östersund",
            "ordförande": self.ordforande, "sekreterare": next(self.names),
            "ledamöter": ledamoter, "ersättare": ersattare, "övriga_närvarande": ovriga,
            "justerare": justerare,
            "justering": {"datum": JUSTERING, "plats": "Regionens hus, Östersund"},
            "anslag": JUSTERING + timedelta(days=1),
            # The omedelbart justerade §§ are announced the day after the meeting.
            "omedelbar_justering": {"anslag": (MEETING_DATE + timedelta(days=1)).isoformat()},
            "första_paragraf": self.numbers[0],
            "paragrafer": paragrafer,
        }

    def yrkande(self, name: str, text: str) -> dict[str, str]:
        return {"av": f"{name} ({self.party[name]})", "yrkande": text}

    def paragraf(self, i: int) -> dict[str, Any]:
        rng, case = self.rng, self.cases[i].data
        item: dict[str, Any] = {"nummer": self.numbers[i], "ärende": case["diarienummer"]}
        if rng.random() < 0.2:
            item["föredragande"] = rng.choice(self.officials)
        excluded = rng.sample(self.others, 1) if i in self.jav else []
        voters = [m for m in self.serving if m not in excluded]
        if i in self.votes:
            item.update(self.vote(voters, i == self.tie))
        elif rng.random() < 0.3:
            item["yrkanden"] = [self.yrkande(self.ordforande, BIFALL)]
            if rng.random() < 0.3:  # an avslag that falls on acclamation, and is reserved
                against = rng.choice([m for m in voters if self.party[m] not in MAJORITY])
                item["yrkanden"].append(self.yrkande(against, "Avslag på förslaget."))
                item["beslutsgång"] = (
                    "Ordföranden ställer proposition på förslaget till beslut och avslag "
                    "och finner att regionstyrelsen bifaller förslaget till beslut."
                )
                item["reservationer"] = [{"namn": against}]
        if rng.random() < 0.2 or i == self.tie:
            points = case["förslag"]["punkter"]
            lines = [f"{k}. {p}" for k, p in enumerate(points[: max(1, len(points) - 1)], 1)]
            lines.append(
                f"{len(lines) + 1}. Regiondirektören får i uppdrag att återrapportera "
                f"arbetet till regionstyrelsen senast den 30 september {MEETING_DATE.year}."
            )
            item["beslut"] = "\n".join(lines) + "\n"
        if rng.random() < 0.08 and "protokollsanteckningar" not in item:
            who = rng.choice(voters)
            text = f"{self.party[who]} vill att uppföljningen redovisas **kvartalsvis** till"
            item["protokollsanteckningar"] = [{"namn": who, "text": text + " regionstyrelsen.\n"}]
        if excluded:
            item["jäv"] = excluded
        if i in self.immediate:
            item["omedelbart_justerad"] = True
        if rng.random() < 0.15:
            item["expedieras_till"] = rng.sample(RECIPIENTS, rng.randint(1, 4))
        return item

    def vote(self, voters: list[str], tie: bool) -> dict[str, Any]:
        """Yrkanden, beslutsgång, an open vote by every voter, reservations, an anteckning."""
        rng = self.rng
        ja = [m for m in voters if self.party[m] in MAJORITY]
        rest = [m for m in voters if m not in ja]
        rng.shuffle(rest)
        avstar = rest[:1] if len(rest) > 1 else []
        nej = rest[len(avstar) :]
        if tie:  # move voters until ja and nej are equal, the ordförande voting ja
            pool = [*(m for m in ja if m != self.ordforande), *nej, *avstar]
            rng.shuffle(pool)
            voting = len(voters) - len(voters) % 2  # an even number votes ja or nej
            half = voting // 2
            ja = [self.ordforande, *pool[: half - 1]]
            nej = pool[half - 1 : voting - 1]
            avstar = pool[voting - 1 :]
        motivering = {"motivering": "Ärendet borde ha återremitterats för en ny analys."}
        out: dict[str, Any] = {
            "yrkanden": [
                self.yrkande(ja[0], BIFALL),
                self.yrkande(nej[0], "Återremiss av ärendet för en fördjupad konsekvensanalys."),
            ],
            "beslutsgång": (
                "Ordföranden frågar först om ärendet ska avgöras i dag och finner att "
                "regionstyrelsen beslutar det. Omröstning begärs.\n\n"
                "Ordföranden ställer därefter proposition på förslaget till beslut och "
                "finner att regionstyrelsen bifaller det.\n"
            ),
            "omröstning": {
                "fråga": "Ja för att avgöra ärendet i dag, nej för återremiss.",
                "ja": ja, "nej": nej, "avstår": avstar,
            },
            "reservationer": [
                {"namn": name, **(motivering if k == 0 else {})}
                for k, name in enumerate(nej[: rng.randint(1, min(3, len(nej)))])
            ],
        }
        if tie or rng.random() < 0.5:
            out["omröstning"]["utfall"] = "ja"
        if avstar:
            text = "Vi avstår i väntan på regionfullmäktiges budgetbeslut.\n"
            out["protokollsanteckningar"] = [{"namn": avstar[0], "text": text}]
        return out


# --- the docxtpl reference ----------------------------------------------------------------


def docxtpl_context(case: Case) -> dict[str, Any]:
    """The same content as the YAML case, shaped the way a docxtpl template wants it."""
    data = case.data
    blocks: list[dict[str, str]] = []
    tables: list[dict[str, Any]] = []
    for block in case.blocks:
        if block.kind == "p":
            blocks.append({"kind": "p", "text": block.text.replace("**", "").replace("*", "")})
        elif block.kind in ("ul", "ol"):
            blocks += [{"kind": block.kind, "text": item} for item in block.items]
        else:
            tables.append({"header": block.header, "rows": block.rows})
    *recipients, last = data["utdrag_till"]
    return {
        "organisation": ORGANISATION, "doc_type": "TJÄNSTESKRIVELSE", "organ": data["organ"],
        "datum": data["datum"].isoformat(), "dnr": data["diarienummer"],
        "avdelning": data["avdelning"], "handlaggare": data["handläggare"],
        "rubrik": data["rubrik"], "blocks": blocks, "belopp": tables[0] if tables else None,
        "forslag_rubrik": data["förslag"]["rubrik"], "punkter": data["förslag"]["punkter"],
        "signatories": data.get("i_tjänsten") or PROFILE["i_tjänsten"],
        "beslutsunderlag": data.get("beslutsunderlag", []), "bilagor": data.get("bilagor", []),
        "utdrag_till": f"{', '.join(recipients)} och {last}" if recipients else last,
    }


# The template's paragraphs, "style: text" (Normal where no style is given; Header and
# Footer ones go to the page's header and footer); TABLE marks the table of amounts.
TEMPLATE = _list(
    "Header: {{ organisation }}\t{{ doc_type }} | Header: {{ organ }}\tDatum {{ datum }}"
    " | Header: \tDiarienummer {{ dnr }} | Footer: {{ avdelning }}, {{ handlaggare }}"
    " | Heading 1: {{ rubrik }} | Heading 2: Ärendebeskrivning | {%p for b in blocks %}"
    " | {%p if b.kind == 'p' %} | {{ b.text }} | {%p elif b.kind == 'ul' %}"
    " | List Bullet: {{ b.text }} | {%p else %} | List Number: {{ b.text }} | {%p endif %}"
    " | {%p endfor %} | {%p if belopp %} | TABLE | {%p endif %}"
    " | Heading 2: {{ forslag_rubrik }} | {%p for punkt in punkter %}"
    " | List Number: {{ punkt }} | {%p endfor %} | Heading 2: I tjänsten"
    " | {%p for s in signatories %} | Signature Name: {{ s.namn }}"
    " | Signature Title: {{ s.titel }} | {%p endfor %} | {%p if beslutsunderlag %}"
    " | Heading 2: Beslutsunderlag | {%p for u in beslutsunderlag %} | List Bullet: {{ u }}"
    " | {%p endfor %} | {%p endif %} | {%p if bilagor %} | Heading 2: Bilagor"
    " | {%p for u in bilagor %} | List Number: {{ u }} | {%p endfor %} | {%p endif %}"
    " | Heading 2: Utdrag till | Small: {{ utdrag_till }}"
)


def docxtpl_template() -> bytes:
    """A docxtpl template as a user would make it in Word: beslutsgen's styles, Jinja tags."""
    doc = docx.Document(str(BUNDLED_REFERENCE))
    section = doc.sections[0]
    section.header.is_linked_to_previous = section.footer.is_linked_to_previous = False
    for element in (doc.element.body, section.header._element, section.footer._element):
        for child in list(element):  # all but the page setup
            if child.tag != qn("w:sectPr"):
                element.remove(child)
    parts = {"Header": section.header, "Footer": section.footer}
    for line in TEMPLATE:
        if line != "TABLE":
            style, _, text = line.partition(": ") if line[0] != "{" else ("Normal", "", line)
            parts.get(style, doc).add_paragraph(text, style=style)
            continue
        table = doc.add_table(rows=3, cols=3)
        table.style = doc.styles["Table Grid"]
        for column in range(3):
            for row, text, style in ((0, "belopp.header", "Heading"), (2, "row", "Text")):
                cell = table.cell(row, column).paragraphs[0]
                cell.add_run(f"{{{{ {text}[{column}] }}}}")
                cell.style = f"Table {style}"
        table.cell(1, 0).paragraphs[0].add_run("{%tr for row in belopp.rows %}")
        table.add_row().cells[0].paragraphs[0].add_run("{%tr endfor %}")
    buffer = io.BytesIO()
    doc.save(buffer)
    return buffer.getvalue()
