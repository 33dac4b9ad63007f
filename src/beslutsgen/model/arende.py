"""The YAML a secretariat writes, as typed models. No file formats here.

Keys are Swedish as the secretariat speaks them; Python names are their ASCII
spellings, mapped with aliases so `handläggare:` in YAML is `handlaggare` in code.
"""

from __future__ import annotations

import re
from datetime import date
from pathlib import Path
from typing import Annotated, Any, Literal

from pydantic import (
    BaseModel,
    ConfigDict,
    Discriminator,
    Field,
    Tag,
    ValidationInfo,
    field_validator,
)

from beslutsgen.model.fonts import BODY_FAMILIES
from beslutsgen.model.logo import check_logo
from beslutsgen.model.text import Diarienummer, FurnitureText, PlainText, RichText


class Strict(BaseModel):
    """Unknown keys are mistakes (a typo would otherwise drop text from a legal document)."""

    model_config = ConfigDict(extra="forbid", populate_by_name=False, frozen=True)


class Signatory(Strict):
    """A person signing "I tjänsten": name over title."""

    namn: PlainText = Field(description="Namn, t.ex. Sara Lewerentz.")
    titel: PlainText = Field(description="Titel, t.ex. Regiondirektör.")


class Forslag(Strict):
    """The proposal block: who proposes, then numbered full-sentence points."""

    rubrik: PlainText = Field(
        description='Rubriken, t.ex. "Regiondirektörens förslag" eller '
        '"Arbetsutskottet föreslår att regionstyrelsen beslutar".'
    )
    punkter: list[PlainText] = Field(
        min_length=1, description="Beslutspunkterna, var och en en hel mening. Numreras i ordning."
    )


# `förslag:` is one block (a mapping) or several (a list of them). The tags name the
# branch pydantic took; they appear in error locations and the loader drops them there
# (a NUL cannot be part of a YAML key, so no key is ever mistaken for one).
BLOCK_TAG = "\x00block"
LIST_TAG = "\x00lista"
TITLE_TAG = "\x00titel"
FILE_TAG = "\x00fil"
UNION_TAGS = frozenset({BLOCK_TAG, LIST_TAG, TITLE_TAG, FILE_TAG})


def _forslag_shape(value: Any) -> str:
    return LIST_TAG if isinstance(value, list) else BLOCK_TAG


ForslagInput = Annotated[
    Annotated[Forslag, Tag(BLOCK_TAG)]
    | Annotated[Annotated[list[Forslag], Field(min_length=1)], Tag(LIST_TAG)],
    Discriminator(_forslag_shape),
]


class Bilaga(Strict):
    """A bilaga that is a file of the project: read into the handlingar and the archive."""

    titel: PlainText = Field(description='Bilagans titel, t.ex. "Ansökan om borgen".')
    fil: PlainText = Field(
        description="Filen, relativt projektets rot (mappen med beslutsgen.yaml), t.ex. "
        "bilagor/ks-2015-0246/ansokan.pdf: en PDF, eller en Office- eller ODF-fil "
        "(docx, xlsx, pptx, odt, ods, odp), inom projektet."
    )


def _bilaga_shape(value: Any) -> str:
    return FILE_TAG if isinstance(value, dict | Bilaga) else TITLE_TAG


BilagaInput = Annotated[
    Annotated[PlainText, Tag(TITLE_TAG)] | Annotated[Bilaga, Tag(FILE_TAG)],
    Discriminator(_bilaga_shape),
]


def bilaga_titel(bilaga: str | Bilaga) -> str:
    """What a bilaga is called in a list: its title, whichever way it was written."""
    return bilaga.titel if isinstance(bilaga, Bilaga) else bilaga


def proposal_blocks(forslag: Forslag | list[Forslag] | None) -> list[Forslag]:
    """The proposal blocks in order, whichever way `förslag:` was written."""
    if forslag is None:
        return []
    return list(forslag) if isinstance(forslag, list) else [forslag]


_NUMBERED = re.compile(r"enligt förslag\s*:?\s*\[[\d,\s]*\]", re.IGNORECASE)


def check_beslut(value: str) -> str:
    """`beslut: enligt förslag: [1]` would be printed as it stands; the blocks adopted
    are named with a key of their own."""
    if _NUMBERED.fullmatch(value.strip()):
        raise ValueError(
            "skriv blocken som antas med en egen nyckel på paragrafen: enligt_förslag: [1] "
            "(och utelämna beslut:)"
        )
    return value


class Avsnitt(Strict):
    """One section of a tjänsteskrivelse under a heading of its own (Ekonomiska
    konsekvenser, Barnkonsekvensanalys)."""

    rubrik: PlainText = Field(description="Avsnittets rubrik, t.ex. Ekonomiska konsekvenser.")
    text: RichText = Field(description="Avsnittets text (Markdown som i ärendebeskrivning).")


ListStyle = Literal["och", "komma"]


