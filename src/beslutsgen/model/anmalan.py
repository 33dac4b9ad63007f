"""What is reported to an organ rather than decided by it: delegationsbeslut and meddelanden.

Beslut taken under delegation are anmälda to the organ (KL 6 kap. 40 §); their time for
laglighetsprövning starts when the protocol holding the anmälan is announced. A
delegationsbeslut is a file of its own in decisions/ (`typ: delegationsbeslut`) that a §
names by diarienummer, or written inline in the §. Meddelanden (letters, reports for the
organ's information) are listed the same way, inline.
"""

from __future__ import annotations

from datetime import date
from typing import Literal, Self

from pydantic import Field, model_validator

from beslutsgen.model.arende import Strict
from beslutsgen.model.text import Diarienummer, FurnitureText, PlainText

DETAILS = ("datum", "beslutsfattare", "delegationspunkt", "beskrivning")


class Delegationsbeslut(Strict):
    """One beslut taken under delegation: who decided what, when, under which point."""

    diarienummer: Diarienummer = Field(description='Beslutets diarienummer, t.ex. "RS/12/2026".')
    datum: date | None = Field(default=None, description="Beslutsdag, ÅÅÅÅ-MM-DD.")
    beslutsfattare: PlainText | None = Field(
        default=None, description="Vem som beslutade, t.ex. Regiondirektör Sara Lewerentz."
    )
    delegationspunkt: PlainText | None = Field(
        default=None, description="Punkten i delegationsordningen, t.ex. 3.2."
    )
    beskrivning: PlainText | None = Field(
        default=None, description="Kort beskrivning av beslutet."
    )

    @model_validator(mode="before")
    @classmethod
    def _reference(cls, value: object) -> object:
        """`- RS/12/2026` in a § is short for `- {diarienummer: RS/12/2026}`: a file."""
        return {"diarienummer": value} if isinstance(value, str) else value

    @property
    def is_reference(self) -> bool:
        """Only a diarienummer: the beslut is a file of its own in decisions/."""
        return all(getattr(self, key) is None for key in DETAILS)

    @model_validator(mode="after")
    def _whole_or_reference(self) -> Self:
        missing = [key for key in DETAILS if getattr(self, key) is None]
        if missing and len(missing) < len(DETAILS):
            named = " och ".join(filter(None, [", ".join(missing[:-1]), missing[-1]]))
            raise ValueError(
                f"ett delegationsbeslut skrivet i paragrafen behöver också {named} "
                "(eller bara diarienumret, om beslutet är en egen fil i decisions/)"
            )
        return self


class DelegationsbeslutFil(Strict):
    """A delegationsbeslut as a file of its own in decisions/."""

    typ: Literal["delegationsbeslut"] = Field(description="Dokumenttyp: delegationsbeslut.")
    organ: FurnitureText = Field(
        description="Organet som delegerat beslutanderätten och som beslutet anmäls till."
    )
    diarienummer: Diarienummer = Field(description='Beslutets diarienummer, t.ex. "RS/12/2026".')
    datum: date = Field(description="Beslutsdag, ÅÅÅÅ-MM-DD.")
    beslutsfattare: PlainText = Field(description="Vem som beslutade.")
    delegationspunkt: PlainText = Field(description="Punkten i delegationsordningen.")
    beskrivning: PlainText = Field(description="Kort beskrivning av beslutet.")
    anslag: date | None = Field(
        default=None,
        description="För ett beslut som inte anmäls till organet: dag då det tillkännages "
        "på anslagstavlan; tiden för laglighetsprövning räknas därifrån (KL 6 kap. 40 §, "
        "8 kap. 9 §).",
    )
    forvaringsplats: PlainText | None = Field(
        default=None,
        alias="förvaringsplats",
        description="Var beslutet finns att läsa; utelämnas för profilens förvaringsplats.",
    )

    def as_beslut(self) -> Delegationsbeslut:
        return Delegationsbeslut.model_validate(
            self.model_dump(include={"diarienummer", *DETAILS})
        )


class Meddelande(Strict):
    """A letter, report or notice put before the organ for its information."""

    datum: date = Field(description="Dag, ÅÅÅÅ-MM-DD.")
    fran: PlainText = Field(alias="från", description="Avsändare, t.ex. Länsstyrelsen.")
    beskrivning: PlainText = Field(description="Vad meddelandet gäller.")
    diarienummer: Diarienummer | None = Field(default=None, description="Diarienummer, om ett.")
