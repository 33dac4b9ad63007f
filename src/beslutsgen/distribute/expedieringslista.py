"""The expedieringslista: who got which § and when, and what failed and why — from the log.

The same rows become a table in DOCX and PDF (through the block tree, like every other
document) and a CSV for spreadsheets and the registrator.
"""

from __future__ import annotations

import csv
import io
from contextlib import suppress
from datetime import date, datetime
from typing import Literal
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from beslutsgen.build.document import Document, Heading, Meta, Paragraph, Run, Runs, Table
from beslutsgen.distribute.sendlog import Entry
from beslutsgen.model.sammantrade import Sammantrade, paragraph_span

LEFT: tuple[Literal["left"]] = ("left",)
COLUMNS = ("Mottagare", "Adress", "Paragrafer", "Sätt", "Tid", "Resultat")
PAGE_COLUMNS = ("Mottagare", "Paragrafer", "Tid", "Resultat")
PAGE_WIDTHS = (0.43, 0.13, 0.2, 0.24)  # room for a 34-character address on one line
STATES = {
    "sent": "skickat",
    "failed": "misslyckades",
    "pending": "osäkert (avbrutet)",
    "planned": "skickas (provkörning)",
}


def _local(stamp: str | None) -> str:
    """2025-12-02 10:15, in Swedish time: when the secretariat did it."""
    if not stamp:
        return ""
    moment = datetime.fromisoformat(stamp)
    with suppress(ZoneInfoNotFoundError):  # without time zone data: UTC
        moment = moment.astimezone(ZoneInfo("Europe/Stockholm"))
    return moment.strftime("%Y-%m-%d %H:%M")


def rows(entries: list[Entry]) -> list[tuple[str, ...]]:
    """One row per message: recipient, address, §§, channel, time, result."""
    found: list[tuple[str, ...]] = []
    for entry in entries:
        result = STATES[entry.state]
        if entry.channel == "post" and entry.state == "sent":
            result = "utskrivet för post"
        elif entry.channel == "post" and entry.state == "planned":
            result = "skrivs ut för post (provkörning)"
        if entry.detail and entry.state == "failed":
            result += f": {entry.detail}"
        found.append(
            (
                entry.name,
                entry.address,
                paragraph_span(entry.paragraphs),
                "e-post" if entry.channel == "epost" else "post",
                _local(entry.finished or entry.created),
                result,
            )
        )
    return found


def as_csv(entries: list[Entry]) -> bytes:
    """UTF-8 with BOM and semicolons: what Swedish Excel opens without asking."""
    out = io.StringIO()
    writer = csv.writer(out, delimiter=";", lineterminator="\r\n")
    writer.writerow(COLUMNS)
    writer.writerows(rows(entries))
    return ("\ufeff" + out.getvalue()).encode("utf-8")


def as_document(
    meeting: Sammantrade, organisation: str, entries: list[Entry], today: date
) -> Document:
    """The list as a document with the meeting in its header, dated by its last entry
    (`today` for a list with none)."""
    stamps = [e.finished or e.created for e in entries]
    day = datetime.fromisoformat(max(stamps)).date() if stamps else today
    title = f"Expedieringslista {meeting.organ} {meeting.datum.isoformat()}"
    # On the page the address goes under the name: an e-mail address cannot wrap, and six
    # columns leave it no room on A4.
    header = tuple((Run(c),) for c in PAGE_COLUMNS)
    table_rows: tuple[tuple[Runs, ...], ...] = tuple(
        ((Run(f"{name}\n{address}"),), (Run(numbers),), (Run(time),), (Run(result),))
        for name, address, numbers, _, time, result in rows(entries)
    )
    blocks = (
        Heading(1, (Run("Expedieringslista"),)),
        Paragraph(
            (
                Run(
                    f"{meeting.organ}, sammanträde {meeting.datum.isoformat()}, "
                    f"{paragraph_span(p.nummer for p in meeting.paragrafer)}."
                ),
            )
        ),
        Table(header, table_rows, LEFT * len(header), PAGE_WIDTHS)
        if table_rows
        else Paragraph((Run("Inget har expedierats ännu."),)),
    )
    meta = Meta(
        doc_type="Expedieringslista",
        title=title,
        organisation=organisation,
        organ=meeting.organ,
        date=day,
        dnr="",
        author=meeting.sekreterare,
        subject=f"{meeting.organ}, expediering",
    )
    return Document(meta, blocks)
