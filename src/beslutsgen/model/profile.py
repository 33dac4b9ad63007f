"""The organisation profile `beslutsgen.yaml`: values shared by every case."""

from __future__ import annotations

import difflib
from dataclasses import dataclass
from pathlib import Path
from typing import Annotated

from pydantic import AfterValidator, Field, field_validator
from pydantic.config import JsonDict

from beslutsgen.inputfiles import DEFAULT_YAML_LIMIT, MEGABYTE
from beslutsgen.model.adressbok import Adressbok, Expediering
from beslutsgen.model.arende import HouseStyle, ListStyle, Signatory, Strict
from beslutsgen.model.text import FurnitureText, PlainText

PROFILE_NAME = "beslutsgen.yaml"
DEFAULT_FONT = "Source Sans Pro"


class Sigill(Strict):
    """The organisation's archive seal: the key each package's METS.xml is sealed with."""

    p12: PlainText = Field(
        description="Arkivsigillets nyckel och certifikat (PKCS#12); sökväg relativt "
        "projektets rot. Lösenordet läses ur miljövariabeln BESLUTSGEN_SIGILL_PASSWORD.",
    )

    @field_validator("p12")
    @classmethod
    def _p12_path(cls, value: str) -> str:
        """Relative to the project root, inside it; the file itself is read when archiving
        (the demo makes it after the profile is first validated)."""
        path = Path(value)
        if path.is_absolute() or ".." in path.parts or path.suffix.lower() not in (".p12", ".pfx"):
            raise ValueError(
                f"arkivsigillet {value!r} ska vara en PKCS#12-fil (.p12 eller .pfx) med "
                "sökväg inom projektet, relativt dess rot"
            )
        return value


class Arkiv(Strict):
    """What archiving trusts (the roots a signer's certificate must chain to) and the seal
    it puts on every package."""

    betrodda_rotcertifikat: list[PlainText] = Field(
        min_length=1,
        description="Rotcertifikat (PEM eller DER) som signaturer måste leda till; "
        "sökvägar relativt projektets rot.",
    )
    sigill: Sigill | None = Field(
        default=None,
        description="Arkivsigillet som varje pakets METS.xml förseglas med (krävs för "
        "beslutsgen archive); certifikatet ska leda till en av de betrodda rötterna.",
    )


class Organ(Strict):
    """One of the organisation's decision-making bodies, as far as the checks need it."""

    ledamoter: int = Field(
        alias="ledamöter",
        ge=1,
        le=1000,
        description="Antal ledamöter (ordinarie platser); ett sammanträde är beslutfört "
        "när fler än hälften tjänstgör (KL 6 kap. 35 §).",
    )
    kallas: list[PlainText] = Field(
        default_factory=list,
        description="Roller i adressboken som får kallelsen och handlingarna (beslutsgen "
        'distribute --kallelse), t.ex. ["Ledamöter i regionstyrelsen", "Ersättare i '
        'regionstyrelsen"].',
    )
    fullmaktige: bool | None = Field(
        default=None,
        alias="fullmäktige",
        description="true för kommun- eller regionfullmäktige, vars sammanträden "
        "tillkännages på anslagstavlan minst en vecka före (KL 5 kap. 11 §); utelämnas: "
        "organ vars namn slutar på fullmäktige.",
    )


DEFAULT_BILAGA_MB = 50.0
# The schema's mark on what is never published (beslutsgen publish).
INTERNAL: JsonDict = {"x-intern": True}


class Anslagstavla(Strict):
    """The digital anslagstavla beslutsgen publish builds (KL 8 kap. 9–12 §§)."""

    rubrik: FurnitureText = Field(
        default="Anslagstavla", description="Anslagstavlans rubrik på webbplatsen."
    )
    webbadress: PlainText | None = Field(
        default=None,
        description="Adressen där anslagstavlan publiceras, t.ex. "
        "https://www.regionjh.se/anslagstavla/ (ger Atom-flödet fasta adresser).",
    )
    behall_nedtagna: bool = Field(
        default=True,
        alias="behåll_nedtagna",
        description="true: tillkännagivanden vars tid gått ut visas i ett arkiv på "
        "webbplatsen; false: de tas bort helt.",
    )

    @field_validator("webbadress")
    @classmethod
    def _https(cls, value: str | None) -> str | None:
        """An absolute http(s) address ending in a slash, so page links join onto it."""
        if value is None:
            return None
        if not value.startswith(("https://", "http://")) or " " in value:
            raise ValueError(f"{value!r} är ingen webbadress; skriv t.ex. https://www.x.se/anslag/")
        return value if value.endswith("/") else value + "/"


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

    bilaga_mb: float = Field(
        default=DEFAULT_BILAGA_MB,
        ge=0.1,
        le=2000,
        description="Största bilaga (en fil i bilagor) i MB; större filer tas inte med.",
    )

    @property
    def yaml_bytes(self) -> int:
        return int(self.yamlfil_mb * MEGABYTE)

    @property
    def bilaga_bytes(self) -> int:
        return int(self.bilaga_mb * MEGABYTE)


# The parts of a tjänsteskrivelse a profile can order, by their YAML keys, in the order
# of the region's documents (the default). The rubrik always comes first.
PARTS = (
    "sammanfattning",
    "ärendebeskrivning",
    "avsnitt",
    "förslag",
    "i_tjänsten",
    "beslutsunderlag",
    "bilagor",
    "utdrag_till",
)