class HouseStyle(Strict):
    """Organisation-wide look: the profile sets it, a case may override single values."""

    typsnitt: PlainText | None = Field(
        default=None, description="Typsnitt i PDF och DOCX (medföljande: Source Sans Pro)."
    )
    typsnitt_docx: PlainText | None = Field(
        default=None,
        description="Typsnitt som DOCX anger om det ska skilja sig från PDF, t.ex. Arial.",
    )
    storlek: float | None = Field(
        default=None, ge=8, le=16, description="Brödtextens storlek i punkter (8–16)."
    )
    logotyp: PlainText | None = Field(
        default=None, description="Sökväg till logotyp (PNG eller JPEG), relativt filen den står i."
    )
    uppräkning: ListStyle | None = Field(
        default=None,
        description='Hur "Utdrag till" räknas upp: "och" (a, b och c) eller "komma" (a, b, c).',
    )

    @field_validator("logotyp")
    @classmethod
    def _logo_file(cls, value: str | None, info: ValidationInfo) -> str | None:
        """Resolved against the file it is written in; must be a whole PNG or JPEG."""
        if value is None:
            return None
        base = Path((info.context or {}).get("base_dir", "."))
        path = (base / value).resolve()
        if not path.exists():
            raise ValueError(f"logotypen {value!r} finns inte (sökt som {path})")
        check_logo(path, value)
        return str(path)

    @field_validator("typsnitt")
    @classmethod
    def _bundled_font(cls, value: str | None) -> str | None:
        """The PDF can only use fonts that ship with the install (PDF/A embeds them)."""
        if value is not None and value not in BODY_FAMILIES:
            raise ValueError(
                f"typsnittet {value!r} följer inte med beslutsgen, så PDF:en kan inte använda det; "
                f"välj {', '.join(BODY_FAMILIES)} (eget typsnitt i Word anges med typsnitt_docx)"
            )
        return value


class Arende(Strict):
    """One ärende and its tjänsteskrivelse (seeds 001 and 004)."""

    typ: Literal["tjänsteskrivelse"] = Field(description="Dokumenttyp: tjänsteskrivelse.")
    organisation: FurnitureText | None = Field(
        default=None, description="Organisationens namn; utelämnas normalt (hämtas från profilen)."
    )
    organ: FurnitureText = Field(description="Beslutande organ, t.ex. Regionstyrelsen.")
    diarienummer: Diarienummer = Field(description='T.ex. "RS/595/2023" eller "RS 552-2025".')
    datum: date = Field(description="Tjänsteskrivelsens datum, ÅÅÅÅ-MM-DD.")
    avdelning: FurnitureText = Field(description="T.ex. Sekretariatet Regionstyrelsen.")
    handlaggare: FurnitureText = Field(alias="handläggare", description="Handläggarens namn.")
    rubrik: PlainText = Field(description="Ärendets rubrik.")
    sammanfattning: RichText | None = Field(
        default=None,
        description="Sammanfattning (Markdown som i ärendebeskrivning); protokollets "
        "paragraf visar den i stället för ärendebeskrivningen.",
    )
    arendebeskrivning: RichText | None = Field(
        default=None,
        alias="ärendebeskrivning",
        description="Brödtext i Markdown: stycken, punktlistor (-), numrerade listor (1.), "
        "*kursiv*, **fet** och enkla tabeller (| a | b |). Inget annat tolkas. Krävs om "
        "ärendet varken har sammanfattning eller avsnitt.",
    )
    avsnitt: list[Avsnitt] = Field(
        default_factory=list,
        description="Fler avsnitt i ordning, var och ett {rubrik, text}, t.ex. Ekonomiska "
        "konsekvenser; profilen kan kräva vissa rubriker.",
    )
    forslag: ForslagInput = Field(
        alias="förslag",
        description="Förslag till beslut: ett block {rubrik, punkter}, eller en lista av "
        "block (var och en med egen rubrik, numreras från 1).",
    )
    i_tjansten: list[Signatory] | None = Field(
        default=None,
        alias="i_tjänsten",
        min_length=1,
        description="Undertecknare (namn, titel); utelämnas för profilens standard.",
    )
    beslutsunderlag: list[PlainText] = Field(
        default_factory=list, description="Beslutsunderlag; tjänsteskrivelsen först."
    )
    bilagor: list[BilagaInput] = Field(
        default_factory=list,
        description="Bilagor, numreras: en titel, eller {titel, fil} för en bilaga som är en "
        "fil i projektet (den kommer med i sammanträdeshandlingarna och arkivet).",
    )
    utdrag_till: list[PlainText] = Field(
        default_factory=list, description="Roller eller enheter som ska få beslutet."
    )
    stil: HouseStyle | None = Field(default=None, description="Avvikande husstil för detta ärende.")

    @property
    def forslagen(self) -> list[Forslag]:
        """The proposal blocks in order (one when `förslag:` is a single mapping)."""
        return proposal_blocks(self.forslag)
