"""`beslutsgen distribute` against a real SMTP server (aiosmtpd on 127.0.0.1).

Each test copies the sample project (decisions/ and the profile, its smtp pointed at the
test server without STARTTLS) into a temporary folder and runs the CLI from inside it, as
a secretariat would. What the server receives is parsed and checked: envelope, headers,
body lines, and the SHA-256 of every attachment against the protokollsutdrag that
`beslutsgen meeting` renders for the same meeting. The send log and the
expedieringslista (stdout, CSV, DOCX, PDF) are checked alongside.
"""

from __future__ import annotations

import hashlib
import os
import re
import shutil
import signal
import sqlite3
import subprocess
import sys
import time
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from email.message import EmailMessage
from email.utils import parsedate_to_datetime
from pathlib import Path
from typing import NamedTuple

import pytest
from click.testing import CliRunner, Result

from beslutsgen import pipeline
from beslutsgen.cli import main
from beslutsgen.distribute.expedieringslista import COLUMNS
from beslutsgen.distribute.expedieringslista import rows as lista_rows
from beslutsgen.distribute.mail import PASSWORD_VARIABLE, USER_VARIABLE, Attachment, message_id
from beslutsgen.distribute.sendlog import Entry, SendLog
from tests.conftest import DECISIONS, ROOT
from tests.smtp_server import Received, SmtpServer, free_port
from tests.textutil import docx_paragraphs, normalise, pdf_body_text, pdf_pages

SAMPLE = "decisions/rs-2025-11-25-sammantrade.yaml"
CASE_197 = "decisions/rs-1204-2025.yaml"
FOLDER = "regionstyrelsen-2025-11-25"
LOG = "expediering.sqlite"
SENDER = "sekretariatet@regionjh.example"
SENDER_NAME = "Sekretariatet Regionstyrelsen"
DOMAIN = "regionjh.example"
PROFILE_SMTP = "  smtp: {värd: smtp.regionjh.example, port: 587, starttls: true}\n"
MESSAGE_ID = re.compile(r"^<[0-9a-f]{40}\.beslutsgen@regionjh\.example>$")
TIME = re.compile(r"^\d{4}-\d{2}-\d{2} \d{2}:\d{2}$")
NOT_JUSTERAD = (
    "§ {}: inte justerad; expedieras när protokollet är justerat (justering: justerat: true)"
)
TITLES = {
    196: "§ 196 Fullmäktigeuppdrag för regionstyrelsen (RS 552-2025)",
    197: "§ 197 Regionstyrelsens plan och budget 2026 (RS/1204/2025)",
    198: "§ 198 Revidering av Regionstyrelsens plan och budget 2024 (RS/595/2023)",
}


class Who(NamedTuple):
    name: str
    address: str
    numbers: tuple[int, ...]
    role: str


# Who gets what from the sample meeting, in the order the messages go: every recipient
# once, with every § that lists them under any of their roles (§ 196 and § 198 by the
# meeting's expedieras_till, § 197 by its case's utdrag_till).
PLAN = [
    Who("Sara Lewerentz", "sara.lewerentz@regionjh.example", (196,), "Regiondirektör"),
    Who("Mikael Ferm", "mikael.ferm@regionjh.example", (196, 197, 198), "Regionstabschef"),
    Who("Per Åström", "per.astrom@regionjh.example", (196,), "Ekonomidirektör"),
    Who(
        "Anders Nyström",
        "anders.nystrom@regionjh.example",
        (196, 197),
        "Utvecklings- och digitaliseringsdirektör",
    ),
    Who("Johanna Öberg", "johanna.oberg@regionjh.example", (196, 197, 198), "Ekonomicontroller"),
    Who("Ekonomistaben", "ekonomi@regionjh.example", (196, 197, 198), "Ekonomicontroller"),
    Who("Maja Lindqvist", "maja.lindqvist@regionjh.example", (196,), "Hållbarhetsstrateg"),
    Who("Karin Lund", "karin.lund@regionjh.example", (197, 198), "HR-direktör"),
    Who("Erik Sandberg", "erik.sandberg@regionjh.example", (197,), "HR-strateg"),
    Who("Lena Holm", "lena.holm@regionjh.example", (197,), "Regionstabschefens närstöd"),
    Who("Helena Wik", "helena.wik@regionjh.example", (197,), "Avdelningschef samordningskansliet"),
]
POST = Who(
    "Samverkansgruppens ordförande",
    "Box 100, 831 20 Östersund",
    (198,),
    "Samverkansgruppen för kommunerna i Jämtlands län",
)
POST_STEM = "post-samverkansgruppens-ordförande-box-100-831-20-östersund"
LISTA = [f"out/{FOLDER}/expediering/expedieringslista.{ext}" for ext in ("csv", "pdf", "docx")]


def post_file(project: Path, folder: str = f"out/{FOLDER}/expediering") -> str:
    """The one print bundle in `folder`: its name ends in the first 8 characters of the
    letter's Message-ID, so a later letter never overwrites an earlier one."""
    (found,) = sorted((project / folder).glob(f"{POST_STEM}-*.pdf"))
    assert re.fullmatch(rf"{POST_STEM}-[0-9a-f]{{8}}\.pdf", found.name), found.name
    return f"{folder}/{found.name}"


# --- helpers -------------------------------------------------------------------------------


def distribute(*args: str) -> Result:
    return CliRunner().invoke(main, ["distribute", SAMPLE, "-o", "out", *args])


