"""`beslutsgen publish`, the digital anslagstavla: which notices are up on a day and
what the site says about them, the law's dates, the publication renditions (sekretess,
masking), text as data, a site that is replaced as a whole and the same bytes for the
same input, and how the command refuses.

The samples are copied to tmp: the region (decisions/, beslutsgen.yaml) and the kommun
(examples/kommun/). What is up on a day is asked of the library
(`tillkannagivanden` + `tavla`); the site is made by the CLI (CliRunner, in-process).
Sites that several tests read are published once per module; a site is read into
memory (path → bytes) and never written to afterwards.
"""

from __future__ import annotations

import html
import io
import json
import re
import shutil
import xml.etree.ElementTree as ET
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import date
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

import pikepdf
import pytest
import yaml
from click.testing import CliRunner, Result

from beslutsgen.build.publication import for_publication
from beslutsgen.cli import main
from beslutsgen.errors import InputError
from beslutsgen.load.project import Project, load_project
from beslutsgen.publish.notices import Notis, Punkt, tillkannagivanden
from beslutsgen.publish.site import tavla
from tests.conftest import ROOT
from tests.pdfcheck import assert_archival
from tests.textutil import normalise, pdf_body_text, pdf_full_text

KOMMUN = ROOT / "examples" / "kommun"
Tree = dict[str, bytes]

# --- the region sample's notices, as the law gives them --------------------------------

OJ_2025 = "regionstyrelsen-2025-11-25-omedelbart-justerade"
PROT_2025 = "regionstyrelsen-2025-11-25-protokoll"
OJ_2026 = "regionstyrelsen-2026-06-16-omedelbart-justerade"
PROT_2026 = "regionstyrelsen-2026-06-16-protokoll"
DELEG = "delegationsbeslut-rs-512-2026"
DELEG_RUBRIK = (
    "Delegationsbeslut RS/512/2026: Yttrande till Trafikverket över förslag till nationell "
    "plan för transportinfrastruktur 2026–2037."
)
PROTOCOL_PDF_2025 = "regionstyrelsen-2025-11-25-protokoll.pdf"
PROTOCOL_PDF_2026 = "regionstyrelsen-2026-06-16-protokoll.pdf"
FORVARING = "Regionens hus, Kansliavdelningen, Östersund"


@dataclass(frozen=True)
class Expected:
    rubrik: str
    uppsatt: date
    nedtas: date
    sista_dag: date | None


# Anslag + 21 days is the last day to appeal (none of these falls on a helgdag); the
# anslag comes down the day after.
REGION = {
    PROT_2026: Expected(
        "Protokoll Regionstyrelsen 2026-06-16, §§ 101–104, 106–107",
        date(2026, 6, 23),
        date(2026, 7, 15),
        date(2026, 7, 14),
    ),
    OJ_2026: Expected(
        "Omedelbart justerade paragrafer, Regionstyrelsen 2026-06-16, § 105",
        date(2026, 6, 17),
        date(2026, 7, 9),
        date(2026, 7, 8),
    ),
    DELEG: Expected(DELEG_RUBRIK, date(2026, 6, 10), date(2026, 7, 2), date(2026, 7, 1)),
    PROT_2025: Expected(
        "Protokoll Regionstyrelsen 2025-11-25, §§ 196–197",
        date(2025, 12, 2),
        date(2025, 12, 24),
        date(2025, 12, 23),
    ),
    OJ_2025: Expected(
        "Omedelbart justerade paragrafer, Regionstyrelsen 2025-11-25, § 198",
        date(2025, 11, 26),
        date(2025, 12, 18),
        date(2025, 12, 17),
    ),
}

# Day → (up, taken down), both newest first.
REGION_DAYS: dict[date, tuple[list[str], list[str]]] = {
    date(2025, 11, 25): ([], []),  # the meeting's day: nothing of it is up yet
    date(2025, 11, 26): ([OJ_2025], []),  # the omedelbart justerade §'s anslag
    date(2025, 12, 2): ([PROT_2025, OJ_2025], []),  # the protocol's anslag
    date(2025, 12, 17): ([PROT_2025, OJ_2025], []),  # § 198's last day to appeal
    date(2025, 12, 18): ([PROT_2025], [OJ_2025]),  # § 198 comes down
    date(2025, 12, 23): ([PROT_2025], [OJ_2025]),  # the protocol's last day to appeal
    date(2025, 12, 24): ([], [PROT_2025, OJ_2025]),  # the protocol comes down
    date(2026, 6, 24): ([PROT_2026, OJ_2026, DELEG], [PROT_2025, OJ_2025]),
}
ALL_UP = date(2026, 6, 24)  # every notice of the region shown: up or in the archive

# The notice pages' documents once the protocols are justerade.
REGION_DOCUMENTS = {
    PROT_2025: [("../dokument/" + PROTOCOL_PDF_2025, "Protokoll")],
    OJ_2025: [("../dokument/" + PROTOCOL_PDF_2025, "Protokoll")],
    PROT_2026: [("../dokument/" + PROTOCOL_PDF_2026, "Protokoll")],
    OJ_2026: [("../dokument/" + PROTOCOL_PDF_2026, "Protokoll")],
    DELEG: [],
}
COMMON_PAGES = {"index.html", "overklagande.html", "flode.atom", "stil.css"}
MANIFEST = ".beslutsgen/publicerat.json"

# The kommun sample's fullmäktige meeting.
KF_FILE = "decisions/kf-2026-04-27-sammantrade.yaml"
KF = "kommunfullmaktige-2026-04-27-sammantrade"
KS_PROT = "kommunstyrelsen-2026-03-10-protokoll"
KF_RUBRIK = "Kommunfullmäktige sammanträder 27 april 2026"
KF_TEXT = (
    "Kommunfullmäktige sammanträder 27 april 2026 kl. 18.30–21.00, Kommunhuset, "
    "fullmäktigesalen, Sjövik. Sammanträdet är offentligt (5 kap. 38 § kommunallagen)."
)
KF_KALLELSE = "kommunfullmaktige-2026-04-27-kallelse.pdf"
KF_ARENDEN = [
    "Val av justerare",
    "Allmänhetens frågestund",
    "Taxa för bygglov 2027",
    "Entledigande och fyllnadsval av ledamot i barn- och utbildningsnämnden",
]
KOMMUN_DAY = date(2026, 4, 20)  # the KF meeting announced; the KS protocol in the archive

SEKRETESS = "Paragrafen publiceras inte här: den omfattas av sekretess enligt OSL 25 kap. 1 §."
EJ_PUBLICERAD = f"Paragrafens text publiceras inte här. Protokollet finns hos {FORVARING}."
HEADING_106 = "§ 106 Begäran om omprövning av beslut om ersättning för sjukresa"
FORSLAG_106 = (
    "Begäran om omprövning avslås; beslutet om ersättning för sjukresa den 4 maj 2026 står fast."
)


# --- helpers -------------------------------------------------------------------------------


def run(*args: str | Path) -> Result:
    return CliRunner().invoke(main, [str(a) for a in args], prog_name="beslutsgen")


def copy_region(target: Path) -> Path:
    target.mkdir(parents=True)
    shutil.copy(ROOT / "beslutsgen.yaml", target / "beslutsgen.yaml")
    for folder in ("decisions", "templates", "bilagor"):
        if (ROOT / folder).is_dir():
            shutil.copytree(ROOT / folder, target / folder)
    return target


def copy_kommun(target: Path) -> Path:
    shutil.copytree(KOMMUN, target)
    return target


def edit(path: Path, old: str, new: str) -> None:
    """Replace `old`, which must occur exactly once in the file, by `new`."""
    text = path.read_text("utf-8")
    assert text.count(old) == 1, f"{old!r} occurs {text.count(old)} times in {path.name}"
    path.write_text(text.replace(old, new), "utf-8")


def publish(root: Path, site: Path, day: date) -> Result:
    """`beslutsgen publish <root>/decisions -o <site> --datum <day>`."""
    result = run("publish", root / "decisions", "-o", site, "--datum", day.isoformat())
    assert result.exit_code == 0, result.output
    return result


