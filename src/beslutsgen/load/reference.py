"""The YAML reference in docs/, written from the models so it cannot drift from them."""

from __future__ import annotations

import types
import typing
from datetime import date
from typing import Any

from pydantic import AfterValidator, BaseModel, BeforeValidator
from pydantic.fields import FieldInfo

from beslutsgen.model import sammantrade as meeting_model
from beslutsgen.model import text as textfields
from beslutsgen.model.adressbok import Avsandare, Expediering, Mottagare, Smtp, check_address
from beslutsgen.model.anmalan import Delegationsbeslut, DelegationsbeslutFil, Meddelande
from beslutsgen.model.arende import Arende, Avsnitt, Forslag, HouseStyle, Signatory
from beslutsgen.model.profile import Arkiv, Granser, Organ, Profile, TjansteskrivelseMall
from beslutsgen.model.sammantrade import (
    Ersattare,
    Ersatter,
    Handlingar,
    Justering,
    Ledamot,
    OmedelbarJustering,
    Omrostning,
    OvrigNarvarande,
    Paragraf,
    Protokollsanteckning,
    Reservation,
    Sammantrade,
    Yrkande,
)

SECTIONS: tuple[tuple[str, type[BaseModel], str], ...] = (
    ("Ärende (`decisions/*.yaml`)", Arende, "En fil per ärende; blir en tjänsteskrivelse."),
    (
        "förslag",
        Forslag,
        "Förslag till beslut: ett block, eller en lista av block (t.ex. ett till "
        "fullmäktige och ett för egen del), vart och ett numrerat från 1.",
    ),
    ("avsnitt (ett avsnitt)", Avsnitt, "Ett avsnitt med egen rubrik, i ordning."),
    ("i_tjänsten (en person)", Signatory, "Undertecknare."),
    ("stil", HouseStyle, "Husstil; i profilen för alla ärenden, i ett ärende för just det."),
    (
        "Sammanträde (`decisions/*.yaml` med `typ: sammanträde`)",
        Sammantrade,
        "En fil per sammanträde: närvaro, justering och paragraferna i ordning.",
    ),
    ("ledamöter (en person)", Ledamot, "Tjänstgörande ledamot eller tjänstgörande ersättare."),
    (
        "ersätter",
        Ersatter,
        "Vem en tjänstgörande ersättare ersätter, och vid vilka §; `ersätter: Namn` räcker "
        "för hela sammanträdet.",
    ),
    ("ersättare (en person)", Ersattare, "Ej tjänstgörande ersättare."),
    ("övriga_närvarande (en person)", OvrigNarvarande, "Närvarande som inte beslutar."),
    ("justering", Justering, "Protokollets justering."),
    (
        "omedelbar_justering",
        OmedelbarJustering,
        "Anslaget för de omedelbart justerade paragraferna, som tillkännages för sig.",
    ),
    ("paragrafer (en paragraf)", Paragraf, "Ett ärende på sammanträdet och vad som beslutades."),
    ("yrkanden (ett yrkande)", Yrkande, "Yrkande under sammanträdet."),
    (
        "omröstning",
        Omrostning,
        "Öppen omröstning: varje tjänstgörande ledamot utan jäv står under ja, nej eller "
        "avstår, en gång.",
    ),
    ("reservationer (en reservation)", Reservation, "Reservation mot beslutet."),
    ("protokollsanteckningar (en anteckning)", Protokollsanteckning, "Protokollsanteckning."),
    (
        "delegationsbeslut (ett beslut)",
        Delegationsbeslut,
        "Ett anmält delegationsbeslut: bara diarienumret (`- RS/12/2026`) när beslutet är en "
        "egen fil i decisions/, annars alla uppgifter.",
    ),
    ("meddelanden (ett meddelande)", Meddelande, "Ett meddelande till organet."),
    ("handlingar", Handlingar, "Handlingar som inte följer med kallelsen."),
    (
        "Delegationsbeslut (`decisions/*.yaml` med `typ: delegationsbeslut`)",
        DelegationsbeslutFil,
        "Ett beslut fattat på delegation, som en paragraf anmäler med diarienumret.",
    ),
    ("Profil (`beslutsgen.yaml`)", Profile, "Det organisationen delar; ligger i projektets rot."),
    (
        "adressbok (en mottagare)",
        Mottagare,
        "Under varje roll i adressboken: en eller flera mottagare, med e-post eller post.",
    ),
    (
        "tjänsteskrivelse",
        TjansteskrivelseMall,
        "Tjänsteskrivelsens upplägg: delarnas ordning och de avsnitt varje ärende måste ha.",
    ),
    ("expediering", Expediering, "Hur utdrag skickas."),
    ("avsändare", Avsandare, "Avsändaren av e-post med utdrag."),
    ("smtp", Smtp, "E-postservern; inloggningen kommer bara från miljövariabler."),
    ("arkiv", Arkiv, "Vad arkiveringen litar på."),
    ("organ (ett organ)", Organ, "Ett av organisationens organ."),
    ("gränser", Granser, "Gränser för filer som läses."),
)
VALIDATOR_NAMES = {
    textfields.clean_plain: "text (en rad)",
    textfields.clean_rich: "rik text (Markdown: stycken, listor, *kursiv*, **fet**, tabeller)",
    textfields.clean_dnr: "diarienummer",
    textfields.clean_furniture: "text (en rad, högst 150 tecken: står i sidhuvud eller sidfot)",
    meeting_model.clean_tid: "tid (09.00–15.30)",
    meeting_model.parse_paragrafer: "paragrafer (§§ 196–197, § 198 eller [196, 198])",
    check_address: "e-postadress",
}


