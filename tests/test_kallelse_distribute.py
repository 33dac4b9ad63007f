"""`beslutsgen distribute MEETING --kallelse` against a real SMTP server (aiosmtpd).

The sample project (decisions/, bilagor/ and the profile, its smtp the test server) is
copied into a temporary folder and the CLI run from inside it. The 2026-06-16 meeting of
Regionstyrelsen is kallad to the roles under `organ: Regionstyrelsen: kallas:` — nine
recipients by e-mail and one by post. Every message is checked against what
`beslutsgen handlingar` renders for the same meeting: handlingar.pdf and the bilaga files,
byte for byte, under the names the contents page gives them.
"""

from __future__ import annotations

import hashlib
import re
import shutil
from collections.abc import Iterator
from datetime import UTC, datetime
from email.message import EmailMessage
from pathlib import Path
from typing import NamedTuple

import pytest
from click.testing import CliRunner, Result

from beslutsgen import pipeline
from beslutsgen.cli import main
from beslutsgen.distribute.mail import PASSWORD_VARIABLE, USER_VARIABLE, Attachment, message_id
from beslutsgen.distribute.sendlog import Entry, SendLog, claim
from tests.conftest import DECISIONS, ROOT
from tests.smtp_server import Received, SmtpServer
from tests.test_distribute import DOMAIN, LOG, SENDER, SENDER_NAME, edit, position, write_profile
from tests.textutil import normalise, pdf_pages

SAMPLE = "decisions/rs-2026-06-16-sammantrade.yaml"
FOLDER = "regionstyrelsen-2026-06-16"
KEY = f"{FOLDER}-kallelse"  # the send log's name for the kallelse
EXPEDIERING = f"out/{FOLDER}/expediering"
SUBJECT = "Kallelse: Regionstyrelsen 2026-06-16"
MESSAGE_ID = re.compile(r"^<[0-9a-f]{40}\.beslutsgen@regionjh\.example>$")
TIME = re.compile(r"^\d{4}-\d{2}-\d{2} \d{2}:\d{2}$")
COLUMNS = "Mottagare\tAdress\tSätt\tTid\tResultat"
KALLAS = "    kallas: [Ledamöter i regionstyrelsen, Ersättare i regionstyrelsen]\n"
LEDAMOT = "Ledamöter i regionstyrelsen"
ERSATTARE = "Ersättare i regionstyrelsen"
DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
BILAGA_2 = "punkt-3-bilaga-2-nulagesanalys-av-regionens-minoritetspolitiska-arbete-2025.pdf"
BILAGA_3 = "punkt-3-bilaga-3-minnesanteckningar-fran-samrad-vid-gaaltije-den-14-oktober.docx"
# The files every message carries, in order, with their media types.
FILES = [("handlingar.pdf", "application/pdf"), (BILAGA_2, "application/pdf"), (BILAGA_3, DOCX)]
LISTA = [f"{EXPEDIERING}/kallelse-expedieringslista.{ext}" for ext in ("csv", "pdf", "docx")]
ENCLOSURES = [f"{EXPEDIERING}/kallelse-handlingar/{name}" for name, _ in FILES]


class Who(NamedTuple):
    name: str
    address: str
    role: str


# Every ledamot and ersättare of the profile's roles, in the order of kallas: and the book.
KALLADE = [
    Who("Tomas Andreasson", "tomas.andreasson@regionjh.example", LEDAMOT),
    Who("Marie Svensson", "marie.svensson@regionjh.example", LEDAMOT),
    Who("Robert Ullén", "robert.ullen@regionjh.example", LEDAMOT),
    Who("Karin Jonsson", "karin.jonsson@regionjh.example", LEDAMOT),
    Who("Daniel Danielsson", "daniel.danielsson@regionjh.example", LEDAMOT),
    Who("Maria Söderberg", "maria.soderberg@regionjh.example", LEDAMOT),
    Who("Jonas Lindberg", "jonas.lindberg@regionjh.example", LEDAMOT),
    Who("Per Bergqvist", "per.bergqvist@regionjh.example", LEDAMOT),
    Who("Mats Norberg", "mats.norberg@regionjh.example", ERSATTARE),
]
POST = Who("Elin Åberg", "Storgatan 12, 831 30 Östersund", ERSATTARE)
POST_STEM = "kallelse-post-elin-åberg-storgatan-12-831-30-östersund"