def tree(site: Path) -> Tree:
    return {
        p.relative_to(site).as_posix(): p.read_bytes()
        for p in sorted(site.rglob("*"))
        if p.is_file()
    }


def published(root: Path, site: Path, day: date) -> Tree:
    publish(root, site, day)
    return tree(site)


def project_of(root: Path) -> Project:
    return load_project([root / "decisions"], root, root)


def board(project: Project, day: date) -> tuple[list[str], list[str]]:
    shown = tavla(tillkannagivanden(project), day, project.profile)
    return [n.id for n in shown.uppe], [n.id for n in shown.nedtagna]


def notice(project: Project, notice_id: str) -> Notis:
    (found,) = [n for n in tillkannagivanden(project) if n.id == notice_id]
    return found


# A tiny DOM from html.parser: enough to find elements and read their text.

VOID = {
    "area",
    "base",
    "br",
    "col",
    "embed",
    "hr",
    "img",
    "input",
    "link",
    "meta",
    "source",
    "track",
    "wbr",
}


@dataclass
class Node:
    tag: str
    attrs: dict[str, str | None] = field(default_factory=dict)
    children: list[Node | str] = field(default_factory=list)

    def text(self) -> str:
        """The visible text, whitespace folded."""
        parts = [
            c if isinstance(c, str) else " " if c.tag == "br" else c.text() for c in self.children
        ]
        return " ".join("".join(parts).split())

    def iter(self, tag: str | None = None) -> Iterator[Node]:
        if tag is None or self.tag == tag:
            yield self
        for child in self.children:
            if isinstance(child, Node):
                yield from child.iter(tag)

    def find_all(self, tag: str, cls: str | None = None) -> list[Node]:
        return [
            n for n in self.iter(tag) if cls is None or cls in (n.attrs.get("class") or "").split()
        ]

    def find(self, tag: str, cls: str | None = None) -> Node:
        found = self.find_all(tag, cls)
        assert found, f"no <{tag} class={cls}>"
        return found[0]


