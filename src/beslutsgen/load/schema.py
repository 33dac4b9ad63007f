"""JSON Schema of the YAML files (for editors) and a commented skeleton to start from."""

from __future__ import annotations

import json
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


def json_schema(kind: str) -> dict[str, Any]:
    """The JSON Schema of one file kind, by its YAML (alias) names."""
    schema: dict[str, Any] = MODELS[kind].model_json_schema(by_alias=True, mode="validation")
    schema["$schema"] = "https://json-schema.org/draft/2020-12/schema"
    return schema


def json_schema_text(kind: str) -> str:
    return json.dumps(json_schema(kind), ensure_ascii=False, indent=2, sort_keys=True) + "\n"