def span(numbers: tuple[int, ...]) -> str:
    assert list(numbers) == list(range(numbers[0], numbers[-1] + 1))
    return f"§ {numbers[0]}" if len(numbers) == 1 else f"§§ {numbers[0]}–{numbers[-1]}"


def subject(numbers: tuple[int, ...]) -> str:
    return f"Protokollsutdrag Regionstyrelsen 2025-11-25, {span(numbers)}"


def body_lines(who: Who, numbers: tuple[int, ...], by_post: bool = False) -> list[str]:
    return [
        f"Hej {who.name},",
        "",
        "Här är protokollsutdrag från Regionstyrelsens sammanträde den 25 november 2025:",
        "",
        *(f"- {TITLES[n]}" for n in numbers),
        "",
        f"Utdragen är bifogade{'' if by_post else ' som PDF'}. Ni får dem som {who.role}.",
        "",
        "Med vänlig hälsning",
        SENDER_NAME,
        SENDER,
    ]


def sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def squeeze(text: str) -> str:
    return "".join(text.split())


def filename(nummer: int) -> str:
    return f"{FOLDER}-protokollsutdrag-{nummer}.pdf"


def assert_message(
    msg: EmailMessage, who: Who, numbers: tuple[int, ...], utdrag: dict[int, bytes]
) -> str:
    """Headers, body and attachments of one message to `who`; returns its Message-ID."""
    assert msg["From"] == f"{SENDER_NAME} <{SENDER}>"
    assert msg["To"] == f"{who.name} <{who.address}>"
    assert msg["Subject"] == subject(numbers)
    assert msg["Auto-Submitted"] == "auto-generated"
    mid = str(msg["Message-ID"]).strip()
    assert MESSAGE_ID.match(mid), mid
    attachments = [Attachment(n, filename(n), utdrag[n]) for n in numbers]
    # The id is derived from the content: meeting, recipient, §§ and attachment hashes.
    assert mid == message_id(FOLDER, who.address, attachments, DOMAIN)
    body = msg.get_body(("plain",))
    assert body is not None
    assert isinstance(body, EmailMessage)
    assert body.get_content().splitlines() == body_lines(who, numbers)
    found = [
        (part.get_filename(), part.get_content_type(), sha256(part.get_content()))
        for part in msg.iter_attachments()
    ]
    assert found == [(filename(n), "application/pdf", sha256(utdrag[n])) for n in numbers]
    return mid


def assert_received(
    got: Received, who: Who, numbers: tuple[int, ...], utdrag: dict[int, bytes]
) -> str:
    """A message as the server got it: envelope, a fresh Date, then `assert_message`."""
    assert (got.mail_from, got.rcpt_tos) == (SENDER, (who.address,))
    msg = got.message
    sent = parsedate_to_datetime(str(msg["Date"]))
    assert abs(datetime.now(UTC) - sent) < timedelta(minutes=5)
    return assert_message(msg, who, numbers, utdrag)


def without_date(data: bytes) -> bytes:
    return re.sub(rb"(?m)^Date: .*\r?\n", b"", data, count=1)


def table(result: Result) -> tuple[list[tuple[str, ...]], list[str]]:
    """stdout of distribute: the expedieringslista rows (tab-separated), then the files."""
    lines = result.stdout.splitlines()
    assert lines[0] == "\t".join(COLUMNS)
    rows = [tuple(line.split("\t")) for line in lines[1:] if "\t" in line]
    files = [line for line in lines[1:] if "\t" not in line]
    assert lines[1:] == ["\t".join(r) for r in rows] + files
    return rows, files


def untimed(rows: list[tuple[str, ...]]) -> list[tuple[str, ...]]:
    """Rows without the time column, which must look like 2025-12-02 10:15."""
    for row in rows:
        assert len(row) == len(COLUMNS)
        assert TIME.match(row[4]), row
    return [(*row[:4], row[5]) for row in rows]


def row(who: Who, result: str, numbers: tuple[int, ...] | None = None) -> tuple[str, ...]:
    channel = "post" if who is POST else "e-post"
    return (who.name, who.address, span(numbers or who.numbers), channel, result)


def log_entries(project: Path) -> list[Entry]:
    with SendLog(project / LOG) as log:
        return log.entries(FOLDER)


def position(text: str, needle: str) -> tuple[int, int]:
    """Line and column (1-based) where `needle` starts in `text` (it must occur once)."""
    assert text.count(needle) == 1, needle
    before = text[: text.index(needle)]
    return before.count("\n") + 1, len(before) - (before.rfind("\n") + 1) + 1


def edit(path: Path, old: str, new: str) -> str:
    text = path.read_text("utf-8")
    assert text.count(old) == 1, old
    text = text.replace(old, new)
    path.write_text(text, "utf-8")
    return text


def tree(root: Path) -> set[str]:
    return {p.relative_to(root).as_posix() for p in root.rglob("*") if p.is_file()}


def render_utdrag(root: Path, out: Path) -> dict[int, bytes]:
    """§ → the protokollsutdrag PDF `beslutsgen meeting` renders for the sample in `root`."""
    settings = pipeline.Settings(root, out, ("pdf",))
    written, _ = pipeline.render_sammantraden([root / SAMPLE], settings)
    return {
        int(p.stem.rsplit("-", 1)[1]): p.read_bytes()
        for p in written
        if p.stem.startswith("protokollsutdrag-")
    }


