"""JSON Schema of the YAML files (for editors) and a commented skeleton to start from:
the organisation's own organ, signatories and wording when there is a profile."""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

from pydantic import BaseModel

from beslutsgen.model.anmalan import DelegationsbeslutFil
from beslutsgen.model.arende import Arende
from beslutsgen.model.profile import Profile
from beslutsgen.model.sammantrade import Sammantrade

MODELS: dict[str, type[BaseModel]] = {
    "arende": Arende,
    "profil": Profile,
    "sammantrade": Sammantrade,
    "delegationsbeslut": DelegationsbeslutFil,
}

SKELETONS = {
    "arende": """\
# yaml-language-server: $schema=../schema/arende.schema.json
# Ett ärende: beslutsgen gör en tjänsteskrivelse av det (DOCX och PDF).
typ: tjänsteskrivelse
organ: Regionstyrelsen
diarienummer: RS/1/2026            # som i diariet, t.ex. RS/595/2023 eller RS 552-2025
datum: 2026-01-15                  # ÅÅÅÅ-MM-DD
avdelning: Sekretariatet Regionstyrelsen
handläggare: Förnamn Efternamn
rubrik: Ärendets rubrik
ärendebeskrivning: |
  Brödtext i stycken. Tom rad mellan styckena.

  - punktlista med bindestreck
  - *kursiv* och **fet** går att använda

  | Post | Belopp (tkr) |
  |---|---:|
  | Exempel | 1 000 |
förslag:
  rubrik: Regiondirektörens förslag
  punkter:
    - Första beslutspunkten som en hel mening.
# i_tjänsten: utelämna för profilens undertecknare, eller
# i_tjänsten:
#   - {namn: Förnamn Efternamn, titel: Regiondirektör}
beslutsunderlag:
  - Tjänsteskrivelse
bilagor: []
utdrag_till:
  - Regionstabschef
""",
    "meeting": """\
# yaml-language-server: $schema=../schema/sammantrade.schema.json
# Ett sammanträde: organ, närvaro och paragraferna i ordning.
typ: sammanträde
organ: Regionstyrelsen
datum: 2026-01-27                  # ÅÅÅÅ-MM-DD
tid: "09.00–12.00"
plats: Regionens hus, Östersund
ordförande: Förnamn Efternamn
sekreterare: Förnamn Efternamn
ledamöter:                         # tjänstgörande; en ersättare skrivs med ersätter:
  - {namn: Ledamot Ett, parti: S}
  - {namn: Ledamot Två, parti: M, ersätter: Ordinarie Ledamot}
ersättare: []                      # ej tjänstgörande ersättare
justerare: [Ledamot Ett]
justering: {datum: 2026-02-02, plats: "Regionens hus, Östersund"}
anslag: 2026-02-03                 # utelämnad planeras den: första vardagen efter justeringen
förvaringsplats: Regionens hus, Kansliet, Östersund   # eller en gång för alla i profilen
paragrafer:
  - nummer: 1
    ärende: RS/1/2026              # ärendets diarienummer (eller sökväg till filen)
    beslut: enligt förslag         # eller beslutstexten
    # föredragande: Förnamn Efternamn   # i kallelsen; utelämnas för ärendets handläggare
""",
}


@dataclass(frozen=True)
class Wording:
    """What an organisation of one kind calls things: its organs (name, number of members;
    the styrelse first), the head of its administration and the proposal heading."""

    organs: tuple[tuple[str, int], ...]
    chef: str
    forslag: str
    prefix: str  # of its diarienummer
    hus: str  # where it meets

    @property
    def styrelse(self) -> str:
        return self.organs[0][0]


KOMMUN = Wording(
    organs=(
        ("Kommunstyrelsen", 13),
        ("Kommunfullmäktige", 51),
        ("Kommunstyrelsens arbetsutskott", 5),
    ),
    chef="Kommundirektör",
    forslag="Kommundirektörens förslag",
    prefix="KS",
    hus="Kommunhuset",
)
REGION = Wording(
    organs=(
        ("Regionstyrelsen", 13),
        ("Regionfullmäktige", 71),
        ("Hälso- och sjukvårdsnämnden", 13),
    ),
    chef="Regiondirektör",
    forslag="Regiondirektörens förslag",
    prefix="RS",
    hus="Regionens hus",
)
OTHER = Wording(
    organs=(("Styrelsen", 9), ("Fullmäktige", 31)),
    chef="Förvaltningschef",
    forslag="Förvaltningens förslag",
    prefix="STY",
    hus="Huvudkontoret",
)