class _Builder(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.root = Node("#document")
        self.stack = [self.root]
        self.elements: list[Node] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        node = Node(tag, dict(attrs))
        self.stack[-1].children.append(node)
        self.elements.append(node)
        if tag not in VOID:
            self.stack.append(node)

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        node = Node(tag, dict(attrs))
        self.stack[-1].children.append(node)
        self.elements.append(node)

    def handle_endtag(self, tag: str) -> None:
        for i in range(len(self.stack) - 1, 0, -1):
            if self.stack[i].tag == tag:
                del self.stack[i:]
                return

    def handle_data(self, data: str) -> None:
        self.stack[-1].children.append(data)


def parse(data: bytes) -> _Builder:
    builder = _Builder()
    builder.feed(data.decode("utf-8"))
    builder.close()
    return builder


def page(site: Tree, path: str) -> Node:
    return parse(site[path]).root


def _value(dd: Node) -> str:
    """A dd's value: its <time datetime> when it has one, else its text."""
    times = dd.find_all("time")
    return str(times[0].attrs["datetime"]) if times else dd.text()


def rows(dl: Node) -> list[tuple[str, str]]:
    """A <dl>'s (dt, dd) pairs in order."""
    return [(div.find("dt").text(), _value(div.find("dd"))) for div in dl.find_all("div")]


def listed(site: Tree, path: str) -> list[tuple[str, str, list[tuple[str, str]]]]:
    """The notices a list page (index, arkiv) shows: link, heading and dates."""
    main_part = page(site, path).find("main")
    return [
        (str(a.attrs["href"]), a.text(), rows(article.find("dl")))
        for article in main_part.find_all("article", "notis")
        for a in [article.find("h3").find("a")]
    ]


def documents(site: Tree, path: str) -> list[tuple[str, str]]:
    """The (href, title) of a notice page's documents."""
    found = page(site, path).find_all("ul", "dokument")
    return [(str(a.attrs["href"]), a.text()) for ul in found for a in ul.find_all("a")]


def nav_links(site: Tree, path: str) -> list[str]:
    return [str(a.attrs["href"]) for a in page(site, path).find("nav").find_all("a")]


def expected_row(notice_id: str) -> tuple[str, str, list[tuple[str, str]]]:
    """How the index and the archive list a notice of the region."""
    want = REGION[notice_id]
    dates = [
        ("Anslaget sätts upp", want.uppsatt.isoformat()),
        ("Anslaget tas ned", want.nedtas.isoformat()),
        ("Sista dag för överklagande", want.sista_dag.isoformat() if want.sista_dag else ""),
    ]
    if notice_id == DELEG:
        return f"notiser/{notice_id}.html", want.rubrik, dates
    meeting = "2025-11-25" if "2025" in notice_id else "2026-06-16"
    span = want.rubrik.partition(f"{meeting}, ")[2]
    head = [("Sammanträdesdatum", meeting), ("Paragrafer", span)]
    return f"notiser/{notice_id}.html", want.rubrik, head + dates


def pdf_text(data: bytes) -> str:
    return normalise(pdf_body_text(data))


# --- module-wide sites -----------------------------------------------------------------------


@pytest.fixture(scope="module")
def region(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The region sample, copied; never changed."""
    return copy_region(tmp_path_factory.mktemp("region") / "projekt")


@pytest.fixture(scope="module")
def kommun(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The kommun sample, copied; never changed."""
    return copy_kommun(tmp_path_factory.mktemp("kommun") / "projekt")


@pytest.fixture(scope="module")
def region_sites(region: Path, tmp_path_factory: pytest.TempPathFactory) -> dict[date, Tree]:
    """The region's site on each day of REGION_DAYS, published one after the other into
    one folder (each PDF is rendered once, then taken from the site before)."""
    site = tmp_path_factory.mktemp("region-site") / "anslagstavla"
    return {day: published(region, site, day) for day in sorted(REGION_DAYS)}


@pytest.fixture(scope="module")
def kommun_site(kommun: Path, tmp_path_factory: pytest.TempPathFactory) -> Tree:
    site = tmp_path_factory.mktemp("kommun-site") / "anslagstavla"
    return published(kommun, site, KOMMUN_DAY)


# --- 1. what is up on a day (region) --------------------------------------------------------


def test_every_region_notice_with_its_dates_newest_first(region: Path) -> None:
    found = [
        (n.id, n.rubrik, n.uppsatt, n.nedtas, n.sista_dag)
        for n in tillkannagivanden(project_of(region))
    ]
    assert found == [
        (key, want.rubrik, want.uppsatt, want.nedtas, want.sista_dag)
        for key, want in REGION.items()
    ]


@pytest.mark.parametrize("day", sorted(REGION_DAYS), ids=str)
def test_what_the_library_shows_on_a_day(region: Path, day: date) -> None:
    assert board(project_of(region), day) == REGION_DAYS[day]


@pytest.mark.parametrize("day", sorted(REGION_DAYS), ids=str)
def test_what_the_site_shows_on_a_day(region_sites: dict[date, Tree], day: date) -> None:
    site = region_sites[day]
    up, down = REGION_DAYS[day]
    assert listed(site, "index.html") == [expected_row(n) for n in up]
    assert listed(site, "arkiv.html") == [expected_row(n) for n in down]
    pages = {f"notiser/{n}.html" for n in up + down}
    assert {path for path in site if path.startswith("notiser/")} == pages
    index = page(site, "index.html").find("main").text()
    assert ("Det finns inga aktuella tillkännagivanden." in index) == (not up)
    archive = page(site, "arkiv.html").find("main").text()
    assert ("Det finns inga nedtagna tillkännagivanden." in archive) == (not down)
    for n in up + down:
        text = page(site, f"notiser/{n}.html").find("main").text()
        taken_down = "Anslaget är nedtaget: tiden för tillkännagivandet har gått ut."
        assert (taken_down in text) == (n in down), n
    feed = ET.fromstring(site["flode.atom"])
    atom = "{http://www.w3.org/2005/Atom}"
    entries = [e.find(f"{atom}title").text for e in feed.findall(f"{atom}entry")]
    assert entries == [REGION[n].rubrik for n in up]  # the feed holds what is up


@pytest.mark.parametrize("day", [d for d in sorted(REGION_DAYS) if d >= date(2025, 12, 2)], ids=str)
def test_the_pdfs_published_are_those_the_notices_link(
    region_sites: dict[date, Tree], day: date
) -> None:
    site = region_sites[day]
    up, down = REGION_DAYS[day]
    links = {href for n in up + down for href, _ in documents(site, f"notiser/{n}.html")}
    for n in up + down:
        assert documents(site, f"notiser/{n}.html") == REGION_DOCUMENTS[n], n
    assert {p for p in site if p.startswith("dokument/")} == {
        link.removeprefix("../") for link in links
    }
    assert set(site) == COMMON_PAGES | {MANIFEST, "arkiv.html"} | {
        f"notiser/{n}.html" for n in up + down
    } | {link.removeprefix("../") for link in links}


def test_a_notice_page_on_the_protocols_last_day(region_sites: dict[date, Tree]) -> None:
    site = region_sites[date(2025, 12, 23)]
    body = page(site, f"notiser/{PROT_2025}.html").find("main")
    assert body.find("h1").text() == REGION[PROT_2025].rubrik
    assert rows(body.find("dl", "uppgifter")) == [
        ("Organ", "Regionstyrelsen"),
        ("Sammanträdesdatum", "2025-11-25"),
        ("Paragrafer", "§§ 196–197"),
        ("Justerat", "2025-12-01"),
        ("Anslaget sätts upp", "2025-12-02"),
        ("Anslaget tas ned", "2025-12-24"),
        ("Sista dag för överklagande", "2025-12-23"),
        ("Förvaringsplats", FORVARING),
    ]
    assert [li.text() for li in body.find("ul", "punkter").find_all("li")] == [
        "§ 196 Fullmäktigeuppdrag för regionstyrelsen (RS 552-2025)",
        "§ 197 Regionstyrelsens plan och budget 2026 (RS/1204/2025)",
    ]
    assert "Överklagandet ska ha kommit in senast 23 december 2025." in body.text()


@pytest.mark.xfail(
    strict=True,
    reason="doubtful: with justerat: true the omedelbart justerade §'s notice links the "
    "whole protocol even on a day before the protocol's justering (2025-12-01), so the "
    "site of 2025-11-26 publishes §§ 196–197 before they are justerade; the code's own "
    "comment says the whole protocol is published 'once every § in it is justerat'",
)
def test_before_the_justering_only_the_omedelbart_justerade_utdrag_is_published(
    region_sites: dict[date, Tree],
) -> None:
    site = region_sites[date(2025, 11, 26)]
    assert documents(site, f"notiser/{OJ_2025}.html") == [
        (
            "../dokument/regionstyrelsen-2025-11-25-protokollsutdrag-198.pdf",
            "Protokollsutdrag § 198",
        ),
    ]
    assert PROTOCOL_PDF_2025 not in {p.removeprefix("dokument/") for p in site}


# --- 2. a fullmäktige meeting announced ahead (kommun) -----------------------------------------


def test_the_fullmaktige_announcement(kommun: Path) -> None:
    project = project_of(kommun)
    assert [n.id for n in tillkannagivanden(project)] == [KF, KS_PROT]  # KS: no announcement
    kf = notice(project, KF)
    assert (kf.slag, kf.rubrik, kf.organ, kf.text) == (
        "sammanträde",
        KF_RUBRIK,
        "Kommunfullmäktige",
        KF_TEXT,
    )
    assert (kf.uppsatt, kf.nedtas, kf.sista_dag) == (date(2026, 4, 16), date(2026, 4, 28), None)
    assert (kf.tid, kf.plats, kf.forvaringsplats) == (
        "18.30–21.00",
        "Kommunhuset, fullmäktigesalen, Sjövik",
        "",
    )
    assert kf.punkter == tuple(
        Punkt(n, r, "") for n, r in zip(range(18, 22), KF_ARENDEN, strict=True)
    )
    assert kf.dokument == ((KF_KALLELSE, "Kallelse och föredragningslista"),)


@pytest.mark.parametrize(
    ("day", "expected"),
    [
        (date(2026, 4, 15), ([], [KS_PROT])),
        (date(2026, 4, 16), ([KF], [KS_PROT])),  # tillkännages: 2026-04-16
        (date(2026, 4, 27), ([KF], [KS_PROT])),  # the meeting's day
        (date(2026, 4, 28), ([], [KF, KS_PROT])),  # the day after: down, in the archive
    ],
    ids=str,
)
def test_the_announcement_is_up_from_tillkannages_until_the_meeting(
    kommun: Path, day: date, expected: tuple[list[str], list[str]]
) -> None:
    assert board(project_of(kommun), day) == expected


def test_the_announcement_page_and_kallelse(kommun_site: Tree) -> None:
    site = kommun_site
    assert listed(site, "index.html") == [
        (
            f"notiser/{KF}.html",
            KF_RUBRIK,
            [
                ("Sammanträdesdatum", "2026-04-27"),
                ("Anslaget sätts upp", "2026-04-16"),
                ("Anslaget tas ned", "2026-04-28"),
            ],
        ),
    ]
    body = page(site, f"notiser/{KF}.html").find("main")
    assert body.find("h1").text() == KF_RUBRIK
    assert body.find("p").text() == KF_TEXT
    assert rows(body.find("dl", "uppgifter")) == [
        ("Organ", "Kommunfullmäktige"),
        ("Sammanträdesdatum", "2026-04-27"),
        ("Tid", "18.30–21.00"),
        ("Plats", "Kommunhuset, fullmäktigesalen, Sjövik"),
        ("Anslaget sätts upp", "2026-04-16"),
        ("Anslaget tas ned", "2026-04-28"),
    ]
    assert [li.text() for li in body.find("ul", "punkter").find_all("li")] == KF_ARENDEN
    assert documents(site, f"notiser/{KF}.html") == [
        (f"../dokument/{KF_KALLELSE}", "Kallelse och föredragningslista")
    ]
    assert "Överklaga" not in [h.text() for h in body.find_all("h2")]
    assert {p for p in site if p.startswith("dokument/")} == {
        f"dokument/{KF_KALLELSE}",
        "dokument/kommunstyrelsen-2026-03-10-protokoll.pdf",
    }
    kallelse = pdf_text(site[f"dokument/{KF_KALLELSE}"])
    assert "Tid 27 april 2026 kl. 18.30–21.00 Plats Kommunhuset, fullmäktigesalen, Sjövik" in (
        kallelse
    )


def test_without_tillkannages_the_meeting_is_announced_a_week_before(tmp_path: Path) -> None:
    root = copy_kommun(tmp_path / "kommun")
    edit(root / KF_FILE, "tillkännages: 2026-04-16\n", "")
    kf = notice(project_of(root), KF)
    assert (kf.uppsatt, kf.nedtas) == (date(2026, 4, 20), date(2026, 4, 28))
    assert board(project_of(root), date(2026, 4, 19))[0] == []
    assert board(project_of(root), date(2026, 4, 20))[0] == [KF]
    result = run("validate", root / "decisions")
    assert (result.exit_code, result.stderr) == (0, "")


LATE = (
    "decisions/kf-2026-04-27-sammantrade.yaml:10:15: tillkännages: varning: sammanträdet "
    "tillkännages 5 dagar före; minst en vecka före, senast 2026-04-20 (KL 5 kap. 11 §)"
)


def test_announced_less_than_a_week_ahead_is_a_warning(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    root = copy_kommun(tmp_path / "kommun")
    edit(root / KF_FILE, "tillkännages: 2026-04-16", "tillkännages: 2026-04-22")
    assert (root / KF_FILE).read_text("utf-8").splitlines()[9] == "tillkännages: 2026-04-22"
    monkeypatch.chdir(root)
    result = run("validate")
    assert result.exit_code == 0
    assert result.stderr.splitlines() == [LATE]
    assert result.stdout == "2 ärende(n) och 2 sammanträde(n) utan problem (1 varning(ar)).\n"
    assert board(project_of(root), date(2026, 4, 22))[0] == [KF]
    published_late = run("publish", "--datum", "2026-04-22", "-o", "site")
    assert published_late.exit_code == 0
    assert published_late.stderr.splitlines() == [LATE]  # publish warns too


def test_announced_exactly_a_week_ahead_is_no_warning(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    root = copy_kommun(tmp_path / "kommun")
    edit(root / KF_FILE, "tillkännages: 2026-04-16", "tillkännages: 2026-04-20")
    monkeypatch.chdir(root)
    result = run("validate")
    assert (result.exit_code, result.stderr) == (0, "")


@pytest.mark.xfail(
    strict=True,
    reason="bug: tillkännages after the meeting is only a warning ('sammanträdet "
    "tillkännages -2 dagar före'), and the announcement is then never up (it would go up "
    "after the day it comes down)",
)
def test_tillkannages_after_the_meeting_is_refused(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    root = copy_kommun(tmp_path / "kommun")
    edit(root / KF_FILE, "tillkännages: 2026-04-16", "tillkännages: 2026-04-29")
    monkeypatch.chdir(root)
    result = run("validate")
    assert result.exit_code == 1
    assert "tillkännages" in result.stderr
    assert "-2 dagar" not in result.stderr


KS_ORGAN = "  Kommunstyrelsen:\n    ledamöter: 13\n"
KF_ORGAN = "  Kommunfullmäktige: {ledamöter: 41}\n"


def test_fullmaktige_true_in_the_profile_announces_another_organ(tmp_path: Path) -> None:
    root = copy_kommun(tmp_path / "kommun")
    edit(root / "beslutsgen.yaml", KS_ORGAN, KS_ORGAN + "    fullmäktige: true\n")
    project = project_of(root)
    ks = "kommunstyrelsen-2026-03-10-sammantrade"
    assert [n.id for n in tillkannagivanden(project)] == [KF, KS_PROT, ks]
    found = notice(project, ks)
    assert (found.rubrik, found.uppsatt, found.nedtas) == (
        "Kommunstyrelsen sammanträder 10 mars 2026",
        date(2026, 3, 3),
        date(2026, 3, 11),
    )
    assert found.text == (
        "Kommunstyrelsen sammanträder 10 mars 2026 kl. 13.00–15.45, Kommunhuset, "
        "sammanträdesrum Sjön, Sjövik. Sammanträdet är offentligt (5 kap. 38 § kommunallagen)."
    )
    assert found.dokument == (
        ("kommunstyrelsen-2026-03-10-kallelse.pdf", "Kallelse och föredragningslista"),
    )


def test_fullmaktige_false_in_the_profile_overrides_the_name(tmp_path: Path) -> None:
    root = copy_kommun(tmp_path / "kommun")
    edit(
        root / "beslutsgen.yaml",
        KF_ORGAN,
        "  Kommunfullmäktige: {ledamöter: 41, fullmäktige: false}\n",
    )
    # tillkännages: given still announces the meeting, but not as fullmäktige's: no
    # "offentligt", and a late day is no warning.
    edit(root / KF_FILE, "tillkännages: 2026-04-16", "tillkännages: 2026-04-22")
    result = run("validate", root / "decisions")
    assert (result.exit_code, result.stderr) == (0, "")
    found = notice(project_of(root), KF)
    assert found.text == (
        "Kommunfullmäktige sammanträder 27 april 2026 kl. 18.30–21.00, Kommunhuset, "
        "fullmäktigesalen, Sjövik."
    )
    edit(root / KF_FILE, "tillkännages: 2026-04-22\n", "")  # and without: none at all
    assert [n.id for n in tillkannagivanden(project_of(root))] == [KS_PROT]


# --- 3. a delegationsbeslut tillkännagivet on its own ------------------------------------------


def test_the_delegationsbeslut_notice(region: Path) -> None:
    found = notice(project_of(region), DELEG)
    assert found == Notis(
        id=DELEG,
        slag="delegationsbeslut",
        rubrik=DELEG_RUBRIK,
        organ="Regionstyrelsen",
        uppsatt=date(2026, 6, 10),
        nedtas=date(2026, 7, 2),
        forvaringsplats=FORVARING,
        text="Beslutet har fattats med stöd av delegation från Regionstyrelsen och "
        "tillkännages här. Tiden för att överklaga det räknas från den dag "
        "tillkännagivandet sattes upp.",
        sista_dag=date(2026, 7, 1),
        uppgifter=(
            ("Diarienummer", "RS/512/2026"),
            ("Beslutsdatum", "2026-06-08"),
            ("Beslutsfattare", "Regiondirektör Sara Lewerentz"),
            ("Delegationspunkt", "2.4 Yttranden i remisser från myndigheter"),
            ("Beslut", DELEG_RUBRIK.partition(": ")[2]),
        ),
    )


def test_the_delegationsbeslut_page(region_sites: dict[date, Tree]) -> None:
    body = page(region_sites[ALL_UP], f"notiser/{DELEG}.html").find("main")
    assert body.find("h1").text() == DELEG_RUBRIK
    assert rows(body.find("dl", "uppgifter")) == [
        ("Organ", "Regionstyrelsen"),
        ("Diarienummer", "RS/512/2026"),
        ("Beslutsdatum", "2026-06-08"),
        ("Beslutsfattare", "Regiondirektör Sara Lewerentz"),
        ("Delegationspunkt", "2.4 Yttranden i remisser från myndigheter"),
        ("Beslut", DELEG_RUBRIK.partition(": ")[2]),
        ("Anslaget sätts upp", "2026-06-10"),
        ("Anslaget tas ned", "2026-07-02"),
        ("Sista dag för överklagande", "2026-07-01"),
        ("Förvaringsplats", FORVARING),
    ]
    assert (
        "Den som är medlem i regionen kan överklaga beslutet genom laglighetsprövning hos "
        "Förvaltningsrätten i Härnösand. Överklagandet ska ha kommit in senast 1 juli 2026."
    ) in body.text()


@pytest.mark.parametrize(
    ("anslag", "last_day"),
    [
        (date(2026, 5, 29), date(2026, 6, 22)),  # day 21 is midsommarafton, then a weekend
        (date(2025, 12, 3), date(2025, 12, 29)),  # julafton, jul- and annandagen, a weekend
        (date(2026, 6, 3), date(2026, 6, 24)),  # day 21 a plain Wednesday
    ],
    ids=str,
)
def test_the_last_day_to_appeal_a_delegationsbeslut_moves_past_helgdagar(
    tmp_path: Path, anslag: date, last_day: date
) -> None:
    root = copy_region(tmp_path / "region")
    edit(
        root / "decisions/rs-512-2026-delegationsbeslut.yaml",
        "anslag: 2026-06-10",
        f"anslag: {anslag.isoformat()}",
    )
    found = notice(project_of(root), DELEG)
    assert (found.uppsatt, found.sista_dag, found.nedtas) == (
        anslag,
        last_day,
        date.fromordinal(last_day.toordinal() + 1),
    )


def test_a_delegationsbeslut_with_anslag_that_is_also_anmalt_is_refused(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    root = copy_region(tmp_path / "region")
    edit(
        root / "decisions/rs-2026-06-16-sammantrade.yaml",
        "      - RS/455/2026\n",
        "      - RS/455/2026\n      - RS/512/2026\n",
    )
    monkeypatch.chdir(root)
    result = run("publish", "--datum", "2026-06-24", "-o", "site")
    assert result.exit_code == 1
    assert result.stderr.splitlines() == [
        "decisions/rs-2026-06-16-sammantrade.yaml:75:9: paragrafer[7].delegationsbeslut[2]: "
        "delegationsbeslutet 'RS/512/2026' tillkännages för sig (anslag: i "
        "decisions/rs-512-2026-delegationsbeslut.yaml); ett anmält beslut tillkännages med "
        "protokollet, så ta bort anslag: där eller anmälan här",
        "1 problem i 1 fil(er); inget skrevs.",
    ]
    assert result.stdout == ""
    assert not (root / "site").exists()
    assert sorted(p.name for p in root.iterdir()) == ["beslutsgen.yaml", "bilagor", "decisions"]


# --- 4. a protocol not yet justerat ------------------------------------------------------------


@pytest.fixture(scope="module")
def not_justerat(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Tree]:
    """The region with both protocols not justerade: 2026-06-16 with §§ 105 and 106
    omedelbart justerade, 2025-11-25 with none."""
    root = copy_region(tmp_path_factory.mktemp("not-justerat") / "region")
    meeting = root / "decisions/rs-2026-06-16-sammantrade.yaml"
    edit(meeting, "  justerat: true", "  justerat: false")
    edit(
        meeting,
        "    sekretess: OSL 25 kap. 1 §",
        "    omedelbart_justerad: true\n    sekretess: OSL 25 kap. 1 §",
    )
    old = root / "decisions/rs-2025-11-25-sammantrade.yaml"
    edit(old, "  justerat: true", "  justerat: false")
    edit(old, "    omedelbart_justerad: true\n", "")
    return root, published(root, tmp_path_factory.mktemp("not-justerat-site") / "site", ALL_UP)


def test_before_justering_only_the_omedelbart_justerade_are_announced(
    not_justerat: tuple[Path, Tree],
) -> None:
    root, site = not_justerat
    assert [n.id for n in tillkannagivanden(project_of(root))] == [OJ_2026, DELEG]
    found = notice(project_of(root), OJ_2026)
    assert (found.rubrik, found.uppsatt, found.nedtas, found.sista_dag, found.justerat) == (
        "Omedelbart justerade paragrafer, Regionstyrelsen 2026-06-16, §§ 105–106",
        date(2026, 6, 17),
        date(2026, 7, 9),
        date(2026, 7, 8),
        date(2026, 6, 16),
    )
    utdrag = [f"regionstyrelsen-2026-06-16-protokollsutdrag-{n}.pdf" for n in (105, 106)]
    assert found.dokument == tuple(
        (name, f"Protokollsutdrag § {n}") for name, n in zip(utdrag, (105, 106), strict=True)
    )
    assert set(site) == COMMON_PAGES | {MANIFEST, "arkiv.html"} | {
        f"notiser/{OJ_2026}.html",
        f"notiser/{DELEG}.html",
        *(f"dokument/{u}" for u in utdrag),
    }
    assert documents(site, f"notiser/{OJ_2026}.html") == [
        (f"../dokument/{u}", f"Protokollsutdrag § {n}")
        for u, n in zip(utdrag, (105, 106), strict=True)
    ]
    assert listed(site, "arkiv.html") == []  # 2025-11-25: never announced, so never down
    assert pdf_text(site[f"dokument/{utdrag[0]}"]).startswith(
        "§ 105 Ekonomisk uppföljning per april 2026 för regionstyrelsen RS/311/2026 "
    )
    # The § under sekretess is announced and published as its heading and why.
    assert pdf_text(site[f"dokument/{utdrag[1]}"]).startswith(f"{HEADING_106} {SEKRETESS} ")
    assert FORSLAG_106 not in pdf_text(site[f"dokument/{utdrag[1]}"])


# --- 5. sekretess and publiceras: false -------------------------------------------------------


def section_106(text: str) -> str:
    """§ 106 of a protocol's text: from its heading to the next §."""
    start = text.index("§ 106 ")
    return text[start : text.index("§ 107 ", start)].strip()


def all_text(site: Tree) -> str:
    """Everything a reader can read on the site: every page's text and every PDF's."""
    parts = []
    for path, data in site.items():
        if path.endswith(".pdf"):
            parts.append(pdf_full_text(data))
        elif path.endswith((".html", ".atom")):
            parts.append(html.unescape(data.decode("utf-8")))
    return normalise("\n".join(parts))


def test_a_paragraph_under_sekretess_is_published_as_its_heading(
    region_sites: dict[date, Tree],
) -> None:
    site = region_sites[ALL_UP]
    text = pdf_text(site[f"dokument/{PROTOCOL_PDF_2026}"])
    assert section_106(text) == f"{HEADING_106} {SEKRETESS}"
    assert FORSLAG_106 not in all_text(site)
    items = page(site, f"notiser/{PROT_2026}.html").find("ul", "punkter").find_all("li")
    assert [li.text() for li in items if li.text().startswith("§ 106")] == [
        f"{HEADING_106} {SEKRETESS}"
    ]
    (why,) = [
        li.find("span", "utelamnad").text()
        for li in items
        if li.find_all("span") and li.text().startswith("§ 106")
    ]
    assert why == SEKRETESS


def test_publiceras_false_gives_the_other_statement(tmp_path: Path) -> None:
    root = copy_region(tmp_path / "region")
    edit(
        root / "decisions/rs-2026-06-16-sammantrade.yaml",
        "    sekretess: OSL 25 kap. 1 §",
        "    publiceras: false  #",
    )
    site = published(root, tmp_path / "site", ALL_UP)
    text = pdf_text(site[f"dokument/{PROTOCOL_PDF_2026}"])
    assert section_106(text) == f"{HEADING_106} {EJ_PUBLICERAD}"
    assert FORSLAG_106 not in all_text(site)
    items = page(site, f"notiser/{PROT_2026}.html").find("ul", "punkter").find_all("li")
    assert [li.text() for li in items if li.text().startswith("§ 106")] == [
        f"{HEADING_106} {EJ_PUBLICERAD}"
    ]


def test_the_meetings_own_protocol_keeps_the_paragraph(region: Path, tmp_path: Path) -> None:
    result = run(
        "meeting",
        region / "decisions/rs-2026-06-16-sammantrade.yaml",
        "-o",
        tmp_path / "out",
        "--format",
        "pdf",
    )
    assert result.exit_code == 0, result.output
    data = (tmp_path / "out/regionstyrelsen-2026-06-16/protokoll.pdf").read_bytes()
    own = section_106(pdf_text(data))
    assert own.startswith(f"{HEADING_106} ")
    assert FORSLAG_106 in own
    assert "publiceras inte" not in own


# --- 6. no personal data leaks ------------------------------------------------------------------

LEAK = " 19640823-3234 anna.leak@example.se"
LEAK_MASKED = " 19640823-XXXX [e-postadress]"
PERSONNUMMER = re.compile(r"640823[-+ ]?3234")
INTERNAL_MARK = "intmark"
KEY_PART = re.compile(r"([^.\[\]]+)|\[(\d+)\]")
Loc = tuple[str | int, ...]


def parse_key(key: str) -> Loc:
    """ "paragrafer[7].delegationsbeslut[2]" → ("paragrafer", 6, "delegationsbeslut", 1)."""
    return tuple(int(n) - 1 if n else name for name, n in KEY_PART.findall(key))


def key_of(loc: Loc) -> str:
    out = ""
    for part in loc:
        out += f"[{part + 1}]" if isinstance(part, int) else (f".{part}" if out else part)
    return out


def string_leaves(node: Any, loc: Loc = ()) -> Iterator[tuple[Loc, str]]:
    """Every string value (not mapping keys) with where it is."""
    if isinstance(node, dict):
        for key, value in node.items():
            yield from string_leaves(value, (*loc, key))
    elif isinstance(node, list):
        for i, value in enumerate(node):
            yield from string_leaves(value, (*loc, i))
    elif isinstance(node, str):
        yield loc, node


def put(node: Any, loc: Loc, value: str) -> None:
    for part in loc[:-1]:
        node = node[part]
    node[loc[-1]] = value


def internal_fields(schema: dict[str, Any]) -> list[Loc]:
    """The profile's keys marked "x-intern": true, as paths ("*" for any key or item)."""
    defs = schema.get("$defs", {})
    found: list[Loc] = []

    def visit(node: dict[str, Any], loc: Loc, depth: int = 0) -> None:
        if depth > 30:
            return
        if "$ref" in node:
            visit(defs[node["$ref"].rpartition("/")[2]], loc, depth + 1)
        for alternative in node.get("anyOf", []) + node.get("allOf", []):
            visit(alternative, loc, depth + 1)
        for name, sub in node.get("properties", {}).items():
            if sub.get("x-intern") is True:
                found.append((*loc, name))
            else:
                visit(sub, (*loc, name), depth + 1)
        for key in ("items", "additionalProperties"):
            if isinstance(node.get(key), dict):
                visit(node[key], (*loc, "*"), depth + 1)

    visit(schema, ())
    return found


def under(data: Any, loc: Loc) -> Iterator[tuple[Loc, Any]]:
    """The values at `loc` ("*" matching every key or item), with their full paths."""
    if not loc:
        yield (), data
        return
    head, rest = loc[0], loc[1:]
    if head == "*":
        items = data.items() if isinstance(data, dict) else enumerate(data or [])
    else:
        items = [(head, data[head])] if isinstance(data, dict) and head in data else []
    for key, value in items:
        for sub, found in under(value, rest):
            yield (key, *sub), found


@dataclass
class Planted:
    """The strings changed in a project: each with its original and the value written;
    the ones validation refused are back to their original (stage 1)."""

    files: dict[Path, Any]
    leaves: dict[tuple[Path, Loc], str]  # original values
    planted: dict[tuple[Path, Loc], str]  # what is written when kept
    group: dict[tuple[Path, Loc], object]  # leaves that change together
    reverted: set[object] = field(default_factory=set)

    def write(self) -> None:
        for (path, loc), original in self.leaves.items():
            keep = self.group[(path, loc)] not in self.reverted
            put(self.files[path], loc, self.planted[(path, loc)] if keep else original)
        for path, data in self.files.items():
            text = yaml.safe_dump(data, allow_unicode=True, sort_keys=False, width=1000)
            path.write_text(text, "utf-8")

    def kept(self) -> dict[tuple[Path, Loc], str]:
        return {
            leaf: original
            for leaf, original in self.leaves.items()
            if self.group[leaf] not in self.reverted
        }


def plant(root: Path, internal: list[Loc]) -> Planted:
    """LEAK appended to every string of every decisions/*.yaml, and a unique marker put
    in front of every string of the profile's internal fields; then every value that
    makes validation fail is reverted (equal strings of the decisions together, so that
    references stay references), until the project is valid."""
    profile_path = root / "beslutsgen.yaml"
    files = {p: yaml.safe_load(p.read_text("utf-8")) for p in sorted(root.glob("decisions/*.yaml"))}
    files[profile_path] = yaml.safe_load(profile_path.read_text("utf-8"))
    leaves: dict[tuple[Path, Loc], str] = {}
    planted: dict[tuple[Path, Loc], str] = {}
    group: dict[tuple[Path, Loc], object] = {}
    for path, data in files.items():
        if path == profile_path:
            for loc in internal:
                for at, value in under(data, loc):
                    for sub, text in string_leaves(value, at):
                        leaf = (path, sub)
                        leaves[leaf] = text
                        planted[leaf] = f"{INTERNAL_MARK}{len(planted)}x{text}"
                        group[leaf] = leaf
        else:
            for loc, text in string_leaves(data):
                leaf = (path, loc)
                leaves[leaf] = text
                planted[leaf] = text.rstrip("\n") + LEAK
                group[leaf] = text
    state = Planted(files, leaves, planted, group)
    for _ in range(20):
        state.write()
        try:
            load_project([root / "decisions"], root, root)
            return state
        except InputError as exc:
            problems = exc.problems
        before = len(state.reverted)
        for problem in problems:
            path, loc = (root / problem.path).resolve(), parse_key(problem.key)
            for leaf in leaves:
                if leaf[0].resolve() == path and (
                    leaf[1][: len(loc)] == loc or loc[: len(leaf[1])] == leaf[1]
                ):
                    state.reverted.add(group[leaf])
        if len(state.reverted) == before:
            raise AssertionError(
                "a problem no planted value explains:\n" + "\n".join(map(str, problems))
            )
    raise AssertionError("planting did not converge")


def _pdf_strings(obj: Any, out: list[str]) -> None:
    if isinstance(obj, pikepdf.String):
        out.append(str(obj))
        out.append(bytes(obj).decode("latin-1"))
    elif isinstance(obj, pikepdf.Array):
        for item in obj:
            if isinstance(item, pikepdf.Object) and not item.is_indirect:
                _pdf_strings(item, out)
    elif isinstance(obj, pikepdf.Dictionary | pikepdf.Stream):
        for key in obj.keys():  # noqa: SIM118 (pikepdf objects)
            item = obj.get(key)
            if isinstance(item, pikepdf.Object) and not item.is_indirect:
                _pdf_strings(item, out)


def readable(path: str, data: bytes) -> dict[str, str]:
    """Every form in which a file could carry text: its name, its bytes; for HTML and
    Atom the entity-decoded text; for a PDF its extracted text, every (decoded) stream
    (content, XMP metadata, ToUnicode maps) as bytes and as UTF-16, and every string
    object (document info, outline, structure tree, annotations)."""
    forms = {
        "name": path,
        "bytes": data.decode("latin-1"),
        "utf-8": data.decode("utf-8", "replace"),
    }
    if path.endswith((".html", ".atom")):
        forms["unescaped"] = html.unescape(data.decode("utf-8"))
    if path.endswith(".pdf"):
        forms["text"] = pdf_full_text(data)
        pdf = pikepdf.open(io.BytesIO(data))
        streams, strings = [], []
        for obj in pdf.objects:
            if isinstance(obj, pikepdf.Stream):
                try:
                    raw = obj.read_bytes()
                except pikepdf.PdfError:
                    raw = obj.read_raw_bytes()
                streams += [
                    raw.decode("latin-1"),
                    raw.decode("utf-16-be", "ignore"),
                    raw[1:].decode("utf-16-be", "ignore"),
                ]
            _pdf_strings(obj, strings)
        _pdf_strings(pdf.trailer, strings)
        forms["streams"] = "\n".join(streams)
        forms["strings"] = "\n".join(strings)
        forms["xmp"] = str(pdf.open_metadata())
    return forms


def leaks(site: Tree, needles: list[str]) -> list[str]:
    """Where any of `needles` (or a planted personnummer unmasked) appears in the site."""
    wanted = [PERSONNUMMER, *(re.compile(re.escape(n), re.IGNORECASE) for n in needles)]
    found = []
    for path, data in site.items():
        for form, text in readable(path, data).items():
            for pattern in wanted:
                for hit in pattern.finditer(text):
                    around = text[max(0, hit.start() - 40) : hit.end() + 10]
                    found.append(f"{path} ({form}): {around!r}")
    return found


def arrived(site: Tree, planted: Planted) -> set[tuple[str, str]]:
    """The kept decisions values (file name, key) whose text, masked, is on the site."""
    text = all_text(site)
    found = set()
    for (path, loc), original in planted.kept().items():
        if path.name == "beslutsgen.yaml":
            continue
        want = normalise(for_publication(original.rstrip("\n")) + LEAK_MASKED)[-70:]
        if want in text:
            found.add((path.name, key_of(loc)))
    return found


@pytest.fixture(scope="module")
def internal() -> list[Loc]:
    result = run("schema", "profil")
    assert result.exit_code == 0, result.output
    fields = internal_fields(json.loads(result.stdout))
    assert ("adressbok",) in fields, fields
    return fields


@dataclass(frozen=True)
class LeakSite:
    name: str
    root: Path
    planted: Planted
    site: Tree


@pytest.fixture(scope="module", params=["region", "kommun"])
def leak_site(
    request: pytest.FixtureRequest, internal: list[Loc], tmp_path_factory: pytest.TempPathFactory
) -> LeakSite:
    base = tmp_path_factory.mktemp(f"leak-{request.param}")
    if request.param == "region":
        root, day = copy_region(base / "projekt"), ALL_UP
    else:
        root, day = copy_kommun(base / "projekt"), KOMMUN_DAY
    planted = plant(root, internal)
    return LeakSite(request.param, root, planted, published(root, base / "site", day))


def test_every_internal_field_was_planted(leak_site: LeakSite, internal: list[Loc]) -> None:
    kept = {loc[0] for (path, loc) in leak_site.planted.kept() if path.name == "beslutsgen.yaml"}
    profile = yaml.safe_load((leak_site.root / "beslutsgen.yaml").read_text("utf-8"))
    assert kept == {loc[0] for loc in internal if loc[0] in profile}
    assert kept >= {"adressbok", "expediering"}


def test_no_personnummer_email_or_internal_field_reaches_the_site(leak_site: LeakSite) -> None:
    planted = leak_site.planted
    profile = {
        original: planted.planted[leaf]
        for leaf, original in planted.kept().items()
        if leaf[0].name == "beslutsgen.yaml"
    }
    emails = sorted(v for v in profile.values() if "@" in v)
    assert emails, "no address-book e-mail was planted"
    assert leaks(leak_site.site, ["anna.leak@example.se", INTERNAL_MARK, *emails]) == []


def test_the_planted_text_arrives_masked(leak_site: LeakSite) -> None:
    """Not vacuous: the planted fields are on the site, masked, in pages and PDFs."""
    site = leak_site.site
    for path, data in site.items():
        if path.endswith((".pdf", ".html")) and path.startswith(("dokument/", "notiser/")):
            text = pdf_text(data) if path.endswith(".pdf") else html.unescape(data.decode())
            assert "19640823-XXXX [e-postadress]" in normalise(text), path
    found = arrived(site, leak_site.planted)
    kept = {
        (path.name, key_of(loc))
        for (path, loc) in leak_site.planted.kept()
        if path.name != "beslutsgen.yaml"
    }
    if leak_site.name == "region":
        shown = {
            "rs-2025-11-25-sammantrade.yaml",
            "rs-2026-06-16-sammantrade.yaml",
            "rs-455-2026-delegationsbeslut.yaml",
            "rs-512-2026-delegationsbeslut.yaml",
        }
        # Every kept value of the meetings and delegationsbeslut arrives but § 106's
        # förslag (sekretess) and why § 104's handlingar are held back (only the kallelse
        # and the sammanträdeshandlingar say that, and neither is published here).
        assert {k for k in kept if k[0] in shown} - found == {
            ("rs-2026-06-16-sammantrade.yaml", "paragrafer[6].förslag.punkter[1]"),
            ("rs-2026-06-16-sammantrade.yaml", "paragrafer[4].handlingar.skäl"),
        }
        for case in (
            "rs-552-2025.yaml",
            "rs-1204-2025.yaml",
            "rs-595-2023.yaml",
            "rs-88-2026.yaml",
            "rs-402-2026.yaml",
            "rs-311-2026.yaml",
        ):
            assert {(case, "rubrik"), (case, "förslag.punkter[1]")} <= found, case
    else:
        assert {
            (KF_FILE.removeprefix("decisions/"), key)
            for key in (
                "plats",
                "paragrafer[3].rubrik",
                "paragrafer[3].förslag.punkter[1]",
                "ordförande",
                "sekreterare",
            )
        } <= found


PNR_DNR = "19640823-3234"  # a diarienummer may hold digits, spaces and dashes


@pytest.mark.xfail(
    strict=True,
    reason="bug: a notice's page name is slug(diarienummer), so a diarienummer holding a "
    "personnummer (valid: 'RS/512/2026 19640823-3234') is published unmasked in the page's "
    "file name, in every href to it and in the Atom entry's link (and its id when "
    "anslagstavla.webbadress is set)",
)
def test_a_personnummer_in_a_diarienummer_stays_out_of_page_names(tmp_path: Path) -> None:
    root = copy_region(tmp_path / "region")
    edit(
        root / "decisions/rs-512-2026-delegationsbeslut.yaml",
        "diarienummer: RS/512/2026",
        f'diarienummer: "RS/512/2026 {PNR_DNR}"',
    )
    site = published(root, tmp_path / "site", ALL_UP)
    assert "RS/512/2026 19640823-XXXX" in all_text(site)  # the text itself is masked
    assert leaks({p: d for p, d in site.items() if not p.endswith(".pdf")}, []) == []


@pytest.mark.xfail(
    strict=True,
    reason="bug: the publication rendition masks title, subject, author, organ and sender "
    "but not Meta.dnr, so a protokollsutdrag of a case whose diarienummer holds a "
    "personnummer shows it unmasked in the page header ('Diarienummer RS/311/2026 "
    "19640823-3234'), in /Keywords and in the XMP pdf:Keywords",
)
def test_a_personnummer_in_a_diarienummer_is_masked_in_a_published_utdrag(
    tmp_path: Path,
) -> None:
    root = copy_region(tmp_path / "region")
    meeting = root / "decisions/rs-2026-06-16-sammantrade.yaml"
    edit(meeting, "  justerat: true", "  justerat: false")  # § 105's utdrag is published
    edit(meeting, "    ärende: RS/311/2026", f'    ärende: "RS/311/2026 {PNR_DNR}"')
    edit(
        root / "decisions/rs-311-2026.yaml",
        "diarienummer: RS/311/2026",
        f'diarienummer: "RS/311/2026 {PNR_DNR}"',
    )
    site = published(root, tmp_path / "site", ALL_UP)
    utdrag = "dokument/regionstyrelsen-2026-06-16-protokollsutdrag-105.pdf"
    assert "RS/311/2026 19640823-XXXX" in pdf_text(site[utdrag])  # masked in the body
    assert leaks({utdrag: site[utdrag]}, []) == []


# --- 7. text is data --------------------------------------------------------------------------

INJECTIONS = [
    "<script>alert(1)</script>",
    "{{ 7*7 }}",
    '"><img src=x onerror=alert(1)>',
    "javascript:alert(1)",
]
INJECTED = " ".join(INJECTIONS)
DELEG_KS = """\
typ: delegationsbeslut
organ: Kommunstyrelsen
diarienummer: KS/120/2026
datum: 2026-04-10
beslutsfattare: {text}
delegationspunkt: {text}
beskrivning: {text}
anslag: 2026-04-14
"""


@pytest.fixture(scope="module")
def injected(tmp_path_factory: pytest.TempPathFactory) -> Tree:
    """The kommun with the injection strings in the fullmäktige meeting's plats,
    justering plats, a § rubrik and a förslag, and a delegationsbeslut's text."""
    root = copy_kommun(tmp_path_factory.mktemp("injected") / "kommun")
    text = json.dumps(INJECTED, ensure_ascii=False)  # a YAML double-quoted scalar
    kf = root / KF_FILE
    edit(kf, "plats: Kommunhuset, fullmäktigesalen, Sjövik", f"plats: {text}")
    edit(kf, "  plats: Kommunhuset, Sjövik", f"  plats: {text}")
    edit(kf, "rubrik: Taxa för bygglov 2027", f"rubrik: {text}")
    edit(kf, "- Valberedningens förslag till fyllnadsval lämnas vid sammanträdet.", f"- {text}")
    (root / "decisions/ks-120-2026-delegationsbeslut.yaml").write_text(
        DELEG_KS.format(text=text), "utf-8"
    )
    return published(root, tmp_path_factory.mktemp("injected-site") / "site", KOMMUN_DAY)


def test_injected_text_makes_no_markup(injected: Tree) -> None:
    pages = [p for p in injected if p.endswith(".html")]
    assert len(pages) == 6
    for path in pages:
        parsed = parse(injected[path])
        tags = {e.tag for e in parsed.elements}
        assert not tags & {"script", "img", "iframe", "object", "embed", "svg"}, path
        for element in parsed.elements:
            assert not any(name.startswith("on") for name in element.attrs), (path, element)
            for name in ("href", "src", "action"):
                value = (element.attrs.get(name) or "").strip().casefold()
                assert not value.startswith(("javascript:", "data:")), (path, value)


def test_injected_text_is_shown_literally(injected: Tree) -> None:
    kf_page = page(injected, f"notiser/{KF}.html").find("main")
    assert dict(rows(kf_page.find("dl", "uppgifter")))["Plats"] == INJECTED
    assert kf_page.find("p").text() == (
        f"Kommunfullmäktige sammanträder 27 april 2026 kl. 18.30–21.00, {INJECTED}. "
        "Sammanträdet är offentligt (5 kap. 38 § kommunallagen)."
    )
    assert [li.text() for li in kf_page.find("ul", "punkter").find_all("li")][2] == INJECTED
    deleg = "delegationsbeslut-ks-120-2026"
    rubrik = f"Delegationsbeslut KS/120/2026: {INJECTED}"
    body = page(injected, f"notiser/{deleg}.html").find("main")
    assert body.find("h1").text() == rubrik
    assert [
        v
        for k, v in rows(body.find("dl", "uppgifter"))
        if k in ("Beslutsfattare", "Delegationspunkt", "Beslut")
    ] == [INJECTED] * 3
    # Newest first: the announcement went up 2026-04-16, the delegationsbeslut 04-14.
    assert [title for _, title, _ in listed(injected, "index.html")] == [KF_RUBRIK, rubrik]
    title = page(injected, f"notiser/{deleg}.html").find("title").text()
    assert title == f"{rubrik} – Sjöviks kommuns anslagstavla – Sjöviks kommun"
    for path in (f"notiser/{KF}.html", f"notiser/{deleg}.html", "index.html"):
        text = page(injected, path).text()
        assert "{{ 7*7 }}" in text and "49" not in text, path
    atom = "{http://www.w3.org/2005/Atom}"
    feed = ET.fromstring(injected["flode.atom"])
    assert [e.find(f"{atom}title").text for e in feed.findall(f"{atom}entry")] == [
        KF_RUBRIK,
        rubrik,
    ]
    assert [e.tag for e in feed.iter() if not e.tag.startswith(atom)] == []
    kallelse = pdf_text(injected[f"dokument/{KF_KALLELSE}"])
    assert f"Plats {INJECTED}" in kallelse
    assert f"3 {INJECTED}" in kallelse  # the föredragningslista


def test_a_bidi_override_is_refused(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    root = copy_kommun(tmp_path / "kommun")
    edit(root / KF_FILE, "rubrik: Taxa för bygglov 2027", "rubrik: Taxa för \u202efdp.exe")
    monkeypatch.chdir(root)
    message = [
        "decisions/kf-2026-04-27-sammantrade.yaml:57:13: paragrafer[3].rubrik: otillåtet "
        "riktningstecken U+202E på position 10; ta bort det (det syns inte men vänder "
        "ordningen på texten som läsaren ser)",
        "1 problem i 1 fil(er); inget skrevs.",
    ]
    result = run("validate")
    assert (result.exit_code, result.stderr.splitlines()) == (1, message)
    result = run("publish", "--datum", "2026-04-20", "-o", "site")
    assert (result.exit_code, result.stderr.splitlines()) == (1, message)
    assert not (root / "site").exists()


# --- 8. the same bytes, and a site replaced as a whole ------------------------------------------


def test_two_publishes_give_the_same_bytes(
    region: Path, region_sites: dict[date, Tree], tmp_path: Path
) -> None:
    first = published(region, tmp_path / "a", ALL_UP)
    second = published(region, tmp_path / "b", ALL_UP)
    assert first == second
    assert first == region_sites[ALL_UP]  # and equal to a site re-published day by day


def test_a_later_publish_replaces_the_whole_site(tmp_path: Path) -> None:
    root = copy_region(tmp_path / "region")
    with (root / "beslutsgen.yaml").open("a", encoding="utf-8") as profile:
        profile.write("anslagstavla: {behåll_nedtagna: false}\n")
    site = tmp_path / "site"
    first = published(root, site, ALL_UP)
    assert set(first) == COMMON_PAGES | {MANIFEST, f"dokument/{PROTOCOL_PDF_2026}"} | {
        f"notiser/{n}.html" for n in (PROT_2026, OJ_2026, DELEG)
    }
    (site / "extra.html").write_text("left by hand", "utf-8")
    later = published(root, site, date(2026, 7, 3))  # the delegationsbeslut came down 07-02
    assert set(later) == COMMON_PAGES | {MANIFEST, f"dokument/{PROTOCOL_PDF_2026}"} | {
        f"notiser/{n}.html" for n in (PROT_2026, OJ_2026)
    }
    assert not (site / "arkiv.html").exists()
    for path in later:
        if path.endswith(".html"):
            assert "arkiv.html" not in nav_links(later, path), path
            assert b"arkiv.html" not in later[path], path
    assert [p.name for p in tmp_path.iterdir() if p.name.startswith(".")] == []


def test_a_file_in_the_way_of_the_site(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    root = copy_region(tmp_path / "region")
    (root / "site").write_text("not a folder", "utf-8")
    monkeypatch.chdir(root)
    result = run("publish", "--datum", "2026-06-24", "-o", "site")
    assert result.exit_code == 3
    assert result.stderr == (
        f"fel: {root.resolve() / 'site'} är en fil och står i vägen; flytta eller ta bort den, "
        "eller välj en annan mapp med -o\n"
    )
    assert result.stdout == ""
    assert (root / "site").read_text("utf-8") == "not a folder"
    assert sorted(p.name for p in root.iterdir()) == [
        "beslutsgen.yaml",
        "bilagor",
        "decisions",
        "site",
    ]


@pytest.mark.xfail(
    strict=True,
    reason="bug: publish replaces the output folder as a whole even when it holds the "
    "project's own input: `beslutsgen publish -o decisions` deletes every YAML file in "
    "decisions/ (and `-o .` the whole project) without a word",
)
def test_publishing_over_the_projects_input_is_refused(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    root = copy_region(tmp_path / "region")
    before = tree(root / "decisions")
    monkeypatch.chdir(root)
    result = run("publish", "--datum", "2026-06-24", "-o", "decisions")
    assert tree(root / "decisions") == before
    assert result.exit_code != 0


# --- 9. the command line ------------------------------------------------------------------------


def test_a_date_that_is_no_date_is_a_usage_error(region: Path, tmp_path: Path) -> None:
    result = run("publish", region / "decisions", "--datum", "2026-13-01", "-o", tmp_path / "site")
    assert result.exit_code == 2
    assert result.stderr.splitlines() == [
        "Usage: beslutsgen publish [OPTIONS] [PATHS]...",
        "Try 'beslutsgen publish --help' for help.",
        "",
        "Error: Invalid value for '--datum': '2026-13-01' does not match the format '%Y-%m-%d'.",
    ]
    assert result.stdout == ""
    assert not (tmp_path / "site").exists()


def test_broken_yaml_writes_nothing(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    root = copy_region(tmp_path / "region")
    (root / "decisions/trasig.yaml").write_text(
        "typ: delegationsbeslut\norgan: [Regionstyrelsen\n", "utf-8"
    )
    monkeypatch.chdir(root)
    result = run("publish", "--datum", "2026-06-24", "-o", "ut/site")
    assert result.exit_code == 1
    assert result.stderr.splitlines() == [
        "decisions/trasig.yaml:2:8: ogiltig YAML: hakparentesen [ stängs aldrig med ]",
        "1 problem i 1 fil(er); inget skrevs.",
    ]
    assert result.stdout == ""
    assert not (root / "ut").exists()


def test_what_a_successful_run_prints(
    region: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(region)
    out = tmp_path / "site"
    result = run("publish", "--datum", "2026-06-24", "-o", out)
    assert (result.exit_code, result.stderr) == (0, "")
    assert result.stdout == f"{out}/index.html: anslagstavlan 2026-06-24, 13 filer\n"
    assert len(tree(out)) == 13


# --- 10. the published PDFs are archival --------------------------------------------------------


def test_published_pdfs_are_pdfa_2a_and_pdfua_1(
    region_sites: dict[date, Tree], kommun_site: Tree, not_justerat: tuple[Path, Tree]
) -> None:
    region_site = region_sites[ALL_UP]
    titles = {
        f"dokument/{PROTOCOL_PDF_2025}": (region_site, "Protokoll Regionstyrelsen 2025-11-25"),
        f"dokument/{PROTOCOL_PDF_2026}": (region_site, "Protokoll Regionstyrelsen 2026-06-16"),
        f"dokument/{KF_KALLELSE}": (kommun_site, "Kallelse till Kommunfullmäktige 2026-04-27"),
        "dokument/regionstyrelsen-2026-06-16-protokollsutdrag-106.pdf": (
            not_justerat[1],
            HEADING_106,
        ),
    }
    for path, (site, title) in titles.items():
        pdf = pikepdf.open(io.BytesIO(site[path]))
        assert_archival(pdf, title)
        assert not pdf.is_encrypted
        assert "/OpenAction" not in pdf.Root and "/AA" not in pdf.Root