def distribute(*args: str) -> Result:
    return CliRunner().invoke(main, ["distribute", SAMPLE, "-o", "out", "--kallelse", *args])


def sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def body_lines(who: Who, by_post: bool = False) -> list[str]:
    return [
        f"Hej {who.name},",
        "",
        "Ni kallas till Regionstyrelsens sammanträde den 16 juni 2026 kl. 09.00–12.00.",
        "Plats: Regionens hus, sammanträdesrum Storsjön, Östersund",
        "",
        "Förhinder anmäls till sekretariatet, 063-14 75 00, så att en ersättare kan kallas.",
        "",
        "Med brevet följer:" if by_post else "Bifogat finns:",
        "",
        "- Kallelse, föredragningslista och handlingar: handlingar.pdf",
        "- Punkt 3, bilaga 2: Nulägesanalys av regionens minoritetspolitiska arbete 2025 "
        f"(2 sidor, 25 kB), {BILAGA_2}",
        "- Punkt 3, bilaga 3: Minnesanteckningar från samråd vid Gaaltije den 14 oktober "
        f"2025 (docx, 36 kB), {BILAGA_3}",
        "",
        "Handlingarna till punkt 4, Förlängning av avtal om e-tjänstplattformen "
        '"Formulär & e-tjänster", lämnas inte ut med kallelsen: sekretess enligt OSL 31 '
        "kap. 16 § (affärsförhållanden).",
        "",
        f"Ni får kallelsen som {who.role}.",
        "",
        "Med vänlig hälsning",
        SENDER_NAME,
        SENDER,
    ]


def assert_kallelse(msg: EmailMessage, who: Who, handlingar: dict[str, bytes]) -> str:
    """Headers, body and attachments of the kallelse to `who`; returns its Message-ID."""
    assert msg["From"] == f"{SENDER_NAME} <{SENDER}>"
    assert msg["To"] == f"{who.name} <{who.address}>"
    assert msg["Subject"] == SUBJECT
    assert msg["Auto-Submitted"] == "auto-generated"
    mid = str(msg["Message-ID"]).strip()
    assert MESSAGE_ID.match(mid), mid
    attachments = [
        Attachment(n, name, handlingar[name], kind) for n, (name, kind) in enumerate(FILES)
    ]
    assert mid == message_id(KEY, who.address, attachments, DOMAIN)
    body = msg.get_body(("plain",))
    assert isinstance(body, EmailMessage)
    assert body.get_content().splitlines() == body_lines(who)
    found = [
        (part.get_filename(), part.get_content_type(), part.get_content())
        for part in msg.iter_attachments()
    ]
    assert found == [(name, kind, handlingar[name]) for name, kind in FILES]  # byte for byte
    return mid


def table(result: Result) -> tuple[list[tuple[str, ...]], list[str]]:
    """stdout: the kallelse's expedieringslista (tab-separated rows), then the files."""
    lines = result.stdout.splitlines()
    assert lines[0] == COLUMNS
    rows = [tuple(line.split("\t")) for line in lines[1:] if "\t" in line]
    files = [line for line in lines[1:] if "\t" not in line]
    assert lines[1:] == ["\t".join(r) for r in rows] + files
    return rows, files


def untimed(rows: list[tuple[str, ...]]) -> list[tuple[str, ...]]:
    for row in rows:
        assert len(row) == 5 and TIME.match(row[3]), row
    return [(*row[:3], row[4]) for row in rows]


def row(who: Who, result: str) -> tuple[str, ...]:
    return (who.name, who.address, "post" if who is POST else "e-post", result)


def post_letter(project: Path, folder: str = EXPEDIERING) -> str:
    (found,) = sorted((project / folder).glob(f"{POST_STEM}-*.pdf"))
    assert re.fullmatch(rf"{POST_STEM}-[0-9a-f]{{8}}\.pdf", found.name), found.name
    return f"{folder}/{found.name}"