def wording(organisation: str) -> Wording:
    """A kommun by its name ("Tyresö kommun", "Kommunalförbundet" is not one), a region by
    its first word ("Region Gotland"); anything else gets the neutral words."""
    words = organisation.casefold().split()
    if "kommun" in words or any(w.endswith("kommun") for w in words):
        return KOMMUN
    if words[:1] == ["region"]:
        return REGION
    return OTHER


def skeleton(kind: str, profile: Profile | None = None) -> str:
    """The skeleton of `kind`; with a profile in the organisation's own words: its first
    styrelse (else first organ), its signatories and address book, its number of members."""
    if profile is None:
        return SKELETONS[kind]
    words = wording(profile.organisation)
    organs = list(profile.organ)
    organ = next((o for o in organs if "styrelse" in o.casefold()), organs[0] if organs else "")
    organ = organ or words.styrelse
    if kind == "arende":
        return _arende_skeleton(profile, words, organ)
    known = profile.organ.get(organ)
    return _meeting_skeleton(profile, words, organ, known.ledamoter if known else None)


def _arende_skeleton(profile: Profile, words: Wording, organ: str) -> str:
    signers = ", ".join(f"{s.namn}, {s.titel}" for s in profile.i_tjansten)
    title = profile.i_tjansten[0].titel if profile.i_tjansten else words.chef
    role = next(iter(profile.adressbok), title)
    shown = f" ({signers})" if signers else ""
    return _replace(
        SKELETONS["arende"],
        {
            "organ: Regionstyrelsen": f"organ: {scalar(organ)}",
            "RS/1/2026": f"{words.prefix}/1/2026",
            "avdelning: Sekretariatet Regionstyrelsen": "avdelning: "
            + scalar(f"Sekretariatet {organ}"),
            "rubrik: Regiondirektörens förslag": f"rubrik: {scalar(words.forslag)}",
            "profilens undertecknare,": f"profilens undertecknare{shown},",
            "titel: Regiondirektör}": f"titel: {title}}}",
            "  - Regionstabschef\n": f"  - {scalar(role)}\n",
        },
    )


NUMBERS = ("Tre", "Fyra", "Fem", "Sex", "Sju", "Åtta", "Nio", "Tio", "Elva", "Tolv")


def _meeting_skeleton(profile: Profile, words: Wording, organ: str, members: int | None) -> str:
    """Enough ledamöter for a quorum (more than half, KL 6 kap. 35 §) when the profile
    gives the organ's number of members."""
    extra = "".join(
        f"  - {{namn: Ledamot {NUMBERS[n] if n < len(NUMBERS) else n + 3}, parti: S}}\n"
        for n in range(max(0, (members or 0) // 2 + 1 - 2))
    )
    comment = "   # eller en gång för alla i profilen\n"
    keep = "förvaringsplats: Regionens hus, Kansliet, Östersund" + comment
    place = f"förvaringsplats: {words.hus}, Kansliet, Ort" + comment
    return _replace(
        SKELETONS["meeting"],
        {
            "organ: Regionstyrelsen": f"organ: {scalar(organ)}",
            "plats: Regionens hus, Östersund": f"plats: {words.hus}, Ort",
            '"Regionens hus, Östersund"': f'"{words.hus}, Ort"',
            "RS/1/2026": f"{words.prefix}/1/2026",
            "ersätter: Ordinarie Ledamot}\n": "ersätter: Ordinarie Ledamot}\n" + extra,
            keep: "" if profile.forvaringsplats else place,
        },
    )


def _replace(text: str, changes: dict[str, str]) -> str:
    for old, new in changes.items():
        assert old in text, old  # the default skeleton and these changes go together
        text = text.replace(old, new)
    return text


def scalar(text: str) -> str:
    """`text` as a YAML scalar: plain when it reads back as itself, else double-quoted."""
    plain = text and text[0].isalpha() and not any(c in text for c in ":#{}[],&*!|>'\"%@`")
    return text if plain else json.dumps(text, ensure_ascii=False)


def json_schema(kind: str) -> dict[str, Any]:
    """The JSON Schema of one file kind, by its YAML (alias) names."""
    schema: dict[str, Any] = MODELS[kind].model_json_schema(by_alias=True, mode="validation")
    schema["$schema"] = "https://json-schema.org/draft/2020-12/schema"
    return schema


def json_schema_text(kind: str) -> str:
    return json.dumps(json_schema(kind), ensure_ascii=False, indent=2, sort_keys=True) + "\n"
