"""The expedieringslista: who got which § and when, and what failed and why — from the log.

The same rows become a table in DOCX and PDF (through the block tree, like every other
document) and a CSV for spreadsheets and the registrator. The kallelse has a list of its
own (`kallelse=True`): the same rows without the §§, since every message carries all of it.
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
KALLELSE_COLUMNS = ("Mottagare", "Adress", "Sätt", "Tid", "Resultat")
KALLELSE_PAGE_COLUMNS = ("Mottagare", "Tid", "Resultat")
KALLELSE_PAGE_WIDTHS = (0.5, 0.2, 0.3)
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


def rows(entries: list[Entry], kallelse: bool = False) -> list[tuple[str, ...]]:
    """One row per message: recipient, address, §§, channel, time, result (the kallelse's
    without the §§)."""
    if kallelse:
        return [(name, address, *rest) for name, address, _, *rest in rows(entries)]
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


def as_csv(entries: list[Entry], kallelse: bool = False) -> bytes:
    """UTF-8 with BOM and semicolons: what Swedish Excel opens without asking."""
    out = io.StringIO()
    writer = csv.writer(out, delimiter=";", lineterminator="\r\n")
    writer.writerow(KALLELSE_COLUMNS if kallelse else COLUMNS)
    writer.writerows(rows(entries, kallelse))
    return ("\ufeff" + out.getvalue()).encode("utf-8")


def as_document(
    meeting: Sammantrade,
    organisation: str,
    entries: list[Entry],
    today: date,
    kallelse: bool = False,
) -> Document:
    """The list as a document with the meeting in its header, dated by its last entry
    (`today` for a list with none)."""
    stamps = [e.finished or e.created for e in entries]
    day = datetime.fromisoformat(max(stamps)).date() if stamps else today
    what = "kallelse och handlingar" if kallelse else paragraph_span(
        p.nummer for p in meeting.paragrafer
    )
    blocks = (
        Heading(1, (Run("Expedieringslista, kallelse" if kallelse else "Expedieringslista"),)),
        Paragraph((Run(f"{meeting.organ}, sammanträde {meeting.datum.isoformat()}, {what}."),)),
        _table(entries, kallelse),
    )
    meta = Meta(
        doc_type="Expedieringslista",
        title=f"Expedieringslista {'kallelse ' if kallelse else ''}{meeting.organ} "
        f"{meeting.datum.isoformat()}",
        organisation=organisation,
        organ=meeting.organ,
        date=day,
        dnr="",
        author=meeting.sekreterare,
        subject=f"{meeting.organ}, {'kallelse' if kallelse else 'expediering'}",
    )
    return Document(meta, blocks)


def _table(entries: list[Entry], kallelse: bool) -> Table | Paragraph:
    """On the page the address goes under the name: an e-mail address cannot wrap, and six
    columns leave it no room on A4."""
    columns = KALLELSE_PAGE_COLUMNS if kallelse else PAGE_COLUMNS
    header = tuple((Run(c),) for c in columns)
    table_rows: list[tuple[Runs, ...]] = []
    for name, address, numbers, _, time, result in rows(entries):
        cells = [f"{name}\n{address}", *([] if kallelse else [numbers]), time, result]
        table_rows.append(tuple((Run(cell),) for cell in cells))
    if not table_rows:
        return Paragraph((Run("Inget har expedierats ännu."),))
    widths = KALLELSE_PAGE_WIDTHS if kallelse else PAGE_WIDTHS
    return Table(header, tuple(table_rows), LEFT * len(header), widths)
