"""The YAML a secretariat writes, as typed models. No file formats here.

Keys are Swedish as the secretariat speaks them; Python names are their ASCII
spellings, mapped with aliases so `handläggare:` in YAML is `handlaggare` in code.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationInfo, field_validator

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
    arendebeskrivning: RichText = Field(
        alias="ärendebeskrivning",
        description="Brödtext i Markdown: stycken, punktlistor (-), numrerade listor (1.), "
        "*kursiv*, **fet** och enkla tabeller (| a | b |). Inget annat tolkas.",
    )
    forslag: Forslag = Field(alias="förslag", description="Förslag till beslut.")
    i_tjansten: list[Signatory] | None = Field(
        default=None,
        alias="i_tjänsten",
        min_length=1,
        description="Undertecknare (namn, titel); utelämnas för profilens standard.",
    )
    beslutsunderlag: list[PlainText] = Field(
        default_factory=list, description="Beslutsunderlag; tjänsteskrivelsen först."
    )
    bilagor: list[PlainText] = Field(default_factory=list, description="Bilagor, numreras.")
    utdrag_till: list[PlainText] = Field(
        default_factory=list, description="Roller eller enheter som ska få beslutet."
    )
    stil: HouseStyle | None = Field(default=None, description="Avvikande husstil för detta ärende.")