def log_entries(project: Path, key: str = KEY) -> list[Entry]:
    with SendLog(project / LOG) as log:
        return log.entries(key)


def tree(root: Path) -> set[str]:
    return {p.relative_to(root).as_posix() for p in root.rglob("*") if p.is_file()}


# --- fixtures ------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def handlingar(tmp_path_factory: pytest.TempPathFactory) -> dict[str, bytes]:
    """File name → the bytes `beslutsgen handlingar` writes for the meeting."""
    out = tmp_path_factory.mktemp("handlingar")
    written, _ = pipeline.render_handlingar([ROOT / SAMPLE], pipeline.Settings(ROOT, out))
    found = {p.name: p.read_bytes() for p in written}
    assert sorted(found) == sorted(name for name, _ in FILES)
    return found


@pytest.fixture
def smtp() -> Iterator[SmtpServer]:
    with SmtpServer() as server:
        yield server


@pytest.fixture
def project(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, smtp: SmtpServer) -> Path:
    """The sample project with its bilagor, its smtp the test server (no STARTTLS), no
    credentials set, the working directory inside it."""
    monkeypatch.delenv(USER_VARIABLE, raising=False)
    monkeypatch.delenv(PASSWORD_VARIABLE, raising=False)
    shutil.copytree(DECISIONS, tmp_path / "decisions")
    shutil.copytree(ROOT / "bilagor", tmp_path / "bilagor")
    write_profile(tmp_path, f"  smtp: {{värd: 127.0.0.1, port: {smtp.port}, starttls: false}}\n")
    monkeypatch.chdir(tmp_path)
    return tmp_path


# --- everyone kallad gets it once -----------------------------------------------------------


def test_every_ledamot_and_ersattare_gets_one_message_with_the_handlingar(
    project: Path, smtp: SmtpServer, handlingar: dict[str, bytes]
) -> None:
    result = distribute()
    assert (result.exit_code, result.stderr) == (0, ""), result.output
    assert [(got.mail_from, got.rcpt_tos) for got in smtp.received] == [
        (SENDER, (who.address,)) for who in KALLADE
    ]
    ids = [
        assert_kallelse(got.message, who, handlingar)
        for got, who in zip(smtp.received, KALLADE, strict=True)
    ]
    assert len(set(ids)) == len(ids)
    entries = log_entries(project)
    assert [(e.name, e.address, e.channel, e.paragraphs, e.state) for e in entries] == [
        *((w.name, w.address, "epost", (0, 1, 2), "sent") for w in KALLADE),
        (POST.name, POST.address, "post", (0, 1, 2), "sent"),
    ]
    assert [e.message_id for e in entries[:-1]] == ids
    assert entries[-1].detail == f"utskrift {post_letter(project).removeprefix('./')}"
    rows, files = table(result)
    assert untimed(rows) == [
        *(row(who, "skickat") for who in KALLADE),
        row(POST, "utskrivet för post"),
    ]
    assert files == [post_letter(project), *ENCLOSURES, *LISTA]
    assert tree(project / "out") == {f.removeprefix("out/") for f in files}
    # The utdrag's log of the meeting is untouched.
    assert log_entries(project, FOLDER) == []


def test_the_post_recipient_gets_a_letter_and_the_enclosures_once(
    project: Path, smtp: SmtpServer, handlingar: dict[str, bytes]
) -> None:
    result = distribute()
    assert (result.exit_code, result.stderr) == (0, ""), result.output
    assert all(POST.address not in got.rcpt_tos for got in smtp.received)
    (page,) = pdf_pages((project / post_letter(project)).read_bytes())  # the letter alone
    assert normalise(page.body) == normalise(
        " ".join(
            [
                POST.name,
                "Storgatan 12",
                "831 30 Östersund",
                SUBJECT,
                *body_lines(POST, by_post=True),
            ]
        )
    )
    # What it encloses, as the e-mails carry it: the pages keep their numbers.
    enclosed = zip(FILES, ENCLOSURES, strict=True)
    assert {name: (project / f).read_bytes() for (name, _), f in enclosed} == handlingar