def _known_part(value: str) -> str:
    if value not in PARTS:
        guess = difflib.get_close_matches(value, PARTS, n=1, cutoff=0.6)
        hint = f"menade du {guess[0]!r}?" if guess else f"delarna är {', '.join(PARTS)}"
        raise ValueError(f"okänd del {value!r} i tjänsteskrivelsen; {hint}")
    return value


def fold_heading(text: str) -> str:
    """A heading as headings are compared: case and runs of white space do not count."""
    return " ".join(text.split()).casefold()


class TjansteskrivelseMall(Strict):
    """How the organisation's tjänsteskrivelser are laid out: the order of the parts and
    the headings every case must have."""

    ordning: list[Annotated[PlainText, AfterValidator(_known_part)]] = Field(
        default_factory=lambda: list(PARTS),
        min_length=1,
        description="Delarnas ordning efter rubriken, med ärendets nycklar: "
        + ", ".join(PARTS)
        + ". Delar som inte står med följer efter, i den ordningen.",
    )
    obligatoriska_avsnitt: list[PlainText] = Field(
        default_factory=list,
        description="Rubriker som varje ärende måste ha bland sina avsnitt, t.ex. "
        "[Ekonomiska konsekvenser, Barnkonsekvensanalys]; stora och små bokstäver räknas lika.",
    )

    @field_validator("ordning")
    @classmethod
    def _once(cls, value: list[str]) -> list[str]:
        repeated = sorted({part for part in value if value.count(part) > 1}, key=value.index)
        if repeated:
            raise ValueError(f"{', '.join(map(repr, repeated))} står mer än en gång; en gång var")
        return value

    @field_validator("obligatoriska_avsnitt")
    @classmethod
    def _distinct(cls, value: list[str]) -> list[str]:
        folded = [fold_heading(v) for v in value]
        repeated = [v for i, v in enumerate(value) if folded[i] in folded[:i]]
        if repeated:
            raise ValueError(f"rubriken {repeated[0]!r} står mer än en gång")
        return value

    @property
    def parts(self) -> list[str]:
        """Every part in order: the listed ones, then the rest in the default order."""
        return [*self.ordning, *(part for part in PARTS if part not in self.ordning)]


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
    tjanssteskrivelse: TjansteskrivelseMall = Field(
        default_factory=TjansteskrivelseMall,
        alias="tjänsteskrivelse",
        description="Tjänsteskrivelsens upplägg: {ordning: [...], obligatoriska_avsnitt: [...]}.",
    )
    adressbok: Adressbok = Field(
        default_factory=dict,
        json_schema_extra=INTERNAL,
        description="Roll eller enhet (som i utdrag_till och expedieras_till) → mottagare "
        "med e-post eller postadress.",
    )
    expediering: Expediering | None = Field(
        default=None,
        json_schema_extra=INTERNAL,
        description="Avsändare och e-postserver för beslutsgen distribute."
    )
    arkiv: Arkiv | None = Field(
        default=None,
        json_schema_extra=INTERNAL,
        description="Arkivering av signerade protokoll (beslutsgen archive)."
    )
    organ: dict[FurnitureText, Organ] = Field(
        default_factory=dict,
        description="Organisationens organ (nämnder, styrelse, fullmäktige) med antal "
        "ledamöter, t.ex. Regionstyrelsen: {ledamöter: 15}; ger beslutförhetskontrollen.",
    )
    granser: Granser = Field(
        default_factory=Granser, alias="gränser", description="Gränser för filer som läses."
    )
    forvaltningsratt: PlainText | None = Field(
        default=None,
        alias="förvaltningsrätt",
        description="Förvaltningsrätten som prövar överklaganden, t.ex. Förvaltningsrätten i "
        "Härnösand (i upplysningen om laglighetsprövning).",
    )
    postadress: PlainText | None = Field(
        default=None,
        description="Organisationens postadress, dit förvaltningsbesvär skickas, t.ex. "
        "Box 654, 831 27 Östersund.",
    )
    forhinder: PlainText | None = Field(
        default=None,
        alias="förhinder",
        description="Hur förhinder anmäls, i kallelsen, t.ex. Förhinder anmäls till "
        "sekretariatet, 063-14 75 00.",
    )
    forvaringsplats: PlainText | None = Field(
        default=None,
        alias="förvaringsplats",
        description="Var justerade protokoll förvaras, t.ex. Regionens hus, Kansliet, "
        "Östersund (anslagsbeviset).",
    )
    forvaltningsratt_adress: PlainText | None = Field(
        default=None,
        alias="förvaltningsrätt_adress",
        description="Förvaltningsrättens postadress, dit en laglighetsprövning skickas "
        "(anslagstavlans information om överklagande), t.ex. Box 314, 871 27 Härnösand.",
    )
    anslagstavla: Anslagstavla = Field(
        default_factory=Anslagstavla,
        description="Den digitala anslagstavlan (beslutsgen publish).",
    )

    def is_fullmaktige(self, organ: str) -> bool:
        """Whether `organ` is fullmäktige: as the profile says, else by its name."""
        known = self.organ.get(organ)
        if known is not None and known.fullmaktige is not None:
            return known.fullmaktige
        return organ.casefold().endswith("fullmäktige")


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
