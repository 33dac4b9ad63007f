"""What every meeting template sees: the YAML's Swedish keys, values ready to print.

Derived values — "Name (party), ersätter X", who took part in each §, the vote table
and its sums, "§§ 196–198", the dates of each anslag, the appeal information — are
computed here, not in templates, so an override cannot get them wrong.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from beslutsgen.build import overklagande
from beslutsgen.law import participation
from beslutsgen.law.dates import Anslag, Sammantradesdatum, justerad, sammantradesdatum
from beslutsgen.load.project import LoadedArende, LoadedSammantrade
from beslutsgen.model.anmalan import Delegationsbeslut
from beslutsgen.model.arende import Arende, Forslag, bilaga_titel, proposal_blocks
from beslutsgen.model.profile import Profile, resolve_style
from beslutsgen.model.sammantrade import Omrostning, Paragraf, Sammantrade, paragraph_span


def sammantrade_context(loaded: LoadedSammantrade, profile: Profile) -> dict[str, Any]:
    """The context of the kallelse, protokoll, every utdrag and the anslagsbevis."""
    meeting = loaded.meeting
    dates = sammantradesdatum(meeting)
    parti = _parties(meeting)
    style = resolve_style(profile.stil, None)
    justerande = [{"namn": meeting.ordforande, "titel": "Ordförande"}] + [
        {"namn": name, "titel": "Justerare"} for name in meeting.justerare
    ]
    delegationer = loaded.delegationer or tuple(() for _ in meeting.paragrafer)
    shared = _Shared(meeting, parti, dates, profile)
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
        "omedelbart_justerade": (
            paragraph_span(dates.immediate.paragrafer) if dates.immediate else ""
        ),
        "anslag": dates.anslag,
        "sista_dag": dates.last_appeal,
        "anslag_ned": dates.anslag_down,
        "anslagen": [_anslag_context(meeting, dates, one) for one in dates.all],
        "om_laglighetsprövning": overklagande.general(
            profile.organisation, profile.forvaltningsratt
        ),
        "förvaringsplats": meeting.forvaringsplats or profile.forvaringsplats or "",
        "förhinder": profile.forhinder or "",
        "stil": {"uppräkning": style.list_style},
        "paragrafer": [
            _paragraph_context(shared, item, arende, found, loaded.expedieras_till(i))
            for i, (item, arende, found) in enumerate(
                zip(meeting.paragrafer, loaded.arenden, delegationer, strict=True)
            )
        ],
    }


def _anslag_context(meeting: Sammantrade, dates: Sammantradesdatum, one: Anslag) -> dict[str, Any]:
    numbers = set(one.paragrafer)
    reported = [p.nummer for p in meeting.paragrafer if p.nummer in numbers and p.delegationsbeslut]
    return {
        "paragrafer": paragraph_span(one.paragrafer),
        "omedelbart_justerade": one.immediate and dates.immediate is not None,
        "justerat": one.justering,
        "anslag": one.anslag,
        "sista_dag": one.last_appeal,
        "anslag_ned": one.anslag_down,
        "delegationsbeslut": paragraph_span(reported) if reported else "",
    }


@dataclass(frozen=True)
class _Shared:
    """What every § of one meeting is seen with: the meeting, the parties, its dates and
    the profile."""

    meeting: Sammantrade
    parti: dict[str, str]
    dates: Sammantradesdatum
    profile: Profile


def _paragraph_context(
    shared: _Shared,
    item: Paragraf,
    loaded: LoadedArende | None,
    delegationer: tuple[Delegationsbeslut, ...],
    expedieras_till: list[str],
) -> dict[str, Any]:
    """One § as the templates see it: its ärende, the decision, what was reported, the
    dates and the appeal."""
    arende = loaded.arende if loaded is not None else None
    forslag = proposal_blocks(item.forslag) or (arende.forslagen if arende is not None else [])
    return {
        "nummer": item.nummer,
        **_arende_context(item, arende, forslag),
        **_decision_context(shared, item, forslag),
        "delegationsbeslut": [_delegation_row(d) for d in delegationer],
        "meddelanden": [
            {
                "datum": m.datum,
                "från": m.fran,
                "beskrivning": m.beskrivning,
                "diarienummer": m.diarienummer or "",
            }
            for m in item.meddelanden
        ],
        **_dates_context(shared, item),
        "expedieras_till": expedieras_till,
        "utelämnad": "",  # in a publication: why the § is left out (build.publication)
    }


def _arende_context(
    item: Paragraf, arende: Arende | None, forslag: list[Forslag]
) -> dict[str, Any]:
    """What a § takes from its ärende (its own values first where it has them). The
    protocol shows the case's sammanfattning, its ärendebeskrivning when it has none.
    `förslag` is one block as a mapping or several as a list, as written in YAML (for
    templates written before there could be several); `förslagsblock` is always a list."""
    blocks = [_block(b) for b in forslag]
    summary = None
    if arende is not None:
        summary = arende.sammanfattning
        summary = summary if summary is not None else arende.arendebeskrivning
    return {
        "rubrik": arende.rubrik if arende is not None else item.rubrik,
        "diarienummer": arende.diarienummer if arende is not None else "",
        "föredragande": item.foredragande or (arende.handlaggare if arende is not None else ""),
        "sammanfattning": summary,
        "förslag": (blocks[0] if len(blocks) == 1 else blocks) or None,
        "förslagsblock": blocks,
        "beslutsunderlag": list(arende.beslutsunderlag) if arende is not None else [],
        "bilagor": [bilaga_titel(b) for b in arende.bilagor] if arende is not None else [],
    }


def _block(forslag: Forslag) -> dict[str, Any]:
    return {"rubrik": forslag.rubrik, "punkter": list(forslag.punkter)}


def _adopted(item: Paragraf, forslag: list[Forslag]) -> list[dict[str, Any]]:
    """The proposal blocks the § adopted verbatim: all of them for `enligt förslag`, the
    ones `enligt_förslag` names (numbered from 1, checked by the loader) otherwise."""
    if not item.enligt_forslag:
        return []
    numbers = item.enligt_forslag_nr or range(1, len(forslag) + 1)
    return [_block(forslag[n - 1]) for n in numbers if 1 <= n <= len(forslag)]


def _decision_context(shared: _Shared, item: Paragraf, forslag: list[Forslag]) -> dict[str, Any]:
    """How the § was decided: the handlingar, the beslut (the adopted proposal blocks, or
    its own text), who decided, yrkanden, the vote, reservationer, protokollsanteckningar
    and jäv."""
    meeting, parti = shared.meeting, shared.parti
    return {
        "handlingar": (
            {"status": item.handlingar.status, "skäl": item.handlingar.skal}
            if item.handlingar
            else None
        ),
        "enligt_förslag": item.enligt_forslag and bool(forslag),
        "beslutsblock": _adopted(item, forslag),
        "beslut": item.beslut if not (item.enligt_forslag and not forslag) else None,
        "beslutande_här": _beslutande_here(meeting, item, parti),
        "yrkanden": [{"av": y.av, "yrkande": y.yrkande} for y in item.yrkanden],
        "beslutsgång": item.beslutsgang,
        "omröstning": _vote_context(meeting, item, parti) if item.omrostning else None,
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
    }


def _dates_context(shared: _Shared, item: Paragraf) -> dict[str, Any]:
    """When the § was justerad, its anslag, the last day to appeal and how to appeal."""
    anslag = shared.dates.of(item)
    return {
        "omedelbart_justerad": item.omedelbart_justerad,
        "justerad": justerad(shared.meeting, item),
        "anslag": anslag.anslag,
        "sista_dag": anslag.last_appeal,
        "överklagande": _appeal(shared.meeting, item, anslag, shared.profile),
    }


def _delegation_row(beslut: Delegationsbeslut) -> dict[str, Any]:
    return {
        "diarienummer": beslut.diarienummer,
        "datum": beslut.datum,
        "beslutsfattare": beslut.beslutsfattare,
        "delegationspunkt": beslut.delegationspunkt,
        "beskrivning": beslut.beskrivning,
    }


def _appeal(
    meeting: Sammantrade, item: Paragraf, anslag: Anslag, profile: Profile
) -> dict[str, Any] | None:
    """The upplysning om hur man överklagar the utdrag ends with, when the § has one."""
    if item.overklagande == overklagande.LAGLIGHETSPROVNING:
        text = overklagande.laglighetsprovning(
            profile.organisation, profile.forvaltningsratt, anslag.anslag, anslag.last_appeal
        )
        heading = "Hur man överklagar – laglighetsprövning"
    elif item.overklagande == overklagande.FORVALTNINGSBESVAR:
        text = overklagande.forvaltningsbesvar(
            meeting.organ, profile.organisation, profile.postadress
        )
        heading = "Hur man överklagar – förvaltningsbesvär"
    else:
        return None
    return {"rubrik": heading, "text": text}


def _vote_context(meeting: Sammantrade, item: Paragraf, parti: dict[str, str]) -> dict[str, Any]:
    """The vote as a table of every voter at this § in attendance order, the sums and the
    result."""
    vote: Omrostning | None = item.omrostning
    assert vote is not None
    cast = {name: "ja" for name in vote.ja}
    cast.update({name: "nej" for name in vote.nej})
    cast.update({name: "avstår" for name in vote.avstar})
    result = vote.result(meeting.ordforande)
    rows = [
        {"namn": _with_party(name, parti), "röst": cast.get(name, "")}
        for name in participation.deciding(meeting, item)
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


def _beslutande(meeting: Sammantrade, parti: dict[str, str]) -> list[str]:
    """ "Name (party)" for everyone who decided at some §, as protocols write them: the
    ordförande marked, an ersättare with whom they served for, a § note for those who
    took part in some §§ only."""
    numbers = [p.nummer for p in meeting.paragrafer]
    found = []
    for member in participation.members(meeting):
        attended = participation.attended(meeting, member)
        if not attended:
            continue
        shown = _with_party(member.namn, parti)
        seat = member.ersatter
        if member.namn == meeting.ordforande:
            shown += ", ordförande"
        if seat is not None and seat.paragrafer is not None:
            shown += f", tjänstgörande ersättare för {seat.namn} {paragraph_span(attended)}"
        else:
            shown += f", ersätter {seat.namn}" if seat is not None else ""
            shown += f", {paragraph_span(attended)}" if attended != numbers else ""
        found.append(shown)
    return found


def _beslutande_here(meeting: Sammantrade, item: Paragraf, parti: dict[str, str]) -> list[str]:
    """Who decided this §, when that is not who answered the upprop (was seated at the
    first §): someone came or left, an ersättare took a seat, or someone had jäv."""
    here = participation.deciding(meeting, item)
    if here == participation.seated(meeting, meeting.paragrafer[0]):
        return []
    return [_with_party(name, parti) for name in here]


def _parties(meeting: Sammantrade) -> dict[str, str]:
    found = {m.namn: m.parti for m in meeting.ledamoter if m.parti}
    found.update({e.namn: e.parti for e in meeting.ersattare if e.parti})
    return found


def _with_party(name: str, parti: dict[str, str]) -> str:
    return f"{name} ({parti[name]})" if name in parti else name