# --- fixtures ------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def utdrag(tmp_path_factory: pytest.TempPathFactory) -> dict[int, bytes]:
    return render_utdrag(ROOT, tmp_path_factory.mktemp("utdrag"))


@pytest.fixture
def smtp() -> Iterator[SmtpServer]:
    with SmtpServer() as server:
        yield server


def write_profile(root: Path, smtp_line: str) -> str:
    profile = (ROOT / "beslutsgen.yaml").read_text("utf-8")
    assert PROFILE_SMTP in profile
    text = profile.replace(PROFILE_SMTP, smtp_line)
    (root / "beslutsgen.yaml").write_text(text, "utf-8")
    return text


@pytest.fixture
def project(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, smtp: SmtpServer) -> Path:
    """The sample project, its smtp the test server (no STARTTLS), no credentials set, the
    working directory inside it."""
    monkeypatch.delenv(USER_VARIABLE, raising=False)
    monkeypatch.delenv(PASSWORD_VARIABLE, raising=False)
    shutil.copytree(DECISIONS, tmp_path / "decisions")
    write_profile(tmp_path, f"  smtp: {{värd: 127.0.0.1, port: {smtp.port}, starttls: false}}\n")
    monkeypatch.chdir(tmp_path)
    return tmp_path


# --- everything goes --------------------------------------------------------------------


def test_every_recipient_gets_one_message_with_their_utdrag(
    project: Path, smtp: SmtpServer, utdrag: dict[int, bytes]
) -> None:
    result = distribute()
    assert (result.exit_code, result.stderr) == (0, ""), result.output
    assert len(smtp.received) == len(PLAN)
    ids = [
        assert_received(got, who, who.numbers, utdrag)
        for got, who in zip(smtp.received, PLAN, strict=True)
    ]
    assert len(set(ids)) == len(ids)
    assert smtp.refused == []
    assert smtp.logins == []  # no credentials in the environment: no AUTH
    assert all(got.login is None for got in smtp.received)
    # The log knows every message under the id it went with; the post recipient's print
    # bundle counts as sent.
    entries = log_entries(project)
    assert [(e.name, e.address, e.channel, e.paragraphs, e.state) for e in entries] == [
        *((w.name, w.address, "epost", w.numbers, "sent") for w in PLAN),
        (POST.name, POST.address, "post", (198,), "sent"),
    ]
    assert [e.message_id for e in entries[:-1]] == ids
    assert entries[-1].detail == f"utskrift {post_file(project)}"
    rows, files = table(result)
    assert untimed(rows) == [
        *(row(who, "skickat") for who in PLAN),
        row(POST, "utskrivet för post"),
    ]
    assert files == [post_file(project), *LISTA]
    assert tree(project / "out") == {f.removeprefix("out/") for f in files}


def test_a_second_run_sends_nothing(project: Path, smtp: SmtpServer) -> None:
    first = distribute()
    assert first.exit_code == 0, first.output
    received = len(smtp.received)
    second = distribute()
    assert (second.exit_code, second.stderr) == (0, ""), second.output
    assert len(smtp.received) == received == len(PLAN)
    rows, files = table(second)
    assert rows == table(first)[0]  # the same rows, times included: nothing happened again
    assert files == LISTA  # the print bundle is not made again either
    assert len(log_entries(project)) == len(PLAN) + 1


def test_post_recipient_gets_a_print_bundle(
    project: Path, smtp: SmtpServer, utdrag: dict[int, bytes]
) -> None:
    result = distribute()
    assert (result.exit_code, result.stderr) == (0, ""), result.output
    rows, files = table(result)
    assert untimed(rows)[-1] == row(POST, "utskrivet för post")
    assert files == [post_file(project), *LISTA]
    assert all(POST.address not in got.rcpt_tos for got in smtp.received)
    bundle = (project / post_file(project)).read_bytes()
    pages = pdf_pages(bundle)
    utdrag_pages = pdf_pages(utdrag[198])
    assert len(pages) == 1 + len(utdrag_pages)
    assert pages[1:] == utdrag_pages  # header, body and footer text of every utdrag page
    # The cover letter: address, subject, then the covering text (without "som PDF").
    assert normalise(pages[0].body) == normalise(
        " ".join(
            [
                POST.name,
                "Box 100",
                "831 20 Östersund",
                subject((198,)),
                *body_lines(POST, (198,), by_post=True),
            ]
        )
    )


def test_expedieringslista_in_csv_docx_and_pdf(project: Path, smtp: SmtpServer) -> None:
    smtp.reject = {"karin.lund@regionjh.example"}
    result = distribute()
    assert result.exit_code == 3, result.output
    data = (project / LISTA[0]).read_bytes()
    assert data.startswith("\ufeff".encode())
    lines = data.decode("utf-8-sig").split("\r\n")
    assert lines[-1] == ""
    cells = [line.split(";") for line in lines[:-1]]
    assert cells[0] == list(COLUMNS)
    rejected = "misslyckades: avvisat: 550 5.1.1 Mailbox unavailable"
    assert untimed([tuple(c) for c in cells[1:]]) == [
        *(row(who, rejected if who.name == "Karin Lund" else "skickat") for who in PLAN),
        row(POST, "utskrivet för post"),
    ]
    assert [tuple(c) for c in cells[1:]] == table(result)[0]  # what stdout showed
    # On the page, the address sits under the name and the channel shows in the address.
    page = [["Mottagare", "Paragrafer", "Tid", "Resultat"]] + [
        [f"{name}\n{address}", numbers, time, result]
        for name, address, numbers, _, time, result in cells[1:]
    ]
    docx = docx_paragraphs((project / LISTA[2]).read_bytes())
    assert docx == [
        "Expedieringslista",
        "Regionstyrelsen, sammanträde 2025-11-25, §§ 196–198.",
        *(cell for line in page for cell in line),
    ]
    # The PDF's text in reading order (compared without spaces: table cells that sit
    # side by side come out of the text layer without a space between them).
    pdf = squeeze(pdf_body_text((project / LISTA[1]).read_bytes()))
    assert pdf == squeeze(" ".join(docx))


