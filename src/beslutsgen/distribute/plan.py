"""Who gets which justerat §: the recipients its Expedieras-till roles stand for.

One `Delivery` per recipient with the utdrag of every § that lists them (each § once,
however many of their roles list it); `due` then keeps what the send log says has not
reached them yet, or has changed since.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

from beslutsgen.distribute.mail import Attachment
from beslutsgen.distribute.sendlog import Sent
from beslutsgen.law.dates import justerad_for_expediering
from beslutsgen.load.project import LoadedSammantrade
from beslutsgen.model.adressbok import Mottagare
from beslutsgen.model.profile import Profile

__all__ = ["Delivery", "due", "plan"]


@dataclass
class Delivery:
    """One recipient and the §§ that go to them in this run."""

    recipient: Mottagare
    roles: list[str]
    attachments: list[Attachment] = field(default_factory=list)
    changed: list[int] = field(default_factory=list)
    already: list[int] = field(default_factory=list)


def plan(
    loaded: LoadedSammantrade, profile: Profile, pdf_of: Callable[[int], Attachment]
) -> tuple[list[Delivery], list[int]]:
    """Who gets which justerat §, in § order; and the §§ that are not justerade yet."""
    meeting = loaded.meeting
    book = profile.adressbok
    deliveries: dict[str, Delivery] = {}
    waiting = []
    for index, item in enumerate(meeting.paragrafer):
        if not justerad_for_expediering(meeting, item):
            waiting.append(item.nummer)
            continue
        roles = loaded.expedieras_till(index)
        attachment: Attachment | None = None
        for role in roles:
            for recipient in book[role]:
                delivery = deliveries.setdefault(recipient.key, Delivery(recipient, []))
                if role not in delivery.roles:
                    delivery.roles.append(role)
                if all(a.nummer != item.nummer for a in delivery.attachments):
                    attachment = attachment or pdf_of(item.nummer)
                    delivery.attachments.append(attachment)
    return list(deliveries.values()), waiting


def due(delivery: Delivery, delivered: dict[int, Sent], resend: bool) -> None:
    """Keep only the attachments this recipient has not got, or got in another version."""
    due = []
    for attachment in delivery.attachments:
        before = delivered.get(attachment.nummer)
        if before is None:
            due.append(attachment)
        elif before.sha256 != attachment.sha256:
            delivery.changed.append(attachment.nummer)
            if resend:
                due.append(attachment)
        else:
            delivery.already.append(attachment.nummer)
    delivery.attachments = due