def test_a_second_run_sends_nothing_and_says_so(project: Path, smtp: SmtpServer) -> None:
    first = distribute()
    assert first.exit_code == 0, first.output
    second = distribute()
    assert second.exit_code == 0, second.output
    assert second.stderr == "Inget nytt att skicka: alla 10 mottagare har redan fått kallelsen.\n"
    assert len(smtp.received) == len(KALLADE)
    rows, files = table(second)
    assert rows == table(first)[0]  # the same rows, times included
    assert files == LISTA  # no letter, no enclosures written again
    assert len(log_entries(project)) == len(KALLADE) + 1


def test_a_changed_kallelse_goes_again_whole_only_with_resend(
    project: Path, smtp: SmtpServer
) -> None:
    first = distribute()
    assert first.exit_code == 0, first.output
    first_ids = [str(m["Message-ID"]).strip() for m in smtp.messages]
    edit(project / SAMPLE, "sammanträdesrum Storsjön", "sammanträdesrum Locknesjön")

    second = distribute()
    assert second.exit_code == 0, second.output
    assert second.stderr.splitlines() == [
        f"{who.name}: kallelsen har ändrats sedan den skickades; skickas om först med --resend"
        for who in [*KALLADE, POST]
    ]
    assert len(smtp.received) == len(KALLADE)
    assert table(second)[0] == table(first)[0]

    third = distribute("--resend")
    assert third.exit_code == 0, third.output
    assert third.stderr.splitlines() == [
        f"{who.name}: kallelsen har ändrats sedan den skickades; skickas om"
        for who in [*KALLADE, POST]
    ]
    resent = smtp.messages[len(KALLADE) :]
    assert [m["To"].addresses[0].addr_spec for m in resent] == [w.address for w in KALLADE]
    assert all(len(list(m.iter_attachments())) == len(FILES) for m in resent)  # whole
    assert not {str(m["Message-ID"]).strip() for m in resent} & set(first_ids)
    body = resent[0].get_body(("plain",))
    assert isinstance(body, EmailMessage)
    assert "Plats: Regionens hus, sammanträdesrum Locknesjön, Östersund" in body.get_content()
    assert len(log_entries(project)) == 2 * (len(KALLADE) + 1)


# --- failures ---------------------------------------------------------------------------------


def test_one_recipient_rejected_the_rest_go_and_a_rerun_sends_hers(
    project: Path, smtp: SmtpServer, handlingar: dict[str, bytes]
) -> None:
    karin = KALLADE[3]
    smtp.reject = {karin.address}
    result = distribute()
    assert result.exit_code == 3
    assert result.stderr == (
        "1 meddelande(n) gick inte fram; rätta adressen i adressboken och kör igen.\n"
    )
    others = [who for who in KALLADE if who is not karin]
    assert [got.rcpt_tos for got in smtp.received] == [(w.address,) for w in others]
    assert untimed(table(result)[0]) == [
        *(
            row(who, "misslyckades: avvisat: 550 5.1.1 Mailbox unavailable")
            if who is karin
            else row(who, "skickat")
            for who in KALLADE
        ),
        row(POST, "utskrivet för post"),
    ]
    smtp.reject = set()
    again = distribute()
    assert (again.exit_code, again.stderr) == (0, ""), again.output
    assert len(smtp.received) == len(others) + 1
    assert_kallelse(smtp.received[-1].message, karin, handlingar)


def test_another_run_of_the_kallelse_is_refused_but_not_one_of_the_utdrag(
    project: Path, smtp: SmtpServer
) -> None:
    """The kallelse has a lock of its own: a run holding it stops a second kallelse run
    (exit 3, nothing sent), while one holding the utdrag's lock of the meeting does not."""
    with claim(project / LOG, KEY, lambda: datetime.now(UTC)):
        busy = distribute()
    assert busy.exit_code == 3
    assert busy.stderr.startswith(f"fel: en annan expediering pågår för {KEY} (process ")
    assert busy.stderr.endswith("; inget skickades, kör igen när den är klar\n")
    assert (busy.stdout, smtp.received) == ("", [])
    with claim(project / LOG, FOLDER, lambda: datetime.now(UTC)):
        free = distribute()
    assert (free.exit_code, free.stderr) == (0, ""), free.output
    assert len(smtp.received) == len(KALLADE)