# --- failures: the rest goes, the failure is listed, a re-run sends what is left ------------


def test_one_recipient_rejected_the_rest_go(
    project: Path, smtp: SmtpServer, utdrag: dict[int, bytes]
) -> None:
    karin = PLAN[7]
    smtp.reject = {karin.address}
    result = distribute()
    assert result.exit_code == 3
    assert result.stderr == (
        "1 meddelande(n) gick inte fram; rätta adressen i adressboken och kör igen.\n"
    )
    others = [who for who in PLAN if who is not karin]
    assert smtp.refused == [karin.address]
    assert len(smtp.received) == len(others)
    for got, who in zip(smtp.received, others, strict=True):
        assert_received(got, who, who.numbers, utdrag)
    rows, _ = table(result)
    assert untimed(rows) == [
        *(
            row(who, "misslyckades: avvisat: 550 5.1.1 Mailbox unavailable")
            if who is karin
            else row(who, "skickat")
            for who in PLAN
        ),
        row(POST, "utskrivet för post"),
    ]
    # The mailbox accepts her now: a re-run sends her message, and only hers.
    smtp.reject = set()
    again = distribute()
    assert (again.exit_code, again.stderr) == (0, ""), again.output
    assert len(smtp.received) == len(others) + 1
    assert_received(smtp.received[-1], karin, karin.numbers, utdrag)
    assert untimed(table(again)[0]) == [
        *(row(who, "skickat") for who in PLAN),
        row(POST, "utskrivet för post"),
    ]


def test_a_421_for_one_recipient_does_not_fail_the_next(
    project: Path, smtp: SmtpServer, utdrag: dict[int, bytes]
) -> None:
    """A server that is busy for one recipient answers 421 and closes the connection (RFC
    5321 4.2.2); the server is still there, and every other recipient gets their message."""
    karin = PLAN[7]
    smtp.busy = {karin.address}
    result = distribute()
    assert result.exit_code == 3
    others = [who for who in PLAN if who is not karin]
    assert smtp.refused == [karin.address]
    assert [got.rcpt_tos for got in smtp.received] == [(who.address,) for who in others]
    rows = untimed(table(result)[0])
    assert rows[:-1] == [row(who, rows[7][-1] if who is karin else "skickat") for who in PLAN]
    assert rows[7][-1].startswith("misslyckades: ")


def test_server_down_at_message_k_then_back(
    project: Path, smtp: SmtpServer, utdrag: dict[int, bytes]
) -> None:
    k = 3
    smtp.down_after = k
    first = distribute()
    assert first.exit_code == 3
    assert smtp.went_down.is_set()
    failed = len(PLAN) - k
    assert first.stderr == (
        f"{failed} meddelande(n) gick inte fram; kör igen när servern svarar; det som gått "
        "fram skickas inte igen.\n"
    )
    assert [got.rcpt_tos for got in smtp.received] == [(who.address,) for who in PLAN[:k]]
    where = f"127.0.0.1:{smtp.port}"
    assert untimed(table(first)[0]) == [
        *(row(who, "skickat") for who in PLAN[:k]),
        row(PLAN[k], f"misslyckades: servern: {where}: servern stängde anslutningen"),
        *(
            row(who, f"misslyckades: servern: {where}: anslutningen nekades (är servern igång?)")
            for who in PLAN[k + 1 :]
        ),
        row(POST, "utskrivet för post"),
    ]
    smtp.restart()
    second = distribute()
    assert (second.exit_code, second.stderr) == (0, ""), second.output
    assert len(smtp.received) == len(PLAN)  # exactly the remaining ones, once each
    ids = [
        assert_received(got, who, who.numbers, utdrag)
        for got, who in zip(smtp.received[k:], PLAN[k:], strict=True)
    ]
    assert untimed(table(second)[0]) == [
        *(row(who, "skickat") for who in PLAN),
        row(POST, "utskrivet för post"),
    ]
    entries = log_entries(project)
    assert [e.message_id for e in entries[k : len(PLAN)]] == ids
    assert {e.state for e in entries} == {"sent"}


