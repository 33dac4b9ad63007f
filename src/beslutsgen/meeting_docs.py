"""A loaded meeting → the block trees of its documents: kallelse, protokoll, one
protokollsutdrag per § and the anslagsbevis, each through its Jinja template.

The context the templates see is assembled here once per meeting, so the protocol and
every utdrag tell the same § in the same words (they share paragraf.md.j2).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, replace
from typing import Any

from beslutsgen.build import Built
from beslutsgen.config import Profile, resolve_style
from beslutsgen.document import Document, Meta, parse_template
from beslutsgen.load import LoadedCase, LoadedMeeting
from beslutsgen.meeting import justerad, meeting_dates
from beslutsgen.meeting_model import Meeting, Omrostning, Paragraf, paragraph_span
from beslutsgen.templates import Templates

SAMMANTRADESDATUM = "Sammanträdesdatum"
JUSTERANDES_SIGN = "Justerandes sign"
UTDRAGSBESTYRKANDE = "Utdragsbestyrkande"


@dataclass(frozen=True)
class MeetingDocuments:
    """Everything one meeting produces, in the order a secretariat needs it."""

    folder: str
    documents: tuple[Built, ...]


def folder_name(meeting: Meeting) -> str:
    """regionstyrelsen-2025-11-25: one folder per meeting, safe on every file system."""
    slug = "".join(c if c.isalnum() else "-" for c in meeting.organ.casefold())
    slug = "-".join(part for part in slug.split("-") if part) or "sammantrade"
    return f"{slug}-{meeting.datum.isoformat()}"


def build_meeting(
    loaded: LoadedMeeting,
    profile: Profile,
    templates: Templates,
    wanted: Callable[[str], bool] = lambda stem: True,
) -> MeetingDocuments:
    """Kallelse, protokoll, every protokollsutdrag and the anslagsbevis of one meeting —
    or only those whose stem is `wanted` (distribute needs the utdrag, archive the
    protocol)."""
    context = meeting_context(loaded, profile)
    style = resolve_style(profile.stil, None)
    meeting = loaded.meeting
    when = meeting.datum.isoformat()
    span = context["paragrafer_span"]
    base = Meta(
        doc_type="",
        title="",
        organisation=profile.organisation,
        organ=meeting.organ,
        date=meeting.datum,
        dnr="",
        author=meeting.sekreterare,
        date_label=SAMMANTRADESDATUM,
    )

    documents: list[Built] = []

    def build(template: str, stem: str, meta: Meta, extra: dict[str, Any] | None = None) -> None:
        if wanted(stem):
            text, registry = templates.render(template, {**context, **(extra or {})})
            documents.append(Built(Document(meta, parse_template(text, registry)), style, stem))

    kallelse = replace(
        base,
        doc_type="Kallelse",
        title=f"Kallelse till {meeting.organ} {when}",
        subject=f"{meeting.organ}, kallelse och föredragningslista",
    )
    protokoll = replace(
        base,
        doc_type="Protokoll",
        title=f"Protokoll {meeting.organ} {when}",
        subject=f"{meeting.organ}, {span}",
        sign_boxes=(JUSTERANDES_SIGN, UTDRAGSBESTYRKANDE),
    )
    build("kallelse.md.j2", "kallelse", kallelse)
    build("protokoll.md.j2", "protokoll", protokoll)
    for item in context["paragrafer"]:
        utdrag = replace(
            base,
            doc_type="Protokollsutdrag",
            title=f"§ {item['nummer']} {item['rubrik']}",
            subject=f"{meeting.organ}, § {item['nummer']}, {item['diarienummer']}",
            dnr=item["diarienummer"],
            sign_boxes=(UTDRAGSBESTYRKANDE,),
        )
        stem = f"protokollsutdrag-{item['nummer']}"
        build("protokollsutdrag.md.j2", stem, utdrag, {"paragraf": item})
    anslagsbevis = replace(
        base,
        doc_type="Anslagsbevis",
        title=f"Anslagsbevis {meeting.organ} {when}",
        subject=f"{meeting.organ}, {span}",
        date=meeting_dates(meeting).anslag,
        date_label="Datum",
    )
    build("anslagsbevis.md.j2", "anslagsbevis", anslagsbevis)
    return MeetingDocuments(folder_name(meeting), tuple(documents))


def meeting_context(loaded: LoadedMeeting, profile: Profile) -> dict[str, Any]:
    """What every meeting template sees (YAML's Swedish keys, values ready to print)."""
    meeting = loaded.meeting
    dates = meeting_dates(meeting)
    parti = _parties(meeting)
    style = resolve_style(profile.stil, None)
    justerande = [{"namn": meeting.ordforande, "titel": "Ordförande"}] + [
        {"namn": name, "titel": "Justerare"} for name in meeting.justerare
    ]
    immediate = [p.nummer for p in meeting.paragrafer if p.omedelbart_justerad]
    return {
        "organisation": profile.organisation,
        "organ": meeting.organ,
        "datum": meeting.datum,
        "tid": meeting.tid,
        "plats": meeting.plats,
        "ordförande": meeting.ordforande,
        "sekreterare": meeting.sekreterare,
        "beslutande": _beslutande(meeting, parti),
        "ersättare": [_with_party(e.namn, parti) for e in meeting.ersattare],
        "övriga": [
            ", ".join([o.namn, o.titel, *([paragraph_span(o.paragrafer)] if o.paragrafer else [])])
            for o in meeting.ovriga_narvarande
        ],
        "justerare": list(meeting.justerare),
        "justering": {"datum": meeting.justering.datum, "plats": meeting.justering.plats},
        "justerande": justerande,
        "underskrifter": [{"namn": meeting.sekreterare, "titel": "Sekreterare"}, *justerande],
        "paragrafer_span": paragraph_span(p.nummer for p in meeting.paragrafer),
        "omedelbart_justerade": paragraph_span(immediate) if immediate else "",
        "anslag": dates.anslag,
        "sista_dag": dates.last_appeal,
        "anslag_ned": dates.anslag_down,
        "förvaringsplats": meeting.forvaringsplats or profile.forvaringsplats or "",
        "stil": {"uppräkning": style.list_style},
        "paragrafer": [
            _paragraph_context(meeting, item, case, parti)
            for item, case in zip(meeting.paragrafer, loaded.arenden, strict=True)
        ],
    }


def _paragraph_context(
    meeting: Meeting, item: Paragraf, case: LoadedCase, parti: dict[str, str]
) -> dict[str, Any]:
    arende = case.arende
    jav = set(item.jav)
    return {
        "nummer": item.nummer,
        "rubrik": arende.rubrik,
        "diarienummer": arende.diarienummer,
        "föredragande": item.foredragande or arende.handlaggare,
        "sammanfattning": arende.arendebeskrivning,
        "förslag": {"rubrik": arende.forslag.rubrik, "punkter": list(arende.forslag.punkter)},
        "beslutsunderlag": list(arende.beslutsunderlag),
        "enligt_förslag": item.enligt_forslag,
        "beslut": item.beslut,
        "yrkanden": [{"av": y.av, "yrkande": y.yrkande} for y in item.yrkanden],
        "beslutsgång": item.beslutsgang,
        "omröstning": (
            _vote_context(meeting, item.omrostning, jav, parti) if item.omrostning else None
        ),
        "reservationer": [
            {
                "text": f"{_with_party(r.namn, parti)} reserverar sig mot beslutet."
                + (f" {r.motivering}" if r.motivering else "")
            }
            for r in item.reservationer
        ],
        "protokollsanteckningar": [
            {"namn": _with_party(a.namn, parti), "text": a.text}
            for a in item.protokollsanteckningar
        ],
        "jäv": [_with_party(name, parti) for name in item.jav],
        "omedelbart_justerad": item.omedelbart_justerad,
        "justerad": justerad(meeting, item),
        "expedieras_till": list(
            item.expedieras_till if item.expedieras_till is not None else arende.utdrag_till
        ),
    }


def _vote_context(
    meeting: Meeting, vote: Omrostning, jav: set[str], parti: dict[str, str]
) -> dict[str, Any]:
    """The vote as a table of every voter in attendance order, the sums and the result."""
    cast = {name: "ja" for name in vote.ja}
    cast.update({name: "nej" for name in vote.nej})
    cast.update({name: "avstår" for name in vote.avstar})
    result = vote.result(meeting.ordforande)
    rows = [
        {"namn": _with_party(name, parti), "röst": cast.get(name, "")}
        for name in meeting.tjanstgorande()
        if name not in jav
    ]
    sums = f"{result.ja} ja, {result.nej} nej och {result.avstar} avstår"
    if result.casting:
        outcome = (
            f"Omröstningen ger lika röstetal ({sums}). Ordförandens utslagsröst avgör "
            f"för {result.winner}-propositionen."
        )
    else:
        outcome = (
            f"Omröstningen ger {sums}. {meeting.organ} har beslutat enligt "
            f"{result.winner}-propositionen."
        )
    return {
        "fråga": vote.fraga,
        "rader": rows,
        "ja": result.ja,
        "nej": result.nej,
        "avstår": result.avstar,
        "resultat": outcome,
    }


def _beslutande(meeting: Meeting, parti: dict[str, str]) -> list[str]:
    """ "Name (party)", the ordförande and tjänstgörande ersättare marked as protocols do."""
    ersatter = {m.namn: m.ersatter for m in meeting.ledamoter if m.ersatter}
    found = []
    for name in meeting.tjanstgorande():
        shown = _with_party(name, parti)
        if name == meeting.ordforande:
            shown += ", ordförande"
        elif name in ersatter:
            shown += f", ersätter {ersatter[name]}"
        found.append(shown)
    return found


def _parties(meeting: Meeting) -> dict[str, str]:
    found = {m.namn: m.parti for m in meeting.ledamoter if m.parti}
    found.update({e.namn: e.parti for e in meeting.ersattare if e.parti})
    return found


def _with_party(name: str, parti: dict[str, str]) -> str:
    return f"{name} ({parti[name]})" if name in parti else name
