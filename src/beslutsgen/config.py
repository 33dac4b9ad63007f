"""The organisation profile `beslutsgen.yaml`: values shared by every case."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from pydantic import Field

from beslutsgen.addressbook import Adressbok, Expediering
from beslutsgen.inputfiles import DEFAULT_YAML_LIMIT, MEGABYTE
from beslutsgen.model import HouseStyle, ListStyle, Signatory, Strict
from beslutsgen.textfields import FurnitureText, PlainText

PROFILE_NAME = "beslutsgen.yaml"
DEFAULT_FONT = "Source Sans Pro"


class Arkiv(Strict):
    """What archiving trusts: the roots a signer's certificate must chain to."""

    betrodda_rotcertifikat: list[PlainText] = Field(
        min_length=1,
        description="Rotcertifikat (PEM eller DER) som signaturer måste leda till; "
        "sökvägar relativt projektets rot.",
    )


class Granser(Strict):
    """Limits on what beslutsgen reads: a mistaken or hostile file is refused before it is
    read, never half-read or read until memory runs out."""

    yamlfil_mb: float = Field(
        default=DEFAULT_YAML_LIMIT / MEGABYTE,
        ge=0.1,
        le=1000,
        description="Största YAML-fil (ärende, sammanträde) i MB; större filer läses inte. "
        "Profilen själv läses alltid med standardgränsen 2 MB.",
    )

    @property
    def yaml_bytes(self) -> int:
        return int(self.yamlfil_mb * MEGABYTE)


class Profile(Strict):
    """What the whole organisation shares: name, default signatories, house style."""

    organisation: FurnitureText = Field(
        description="Organisationens namn, t.ex. Region Jämtland Härjedalen."
    )
    organisationsnummer: PlainText | None = Field(
        default=None,
        description="Organisationsnumret, t.ex. 232100-0214; arkivpaket anger arkivbildaren "
        "med det (krävs för beslutsgen archive).",
    )
    i_tjansten: list[Signatory] = Field(
        default_factory=list, alias="i_tjänsten", description="Standardundertecknare."
    )
    stil: HouseStyle = Field(default_factory=HouseStyle, description="Husstil.")
    adressbok: Adressbok = Field(
        default_factory=dict,
        description="Roll eller enhet (som i utdrag_till och expedieras_till) → mottagare "
        "med e-post eller postadress.",
    )
    expediering: Expediering | None = Field(
        default=None, description="Avsändare och e-postserver för beslutsgen distribute."
    )
    arkiv: Arkiv | None = Field(
        default=None, description="Arkivering av signerade protokoll (beslutsgen archive)."
    )
    granser: Granser = Field(
        default_factory=Granser, alias="gränser", description="Gränser för filer som läses."
    )
    forvaringsplats: PlainText | None = Field(
        default=None,
        alias="förvaringsplats",
        description="Var justerade protokoll förvaras, t.ex. Regionens hus, Kansliet, "
        "Östersund (anslagsbeviset).",
    )


@dataclass(frozen=True)
class Style:
    """House style with every value decided (profile, then case override, then default).

    `docx_font` None means "as reference.docx says", so a restyled reference wins
    unless the profile names a font.
    """

    font: str
    docx_font: str | None
    size: float
    logo: Path | None
    list_style: ListStyle


def resolve_style(profile: HouseStyle, override: HouseStyle | None) -> Style:
    """Merge profile and case style; a case value wins where it is set."""
    merged = profile.model_copy(update=override.model_dump(exclude_none=True) if override else {})
    font = merged.typsnitt or DEFAULT_FONT
    return Style(
        font=font,
        docx_font=merged.typsnitt_docx or merged.typsnitt,
        size=merged.storlek or 11.0,
        logo=Path(merged.logotyp) if merged.logotyp else None,
        list_style=merged.uppräkning or "och",
    )