def test_a_changed_utdrag_is_detected_and_sent_again_only_when_asked(
    project: Path, smtp: SmtpServer, utdrag: dict[int, bytes]
) -> None:
    first = distribute()
    assert first.exit_code == 0, first.output
    first_ids = [str(m["Message-ID"]).strip() for m in smtp.messages]
    edit(project / SAMPLE, "Omröstning begärs.", "Omröstning begärs av Maria Söderberg (M).")
    changed = render_utdrag(project, project / "reference")
    assert sha256(changed[197]) != sha256(utdrag[197])
    assert (changed[196], changed[198]) == (utdrag[196], utdrag[198])
    with_197 = [who for who in PLAN if 197 in who.numbers]

    second = distribute()
    assert second.exit_code == 0, second.output
    assert second.stderr.splitlines() == [
        f"{who.name}: § 197 har ändrats sedan utdraget skickades; skickas om först med --resend"
        for who in with_197
    ]
    assert len(smtp.received) == len(PLAN)  # nothing sent
    assert table(second)[0] == table(first)[0]

    third = distribute("--resend")
    assert third.exit_code == 0, third.output
    assert third.stderr.splitlines() == [
        f"{who.name}: § 197 har ändrats sedan utdraget skickades; skickas om" for who in with_197
    ]
    resent = smtp.received[len(PLAN) :]
    assert len(resent) == len(with_197)
    ids = [
        assert_received(got, who, (197,), changed)
        for got, who in zip(resent, with_197, strict=True)
    ]
    assert not set(ids) & set(first_ids)  # a new message, not the old one again
    assert untimed(table(third)[0]) == [
        *(row(who, "skickat") for who in PLAN),
        row(POST, "utskrivet för post"),
        *(row(who, "skickat", (197,)) for who in with_197),
    ]

    fourth = distribute()
    assert (fourth.exit_code, fourth.stderr) == (0, ""), fourth.output
    assert len(smtp.received) == len(PLAN) + len(with_197)


# --- only justerade §§ ----------------------------------------------------------------------


def test_only_justerade_paragraphs_go(
    project: Path, smtp: SmtpServer, utdrag: dict[int, bytes]
) -> None:
    """A protocol not yet justerat: its omedelbart justerade § 198 goes, §§ 196–197 are
    refused with a notice; once justerat, they go, and § 198 is not sent twice."""
    edit(project / SAMPLE, "  justerat: true\n", "  justerat: false\n")
    first = distribute()
    assert first.exit_code == 0, first.output
    assert first.stderr.splitlines() == [NOT_JUSTERAD.format(196), NOT_JUSTERAD.format(197)]
    early = [who for who in PLAN if 198 in who.numbers]
    assert len(smtp.received) == len(early)
    for got, who in zip(smtp.received, early, strict=True):
        assert_received(got, who, (198,), utdrag)
    assert untimed(table(first)[0]) == [
        *(row(who, "skickat", (198,)) for who in early),
        row(POST, "utskrivet för post"),
    ]

    edit(project / SAMPLE, "  justerat: false\n", "  justerat: true\n")
    second = distribute()
    assert (second.exit_code, second.stderr) == (0, ""), second.output
    later = [(who, tuple(n for n in who.numbers if n != 198)) for who in PLAN]
    assert len(smtp.received) == len(early) + len(later)
    for got, (who, numbers) in zip(smtp.received[len(early) :], later, strict=True):
        assert_received(got, who, numbers, utdrag)
    # Every recipient has every § of theirs exactly once.
    got_pairs = sorted(
        (m["To"].addresses[0].addr_spec, part.get_filename())
        for m in smtp.messages
        for part in m.iter_attachments()
    )
    assert got_pairs == sorted((w.address, filename(n)) for w in PLAN for n in w.numbers)


def test_nothing_justerat_is_refused(project: Path, smtp: SmtpServer) -> None:
    edit(project / SAMPLE, "  justerat: true\n", "  justerat: false\n")
    edit(project / SAMPLE, "    omedelbart_justerad: true\n", "")
    result = distribute()
    assert result.exit_code == 1
    line = (project / SAMPLE).read_text("utf-8").splitlines().index("justering:") + 1
    assert result.stderr.splitlines() == [
        f"{SAMPLE}:{line}:1: justering.justerat: protokollet är inte justerat och ingen "
        "paragraf är omedelbart justerad; inget att expediera (skriv justerat: true när "
        "protokollet är justerat)",
        "1 problem i 1 fil(er); inget skrevs.",
    ]
    assert result.stdout == ""
    assert not (project / "out").exists()
    assert smtp.received == []
    assert not (project / LOG).exists() or log_entries(project) == []


# --- dry run --------------------------------------------------------------------------------


def test_dry_run_writes_eml_and_sends_nothing(
    project: Path, smtp: SmtpServer, utdrag: dict[int, bytes]
) -> None:
    first = distribute("--dry-run")
    assert (first.exit_code, first.stderr) == (0, ""), first.output
    rows, files = table(first)
    assert rows == [
        *(
            (w.name, w.address, span(w.numbers), "e-post", "", "skickas (provkörning)")
            for w in PLAN
        ),
        (POST.name, POST.address, "§ 198", "post", "", "skrivs ut för post (provkörning)"),
    ]
    folder = f"out/{FOLDER}/expediering/provkorning"
    stems = [re.sub(r"[@.]", "-", who.address) for who in PLAN]
    post = post_file(project, folder)
    assert files == [*(f"{folder}/{stem}.eml" for stem in stems), post]
    assert tree(project / "out") == {f.removeprefix("out/") for f in files}
    assert smtp.received == []
    assert not (project / LOG).exists() or log_entries(project) == []
    copies = {name: (project / name).read_bytes() for name in files}
    planned = []
    for name, who in zip(files, PLAN, strict=False):
        msg = Received(SENDER, (who.address,), copies[name], None).message
        assert msg["Date"] == "Mon, 01 Dec 2025 12:00:00 +0000"  # the day of justering
        planned.append(assert_message(msg, who, who.numbers, utdrag))
    assert len(pdf_pages(copies[post])) == 1 + len(pdf_pages(utdrag[198]))

    second = distribute("--dry-run")
    assert (second.exit_code, second.stdout, second.stderr) == (0, first.stdout, "")
    assert {name: (project / name).read_bytes() for name in files} == copies
    assert smtp.received == []

    # The real run sends the very messages the dry run showed.
    real = distribute()
    assert (real.exit_code, real.stderr) == (0, ""), real.output
    assert [str(m["Message-ID"]).strip() for m in smtp.messages] == planned


