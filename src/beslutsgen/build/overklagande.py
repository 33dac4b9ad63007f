"""Upplysning om hur man överklagar: the standard texts, with the dates filled in.

Two ways a decision of a kommun or region is appealed:
- laglighetsprövning (KL 13 kap.): any member of the kommun or region, to the
  förvaltningsrätt, within three weeks of the day the justering of the protocol was
  announced on the anslagstavla; only the grounds given within that time are tried
  (13 kap. 6 §), and a decision is set aside only on the grounds in 13 kap. 8 §;
- förvaltningsbesvär (FL 40–45 §§): the party the decision goes against, in writing to
  the organ that decided, within three weeks of the day the party received it (44 §).
The wording is beslutsgen's own; templates can override it.
"""

from __future__ import annotations

from datetime import date

from beslutsgen.build.templates import long_date

LAGLIGHETSPROVNING = "laglighetsprövning"
FORVALTNINGSBESVAR = "förvaltningsbesvär"


def members_word(organisation: str) -> str:
    """ "kommunen" or "regionen": whose members may ask for laglighetsprövning."""
    return "kommunen" if "kommun" in organisation.casefold() else "regionen"


def court(name: str | None) -> str:
    return name or "förvaltningsrätten"


def laglighetsprovning(
    organisation: str, forvaltningsratt: str | None, anslag: date, sista_dag: date
) -> list[str]:
    """The paragraphs of the information on laglighetsprövning, for one anslag."""
    return [
        f"Den som är medlem i {members_word(organisation)} kan överklaga beslutet genom "
        f"laglighetsprövning hos {court(forvaltningsratt)} (13 kap. kommunallagen).",
        f"Överklagandet ska ha kommit in till {court(forvaltningsratt)} inom tre veckor från "
        "den dag då justeringen av protokollet tillkännagavs på anslagstavlan, "
        f"{long_date(anslag)}. Sista dag för överklagande är {long_date(sista_dag)}.",
        *permanent(),
    ]


def general(organisation: str, forvaltningsratt: str | None) -> list[str]:
    """The permanent information on laglighetsprövning, for an anslagsbevis or the
    anslagstavla: who, what, within which time, where to, and on which grounds."""
    return [
        f"Den som är medlem i {members_word(organisation)} kan överklaga besluten i "
        f"protokollet genom laglighetsprövning hos {court(forvaltningsratt)} (13 kap. "
        "kommunallagen). Överklagandet ska ha kommit in till förvaltningsrätten inom tre "
        "veckor från den dag då justeringen av protokollet tillkännagavs på anslagstavlan "
        "(se sista dag för överklagande ovan).",
        *permanent(),
    ]


def permanent() -> list[str]:
    """What every tillkännagivande carries: the grounds, and that all must come in time."""
    return [
        "Ange vilket beslut som överklagas (organ, sammanträdesdatum och paragraf) och "
        "varför. Beslutet kan upphävas om det inte har kommit till på lagligt sätt, om det "
        "inte hör till kommunens eller regionens angelägenheter, om organet har överskridit "
        "sina befogenheter eller om beslutet strider mot lag eller annan författning "
        "(13 kap. 8 § kommunallagen).",
        "Alla skäl för överklagandet ska ha angetts inom överklagandetiden; skäl som kommer "
        "in senare prövas inte (13 kap. 6 § kommunallagen).",
    ]


def forvaltningsbesvar(organ: str, organisation: str, postadress: str | None) -> list[str]:
    """The paragraphs of the information on förvaltningsbesvär (FL 40–45 §§)."""
    where = f"{organ}, {organisation}" + (f", {postadress}" if postadress else "")
    return [
        "Den som beslutet angår kan överklaga det, om beslutet har gått hen emot "
        "(40–42 §§ förvaltningslagen).",
        f"Överklagandet ska vara skriftligt och ha kommit in till {where} inom tre veckor från "
        "den dag då klaganden fick del av beslutet (44 § förvaltningslagen).",
        f"Skriv vilket beslut som överklagas och vilken ändring som begärs. {organ} prövar "
        "om överklagandet har kommit in i rätt tid och skickar det sedan vidare till "
        "förvaltningsrätten.",
    ]
