"""The utdrag as a `deliver.Content`: each justerat § once per recipient, a letter naming
the §§ it carries, and for post one PDF with the letter and the utdrag.

A § that reached a recipient in the same version is not due again; one whose utdrag has
changed since is reported, and due again only with --resend (`plan.due`). Copies are
dated the justering day.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date
from typing import Any

from beslutsgen.build.templates import Templates
from beslutsgen.build.tjanssteskrivelse import Built
from beslutsgen.distribute.plan import Delivery, due
from beslutsgen.distribute.printbundle import print_bundle
from beslutsgen.distribute.sendlog import Sent
from beslutsgen.load.project import LoadedSammantrade
from beslutsgen.model.profile import Profile
from beslutsgen.model.sammantrade import paragraph_span
from beslutsgen.render.pdf import PdfRenderer

__all__ = ["COVER_TEMPLATE", "Utdrag"]

COVER_TEMPLATE = "expediering.txt.j2"


@dataclass(frozen=True)
class Utdrag:
    """The protokollsutdrag of one meeting, as one run sends them."""

    key: str  # the meeting's folder name
    loaded: LoadedSammantrade
    profile: Profile
    templates: Templates
    context: dict[str, Any]  # what the cover template sees of the meeting
    utdrag: Mapping[int, Built]  # § → its utdrag's block tree, for the print bundle
    prefix: str = ""

    @property
    def dated(self) -> date:
        return self.loaded.meeting.justering.datum

    def due(self, delivery: Delivery, delivered: dict[int, Sent], resend: bool) -> None:
        due(delivery, delivered, resend)

    def letter(self, delivery: Delivery) -> tuple[str, str]:
        """"Protokollsutdrag Regionstyrelsen 2025-11-25, §§ 196–198" and the cover text."""
        meeting = self.loaded.meeting
        numbers = [a.nummer for a in delivery.attachments]
        subject = f"Protokollsutdrag {meeting.organ} {meeting.datum}, {paragraph_span(numbers)}"
        titles = {p["nummer"]: p for p in self.context["paragrafer"]}
        assert self.profile.expediering is not None
        body = self.templates.render_text(
            COVER_TEMPLATE,
            {
                **self.context,
                "mottagare": delivery.recipient.model_dump(),
                "roller": delivery.roles,
                "utdrag": [titles[n] for n in numbers],
                "avsändare": self.profile.expediering.avsandare.model_dump(),
            },
        )
        return subject, body

    def bundle(self, delivery: Delivery, subject: str, body: str) -> bytes:
        """A cover letter with the address, then every utdrag: one PDF to print and post."""
        parts = [self.utdrag[a.nummer] for a in delivery.attachments]
        return print_bundle(
            delivery.recipient, subject, body, parts, self.profile, self.dated, PdfRenderer()
        )