def test_dry_run_does_not_create_the_send_log(project: Path, smtp: SmtpServer) -> None:
    result = distribute("--dry-run")
    assert (result.exit_code, result.stderr) == (0, ""), result.output
    assert not (project / LOG).exists()
    assert not (project / f"{LOG}-locks").exists()  # nor takes the lock of a real run


def test_without_smtp_in_the_profile_only_a_dry_run_goes(project: Path) -> None:
    write_profile(project, "")
    result = distribute()
    assert result.exit_code == 2
    assert result.stderr == "fel: profilen saknar expediering.smtp; prova med --dry-run\n"
    assert result.stdout == ""
    assert not (project / "out").exists()
    dry = distribute("--dry-run")
    assert (dry.exit_code, dry.stderr) == (0, ""), dry.output
    rows, files = table(dry)
    assert [r[5] for r in rows] == [
        *(["skickas (provkörning)"] * len(PLAN)),
        "skrivs ut för post (provkörning)",
    ]
    folder = f"out/{FOLDER}/expediering/provkorning"
    stems = [re.sub(r"[@.]", "-", who.address) for who in PLAN]
    assert files == [*(f"{folder}/{stem}.eml" for stem in stems), post_file(project, folder)]


def test_smtp_option_overrides_the_profile(
    project: Path, smtp: SmtpServer, utdrag: dict[int, bytes]
) -> None:
    closed = free_port()  # nothing listens there: the profile's server would refuse
    write_profile(project, f"  smtp: {{värd: 127.0.0.1, port: {closed}, starttls: false}}\n")
    result = distribute("--smtp", f"127.0.0.1:{smtp.port}")
    assert (result.exit_code, result.stderr) == (0, ""), result.output
    assert len(smtp.received) == len(PLAN)


# --- credentials ----------------------------------------------------------------------------