# --- the kallelse and the utdrag keep their own accounts --------------------------------------


@pytest.mark.parametrize("kallelse_first", [True, False], ids=["kallelse-first", "utdrag-first"])
def test_utdrag_and_kallelse_do_not_suppress_each_other(
    project: Path, smtp: SmtpServer, kallelse_first: bool
) -> None:
    """The ersättare also get § 106's utdrag: a kallelse sent to them does not count as the
    utdrag, nor the utdrag as the kallelse, and a second run of each sends nothing."""
    edit(project / SAMPLE, "expedieras_till: [Vårdvalschef]", f"expedieras_till: [{ERSATTARE}]")
    mats = KALLADE[-1]
    utdrag_subject = "Protokollsutdrag Regionstyrelsen 2026-06-16, § 106"

    def both() -> None:
        utdrag = ["distribute", SAMPLE, "-o", "out"]
        for args in [[*utdrag, "--kallelse"], utdrag][:: 1 if kallelse_first else -1]:
            result = CliRunner().invoke(main, args)
            assert result.exit_code == 0, result.output

    def to_mats() -> list[str]:
        return [str(m["Subject"]) for m in smtp.messages if mats.address in str(m["To"])]

    both()
    assert to_mats() == [SUBJECT, utdrag_subject][:: 1 if kallelse_first else -1]
    utdrag_log = log_entries(project, FOLDER)
    ersattare = {mats.name, POST.name}
    assert [(e.name, e.paragraphs, e.state) for e in utdrag_log if e.name in ersattare] == [
        (mats.name, (106,), "sent"),
        (POST.name, (106,), "sent"),
    ]
    kallelse_log = log_entries(project)
    assert [(e.name, e.state) for e in kallelse_log] == [
        *((w.name, "sent") for w in KALLADE),
        (POST.name, "sent"),
    ]
    count = len(smtp.received)
    both()  # nothing new for either
    assert len(smtp.received) == count
    assert (log_entries(project, FOLDER), log_entries(project)) == (utdrag_log, kallelse_log)
    # Each has its own expedieringslista beside the other's.
    listed = sorted(p.name for p in (project / EXPEDIERING).glob("*expedieringslista.*"))
    assert listed == sorted(
        f"{stem}.{ext}"
        for stem in ("expedieringslista", "kallelse-expedieringslista")
        for ext in ("csv", "docx", "pdf")
    )


# --- dry run ----------------------------------------------------------------------------------


def test_dry_run_writes_eml_and_sends_nothing(
    project: Path, smtp: SmtpServer, handlingar: dict[str, bytes]
) -> None:
    first = distribute("--dry-run")
    assert (first.exit_code, first.stderr) == (0, ""), first.output
    rows, files = table(first)
    assert rows == [
        *((w.name, w.address, "e-post", "", "skickas (provkörning)") for w in KALLADE),
        (POST.name, POST.address, "post", "", "skrivs ut för post (provkörning)"),
    ]
    folder = f"{EXPEDIERING}/provkorning"
    emls = [f"{folder}/kallelse-{re.sub(r'[@.]', '-', w.address)}.eml" for w in KALLADE]
    enclosures = [f"{folder}/kallelse-handlingar/{name}" for name, _ in FILES]
    assert files == [*emls, post_letter(project, folder), *enclosures]
    assert tree(project / "out") == {f.removeprefix("out/") for f in files}
    assert smtp.received == []
    assert not (project / LOG).exists()
    assert not (project / f"{LOG}-locks").exists()
    copies = {name: (project / name).read_bytes() for name in files}
    planned = []
    for name, who in zip(emls, KALLADE, strict=True):
        msg = Received(SENDER, (who.address,), copies[name], None).message
        assert msg["Date"] == "Tue, 16 Jun 2026 12:00:00 +0000"  # the day of the meeting
        planned.append(assert_kallelse(msg, who, handlingar))

    second = distribute("--dry-run")
    assert (second.exit_code, second.stdout, second.stderr) == (0, first.stdout, "")
    assert {name: (project / name).read_bytes() for name in files} == copies

    real = distribute()  # sends the very messages the dry run showed
    assert (real.exit_code, real.stderr) == (0, ""), real.output
    assert [str(m["Message-ID"]).strip() for m in smtp.messages] == planned