def type_name(annotation: Any, metadata: list[Any]) -> str:
    """A type as a secretariat user would call it."""
    for item in metadata:
        if isinstance(item, AfterValidator | BeforeValidator) and item.func in VALIDATOR_NAMES:
            return VALIDATOR_NAMES[item.func]
    origin = typing.get_origin(annotation)
    args = typing.get_args(annotation)
    if origin is typing.Annotated:
        return type_name(args[0], list(args[1:]))
    if origin in (typing.Union, types.UnionType):
        return " eller ".join(type_name(a, []) for a in args if a is not type(None))
    if origin is list:
        return f"lista av {type_name(args[0], [])}"
    if origin is dict:
        return f"mappning: {type_name(args[0], [])} → {type_name(args[1], [])}"
    if origin is typing.Literal:
        return "ett av: " + ", ".join(f"`{a}`" for a in args)
    if annotation is date:
        return "datum (ÅÅÅÅ-MM-DD)"
    if annotation is float:
        return "tal"
    if annotation is int:
        return "heltal"
    if annotation is bool:
        return "true eller false"
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return f"mappning ({annotation.__name__})"
    if annotation is str:
        return "text"
    return str(annotation)


def _row(name: str, info: FieldInfo) -> str:
    required = "ja" if info.is_required() else "nej"
    description = (info.description or "").replace("|", "\\|")
    kind = type_name(info.annotation, list(info.metadata))
    return f"| `{info.alias or name}` | {kind} | {required} | {description} |"


def markdown() -> str:
    """docs/yaml-reference.md."""
    lines = [
        "# YAML-referens",
        "",
        "Genererad från modellerna (`python tools/make_docs.py`); ändra inte för hand.",
        "All text visas ordagrant: inget i ett värde tolkas som mall, Typst, XML eller Markdown",
        "utöver vad fälten av typen rik text lovar. Styrtecken avvisas.",
        "",
    ]
    for title, model, intro in SECTIONS:
        lines += [
            f"## {title}",
            "",
            intro,
            "",
            "| nyckel | typ | krävs | beskrivning |",
            "|---|---|---|---|",
        ]
        lines += [_row(name, info) for name, info in model.model_fields.items()]
        lines.append("")
    return "\n".join(lines)