def test_credentials_come_from_the_environment(
    project: Path, smtp: SmtpServer, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv(USER_VARIABLE, "sekretariatet")
    monkeypatch.setenv(PASSWORD_VARIABLE, "hemligt-123")
    result = distribute()
    assert (result.exit_code, result.stderr) == (0, ""), result.output
    assert smtp.logins == [("sekretariatet", "hemligt-123")]  # one connection, one login
    assert [got.login for got in smtp.received] == [("sekretariatet", "hemligt-123")] * len(PLAN)
    assert "hemligt" not in result.output


@pytest.mark.parametrize("variable", [USER_VARIABLE, PASSWORD_VARIABLE])
def test_only_one_credential_is_refused(
    project: Path, smtp: SmtpServer, monkeypatch: pytest.MonkeyPatch, variable: str
) -> None:
    monkeypatch.setenv(variable, "sekretariatet")
    result = distribute()
    assert result.exit_code == 2
    assert result.stderr == (
        "fel: sätt både BESLUTSGEN_SMTP_USER och BESLUTSGEN_SMTP_PASSWORD, eller ingen\n"
    )
    assert result.stdout == ""
    assert smtp.received == []
    assert not (project / "out").exists()
    assert not (project / LOG).exists() or log_entries(project) == []


def test_credentials_in_the_profile_are_refused(project: Path, smtp: SmtpServer) -> None:
    line = f"  smtp: {{värd: 127.0.0.1, port: {smtp.port}, starttls: false, lösenord: x}}\n"
    text = write_profile(project, line)
    where = position(text, "lösenord: x")
    result = distribute()
    assert result.exit_code == 1
    assert result.stderr.splitlines() == [
        f"beslutsgen.yaml:{where[0]}:{where[1]}: "
        "expediering.smtp.lösenord: okänd nyckel (tillåtna: värd, port, tls, starttls, ca_fil)",
        "1 problem i 1 fil(er); inget skrevs.",
    ]
    assert smtp.received == []


# --- a crash never loses a recipient ----------------------------------------------------------


class Crash(BaseException):
    """The process dies: nothing after this point runs."""


def test_crash_between_begin_and_finish_resends_with_the_same_message_id(
    project: Path, smtp: SmtpServer, monkeypatch: pytest.MonkeyPatch, utdrag: dict[int, bytes]
) -> None:
    """The server has accepted message 4 when the process dies, before the log says so: the
    log keeps it pending, and the re-run sends it again under the same Message-ID."""
    calls = []
    finish = SendLog.finish

    def dying_finish(self: SendLog, mid: str, ok: bool, detail: str = "") -> None:
        calls.append(mid)
        if len(calls) == 4:
            raise Crash
        finish(self, mid, ok, detail)

    with monkeypatch.context() as patch:
        patch.setattr(SendLog, "finish", dying_finish)
        with pytest.raises(Crash):
            distribute()
    assert len(smtp.received) == 4
    entries = log_entries(project)
    assert [(e.address, e.state) for e in entries] == [
        *((who.address, "sent") for who in PLAN[:3]),
        (PLAN[3].address, "pending"),
    ]
    assert lista_rows(entries)[-1][-1] == "osäkert (avbrutet)"

    again = distribute()
    assert (again.exit_code, again.stderr) == (0, ""), again.output
    assert [got.rcpt_tos[0] for got in smtp.received] == [
        *(who.address for who in PLAN[:4]),
        *(who.address for who in PLAN[3:]),
    ]
    first, repeated = smtp.received[3], smtp.received[4]
    assert assert_received(first, PLAN[3], PLAN[3].numbers, utdrag) == assert_received(
        repeated, PLAN[3], PLAN[3].numbers, utdrag
    )
    for got, who in zip(smtp.received[5:], PLAN[4:], strict=True):
        assert_received(got, who, who.numbers, utdrag)
    assert {e.state for e in log_entries(project)} == {"sent"}


def test_kill_9_mid_run_loses_no_recipient(
    project: Path, smtp: SmtpServer, utdrag: dict[int, bytes]
) -> None:
    """The real thing: the CLI in its own process, killed with SIGKILL while the (slow)
    server holds message 4 unanswered. The re-run completes; every recipient has every §
    of theirs at least once, and the one message that arrived twice has one Message-ID."""
    smtp.delay = 0.5
    env = {k: v for k, v in os.environ.items() if k not in (USER_VARIABLE, PASSWORD_VARIABLE)}
    process = subprocess.Popen(
        [sys.executable, "-m", "beslutsgen", "distribute", SAMPLE, "-o", "out"],
        cwd=project,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        deadline = time.monotonic() + 30
        while len(smtp.received) < 4:
            assert process.poll() is None, "the run ended before it could be killed"
            assert time.monotonic() < deadline, "the run never reached message 4"
            time.sleep(0.01)
        os.kill(process.pid, signal.SIGKILL)
    finally:
        process.kill()
        process.wait()
    assert process.returncode == -signal.SIGKILL
    entries = log_entries(project)
    assert [(e.address, e.state) for e in entries] == [
        *((who.address, "sent") for who in PLAN[:3]),
        (PLAN[3].address, "pending"),
    ]

    smtp.delay = 0.0
    again = distribute()
    assert (again.exit_code, again.stderr) == (0, ""), again.output
    by_id: dict[str, list[Received]] = {}
    for got in smtp.received:
        by_id.setdefault(str(got.message["Message-ID"]).strip(), []).append(got)
    for who in PLAN:
        mine = [got for got in smtp.received if got.rcpt_tos == (who.address,)]
        assert mine, who.name
        for got in mine:
            assert_received(got, who, who.numbers, utdrag)
    repeated = {mid: copies for mid, copies in by_id.items() if len(copies) > 1}
    assert [copies[0].rcpt_tos for copies in repeated.values()] == [(PLAN[3].address,)]
    # The repeat is the same message; only its Date says when it was sent.
    (one, two) = [without_date(got.data) for got in next(iter(repeated.values()))]
    assert one == two
    assert len(smtp.received) == len(PLAN) + 1
    assert {e.state for e in log_entries(project)} == {"sent"}
    assert untimed(table(again)[0]) == [
        *(row(who, "skickat") for who in PLAN),
        row(POST, "utskrivet för post"),
    ]


# --- refusals: the address book ---------------------------------------------------------------


def assert_refused(result: Result, lines: list[str]) -> None:
    assert "Traceback" not in result.output
    assert isinstance(result.exception, SystemExit), repr(result.exception)
    assert result.exit_code == 1
    assert result.stderr.splitlines() == lines
    assert result.stdout == ""


def test_unknown_role_in_the_meeting(project: Path, smtp: SmtpServer) -> None:
    text = edit(project / SAMPLE, "      - HR-direktör\n", "      - HR-direktor\n")
    line, col = position(text, "HR-direktor")
    assert_refused(
        distribute(),
        [
            f"{SAMPLE}:{line}:{col}: paragrafer[3].expedieras_till[3]: rollen 'HR-direktor' "
            "finns inte i adressboken i beslutsgen.yaml; menade du 'HR-direktör'?",
            "1 problem i 1 fil(er); inget skrevs.",
        ],
    )
    assert smtp.received == []
    assert not (project / "out").exists()


def test_unknown_role_in_the_case_of_a_paragraph(project: Path, smtp: SmtpServer) -> None:
    """§ 197 has no expedieras_till: its roles are its case's utdrag_till, and the case is
    found in decisions/ (only the meeting is named), yet checked all the same."""
    text = edit(project / CASE_197, "  - HR-direktör\n", "  - HR-direktor\n")
    line, col = position(text, "HR-direktor")
    assert_refused(
        distribute(),
        [
            f"{CASE_197}:{line}:{col}: utdrag_till[3]: rollen 'HR-direktor' finns inte i "
            "adressboken i beslutsgen.yaml; menade du 'HR-direktör'?",
            "1 problem i 1 fil(er); inget skrevs.",
        ],
    )
    assert smtp.received == []


BAD_BOOKS = {
    "bad-address": (
        "{namn: Karin Lund, epost: karin.lund@regionjh.example}",
        "{namn: Karin Lund, epost: karin.lund@regionjh}",
        "karin.lund@regionjh}",
        "adressbok.HR-direktör[1].epost: ogiltig e-postadress 'karin.lund@regionjh': "
        "domänen 'regionjh' är inte giltig",
    ),
    "two-at-signs": (
        "{namn: Sekretariatet Regionstyrelsen, epost: sekretariatet@regionjh.example}",
        "{namn: Sekretariatet Regionstyrelsen, epost: sekretariatet@@regionjh.example}",
        "sekretariatet@@",
        "expediering.avsändare.epost: ogiltig e-postadress 'sekretariatet@@regionjh.example': "
        "mer än ett @",
    ),
    "both-epost-and-post": (
        "{namn: Karin Lund, epost: karin.lund@regionjh.example}",
        '{namn: Karin Lund, epost: karin.lund@regionjh.example, post: "Box 1, 831 20 Östersund"}',
        '{namn: Karin Lund, epost: karin.lund@regionjh.example, post: "Box 1',
        "adressbok.HR-direktör[1]: ange antingen epost eller post (papper), inte båda eller ingen",
    ),
}


@pytest.mark.parametrize("kind", sorted(BAD_BOOKS))
def test_a_bad_address_book_is_refused_exactly(project: Path, smtp: SmtpServer, kind: str) -> None:
    old, new, at, message = BAD_BOOKS[kind]
    text = edit(project / "beslutsgen.yaml", old, new)
    line, col = position(text, at)
    assert_refused(
        distribute(),
        [f"beslutsgen.yaml:{line}:{col}: {message}", "1 problem i 1 fil(er); inget skrevs."],
    )
    assert smtp.received == []
    assert not (project / "out").exists()


def test_post_recipients_with_the_same_name_get_a_bundle_each(
    project: Path, smtp: SmtpServer
) -> None:
    edit(
        project / "beslutsgen.yaml",
        "adressbok:\n",
        "adressbok:\n"
        "  Kommunerna i länet:\n"
        '    - {namn: Kommunstyrelsen, post: "Box 1, 837 80 Åre"}\n'
        '    - {namn: Kommunstyrelsen, post: "Box 2, 835 80 Krokom"}\n',
    )
    edit(
        project / SAMPLE,
        "      - HR-direktör\n",
        "      - HR-direktör\n      - Kommunerna i länet\n",
    )
    result = distribute()
    assert (result.exit_code, result.stderr) == (0, ""), result.output
    bundles = [f for f in table(result)[1] if "/expediering/post-" in f]
    assert len(bundles) == 3  # Samverkansgruppen and the two Kommunstyrelsen
    assert len(set(bundles)) == 3
    covers = {squeeze(pdf_pages((project / f).read_bytes())[0].body) for f in bundles}
    assert any(squeeze("Box 1 837 80 Åre") in c for c in covers)
    assert any(squeeze("Box 2 835 80 Krokom") in c for c in covers)


def test_an_address_with_a_non_ascii_domain_is_refused_or_sent(
    project: Path, smtp: SmtpServer
) -> None:
    """An address with a non-ASCII domain is sent with the domain in IDNA form."""
    edit(
        project / "beslutsgen.yaml",
        "adressbok:\n",
        "adressbok:\n  Åre kommun:\n    - {namn: Åre kommun, epost: kansli@åre.se}\n",
    )
    edit(project / SAMPLE, "      - HR-direktör\n", "      - HR-direktör\n      - Åre kommun\n")
    result = distribute()
    assert result.exception is None, repr(result.exception)
    assert (result.exit_code, result.stderr) == (0, ""), result.output
    assert len(smtp.received) == len(PLAN) + 1
    assert {e.state for e in log_entries(project)} == {"sent"}
    (to_are,) = [got for got in smtp.received if "xn--re-xia.se" in got.rcpt_tos[0]]
    assert to_are.rcpt_tos == ("kansli@xn--re-xia.se",)  # IDNA, in envelope and header
    assert to_are.message["To"] == "Åre kommun <kansli@xn--re-xia.se>"


# --- the meeting command after a distribution -------------------------------------------------


def test_meeting_after_distribute_keeps_what_distribute_wrote(
    project: Path, smtp: SmtpServer
) -> None:
    assert distribute().exit_code == 0
    result = CliRunner().invoke(main, ["meeting", SAMPLE, "-o", "out"])
    assert (result.exit_code, result.stderr) == (0, ""), result.output
    utdrag = [f"protokollsutdrag-{n}" for n in TITLES]
    documents = ["kallelse", "protokoll", *utdrag, "anslagsbevis"]
    assert result.stdout.splitlines() == [
        f"out/{FOLDER}/{name}.{ext}" for name in documents for ext in ("docx", "pdf")
    ]
    for name in (post_file(project), *LISTA):
        assert (project / name).is_file(), name


def test_sqlite_log_is_plain_sqlite(project: Path, smtp: SmtpServer) -> None:
    """The log can be read without beslutsgen: one row per message, one per § in it."""
    assert distribute().exit_code == 0
    with sqlite3.connect(project / LOG) as db:
        messages = db.execute("SELECT count(*) FROM message WHERE state = 'sent'").fetchone()
        paragraphs = db.execute("SELECT count(*) FROM paragraph").fetchone()
    db.close()
    assert messages == (len(PLAN) + 1,)
    assert paragraphs == (sum(len(w.numbers) for w in PLAN) + 1,)