# --- who is kallad: the profile's kallas: -----------------------------------------------------


@pytest.mark.parametrize("command", ["distribute", "validate"])
def test_an_unknown_role_in_kallas_is_refused_at_its_place(
    project: Path, smtp: SmtpServer, command: str
) -> None:
    """validate finds it too: a typo in kallas: is not first met on the day of sending."""
    text = edit(
        project / "beslutsgen.yaml",
        KALLAS,
        "    kallas: [Ledamöter i regionstyrelsen, Ersättare i regionstyrelse, Revisorer]\n",
    )
    typo = position(text, "Ersättare i regionstyrelse,")
    unknown = position(text, "Revisorer]")
    if command == "distribute":
        result = distribute()
    else:
        result = CliRunner().invoke(main, ["validate", "decisions"])
    assert result.exit_code == 1
    assert result.stderr.splitlines() == [
        f"beslutsgen.yaml:{typo[0]}:{typo[1]}: organ.Regionstyrelsen.kallas[2]: rollen "
        "'Ersättare i regionstyrelse' finns inte i adressboken i beslutsgen.yaml; menade du "
        "'Ersättare i regionstyrelsen'?",
        f"beslutsgen.yaml:{unknown[0]}:{unknown[1]}: organ.Regionstyrelsen.kallas[3]: rollen "
        "'Revisorer' finns inte i adressboken i beslutsgen.yaml",
        "2 problem i 1 fil(er); inget skrevs.",
    ]
    assert (result.stdout, smtp.received) == ("", [])
    assert not (project / "out").exists()
    assert not (project / LOG).exists()


def test_an_organ_without_kallas_is_refused(project: Path, smtp: SmtpServer) -> None:
    text = edit(project / "beslutsgen.yaml", KALLAS, "")
    line, col = position(text, "Regionstyrelsen:\n    ledamöter: 13")
    result = distribute()
    assert result.exit_code == 1
    assert result.stderr.splitlines() == [
        f"beslutsgen.yaml:{line}:{col}: organ.Regionstyrelsen: Regionstyrelsen har ingen "
        "kallas:; lägg till kallas: [roll, …] under organ: Regionstyrelsen: i beslutsgen.yaml, "
        "med de roller i adressboken som ska få kallelsen (t.ex. ledamöter och ersättare)",
        "1 problem i 1 fil(er); inget skrevs.",
    ]
    assert (result.stdout, smtp.received) == ("", [])
    assert not (project / "out").exists()
    assert not (project / LOG).exists()


def test_an_organ_the_profile_does_not_list_is_refused(project: Path, smtp: SmtpServer) -> None:
    profile = project / "beslutsgen.yaml"
    text = profile.read_text("utf-8")
    start, end = text.index("organ:\n  Regionstyrelsen:"), text.index("\n# Dit överklaganden")
    profile.write_text(text[:start] + text[end:], "utf-8")
    line, col = position((project / SAMPLE).read_text("utf-8"), "Regionstyrelsen\ndatum:")
    result = distribute()
    assert result.exit_code == 1
    assert result.stderr.splitlines() == [
        f"{SAMPLE}:{line}:{col}: organ: Regionstyrelsen finns inte under organ: i "
        "beslutsgen.yaml; lägg till Regionstyrelsen: {ledamöter: …, kallas: [roll, …]} under "
        "organ:, med de roller i adressboken som ska få kallelsen (t.ex. ledamöter och "
        "ersättare)",
        "1 problem i 1 fil(er); inget skrevs.",
    ]
    assert (result.stdout, smtp.received) == ("", [])
    assert not (project / LOG).exists()
