"""The anslagstavla of one year of a region (12 organs × 11 meetings) with `beslutsgen
publish`, cold and after one new meeting, against the targets of under 5 s and 1 s.

    .venv/bin/python benchmarks/publish.py [--organs 12] [--meetings 11] [--quick]

What it generates and measures, and the figures: README.md.
"""

from __future__ import annotations

import io
import random
import shutil
import statistics
import sys
import time
from datetime import date, timedelta
from pathlib import Path
from types import CodeType
from typing import Any

import pypdf

import cases
from beslutsgen import pipeline
from beslutsgen.build import Templates
from beslutsgen.law.anslag import is_helgdag, planned_anslag
from beslutsgen.load import Project, load_project
from beslutsgen.output import staged, write_atomic
from beslutsgen.publish.cache import content_key, manifest, read_manifest
from beslutsgen.publish.documents import publication_documents, wanted
from beslutsgen.publish.notices import tillkannagivanden
from beslutsgen.publish.site import DOCUMENTS, pages, tavla
from beslutsgen.render.pdf import PdfRenderer
from harness import (
    Bench,
    Sampler,
    clock,
    log,
    main,
    one_core,
    parse,
    profile,
    ratio,
    run_cli,
    spread,
    timed,
)

SITE_TARGET_S, INCREMENTAL_TARGET_S = 5.0, 1.0  # the issue: whole site, one new meeting
YEAR = 2026
DAY = date(YEAR, 12, 30)  # the anslagstavla shown: December's protocols up, the rest archived
MONTHS = (1, 2, 3, 4, 5, 6, 8, 9, 10, 11, 12)  # no meetings in July
# name, dnr prefix, the heading of the proposal, ledamöter (the profile's organ:).
Organ = tuple[str, str, str, int]
ORGANS: tuple[Organ, ...] = (
    ("Regionfullmäktige", "RF", "Regionstyrelsen föreslår regionfullmäktige besluta", 55),
    ("Regionstyrelsen", "RS", "Regiondirektörens förslag", 15),
    ("Hälso- och sjukvårdsnämnden", "HSN", "Hälso- och sjukvårdsdirektörens förslag", 13),
    ("Regionala utvecklingsnämnden", "RUN", "Regional utvecklingsdirektörs förslag", 13),
    ("Regionstyrelsens arbetsutskott", "RSAU", "Regiondirektörens förslag", 5),
    ("Patientnämnden", "PN", "Förvaltningens förslag", 7),
    ("Primärvårdsnämnden", "PVN", "Primärvårdsdirektörens förslag", 11),
    ("Kollektivtrafiknämnden", "KTN", "Trafikdirektörens förslag", 9),
    ("Kultur- och bildningsnämnden", "KBN", "Kultur- och bildningsdirektörens förslag", 11),
    ("Tandvårdsnämnden", "TVN", "Tandvårdsdirektörens förslag", 9),
    ("Fastighetsnämnden", "FN", "Fastighetsdirektörens förslag", 9),
    ("Hjälpmedelsnämnden", "HMN", "Förvaltningens förslag", 7),
)
CASE_ORGANS = tuple(organ[:3] for organ in ORGANS)
PARTIES = ("S", "M", "C", "SD", "V", "KD", "L", "MP")
PARTY_WEIGHTS = (27, 18, 16, 14, 9, 6, 5, 5)
ROOMS = ("sammanträdesrum Storsjön", "sammanträdesrum Oviken", "sammanträdesrum Åre",
         "sammanträdesrum Frösön", "sammanträdesrum Hallen", "Z-salen")
OFFICIAL_TITLES = ("Regiondirektör", "Förvaltningschef", "Ekonomichef", "Controller",
                   "Nämndsekreterare", "Utredare", "Verksamhetschef")
DELEGATION_POINTS = (
    "2.1 Yttranden i remisser av mindre vikt", "3.2 Upphandling upp till 1 miljon kronor",
    "4.2 Avtal om tjänster upp till 5 miljoner kronor", "5.1 Anställning av verksamhetschef",
    "6.3 Beslut om bidrag till föreningar", "7.1 Tillfälliga ändringar i öppettider",
)
DELEGATION_TEXTS = (
    "Avtal om {area} med en extern leverantör för {year}.",
    "Yttrande över remiss om {area}.", "Tilldelning i upphandlingen av {area}.",
    "Bidrag till föreningar inom {area} för {year}.", "Anställning av verksamhetschef för {area}.",
    "Ändrade öppettider inom {area} under sommaren {year}.",
)
SENDERS = ("Länsstyrelsen Jämtlands län", "Sveriges Kommuner och Regioner", "Sametinget",
           "Socialstyrelsen", "Inspektionen för vård och omsorg", "Östersunds kommun")
PROFILE: dict[str, Any] = {
    **cases.PROFILE,
    "förvaringsplats": "Regionens hus, Kansliavdelningen, Östersund",
    "organ": {name: {"ledamöter": seats} for name, _, _, seats in ORGANS},
    "förvaltningsrätt": "Förvaltningsrätten i Härnösand",
    "förvaltningsrätt_adress": "Box 314, 871 27 Härnösand",
    "postadress": "Box 654, 831 27 Östersund",
    "anslagstavla": {
        "rubrik": "Region Jämtland Härjedalens anslagstavla",
        "webbadress": "https://www.regionjh.example/anslagstavla/",
        "behåll_nedtagna": True,
    },
}


# The parts of pipeline.publish that split times, by the functions they run in.
PARTS = {
    "load": (load_project,), "notices": (tillkannagivanden, tavla),
    "build": (publication_documents,), "keys": (content_key, manifest),
    "previous": (read_manifest, *(c for c in pipeline.published_before.__code__.co_consts
                                  if isinstance(c, CodeType) and c.co_name == "lookup")),
    "pdf": (PdfRenderer.render_parts,), "pages": (pages,),
    "write": (write_atomic, staged.__wrapped__),  # type: ignore[attr-defined]
}
PART_CODES: dict[CodeType, str] = {
    f if isinstance(f, CodeType) else f.__code__: part  # type: ignore[union-attr]
    for part, funcs in PARTS.items() for f in funcs
}


def vardag(day: date) -> date:
    while is_helgdag(day):
        day += timedelta(days=1)
    return day


class YearMaker:
    """A region's year of meetings: per organ its members (and ersättare), a meeting a month
    but July, each justerat and announced; the §§ numbered on across the organ's year; the
    ärenden from cases.py (written a few weeks before their meeting); delegationsbeslut in
    files, anmälda in a § or tillkännagivna on their own (`anslag:`). Every draw comes from
    generators seeded by the seed, the organ and the meeting, so adding a meeting changes
    nothing else."""

    def __init__(self, root: Path, seed: int, organs: int, meetings: int) -> None:
        self.root, self.seed, self.folder = root, seed, root / "decisions"
        self.organs, self.months = ORGANS[:organs], MONTHS[-meetings:]
        self.next_case = 0  # case files are numbered across the project
        self.next_delegation = 20_000  # above every case's dnr number
        self.last: dict[str, tuple[int, date]] = {}  # organ → (last § number, meeting day)
        self.members: dict[str, dict[str, Any]] = {}

    def write(self) -> tuple[list[Path], dict[str, Any]]:
        self.folder.mkdir(parents=True, exist_ok=True)
        (self.root / "beslutsgen.yaml").write_text(
            cases.dump({**PROFILE, "organ": {n: PROFILE["organ"][n] for n, *_ in self.organs}},
                       "profil"), encoding="utf-8")
        paths, shape = [], {"meetings": 0, "paragrafer": 0, "case_files": 0,
                            "delegation_files_anmalda": 0, "omedelbart_justerade": 0}
        for k, organ in enumerate(self.organs):
            for month in self.months:
                path, one = self.meeting(k, organ, self.meeting_day(k, month))
                paths.append(path)
                for key, value in one.items():
                    shape[key] = shape.get(key, 0) + value
        shape["delegation_files_tillkannagivna"] = self.tillkannagivna()
        return paths, shape

    def meeting_day(self, k: int, month: int) -> date:
        """Organ k meets in week k % 3 of the month, on weekday k % 4 (moved past helgdagar)."""
        return vardag(date(YEAR, month, 1) + timedelta(days=1 + 7 * (k % 3) + k % 4))

    def extra(self) -> tuple[Path, dict[str, Any]]:
        """One more meeting, a week after Regionstyrelsen's last (the incremental publish)."""
        k = min(1, len(self.organs) - 1)
        organ = self.organs[k]
        return self.meeting(k, organ, vardag(self.last[organ[0]][1] + timedelta(days=7)), True)

    def people(self, k: int, organ: Organ) -> dict[str, Any]:
        """The organ's members (the first is the ordförande), ersättare and secretary."""
        if organ[0] not in self.members:
            rng = random.Random(f"{self.seed}-members-{organ[0]}")
            seats = organ[3]
            spare = max(4, seats // 8)
            names = rng.sample(cases.FULL_NAMES, seats + spare + 1)
            parties = {name: rng.choices(PARTIES, PARTY_WEIGHTS)[0] for name in names}
            officials = [{"namn": n, "titel": t} for n, t in zip(
                rng.sample([n for n in cases.FULL_NAMES if n not in names], 3),
                rng.sample(OFFICIAL_TITLES, 3), strict=True)]
            self.members[organ[0]] = {
                "ledamöter": names[:seats], "ersättare": names[seats:-1], "sekreterare": names[-1],
                "parti": parties, "övriga": officials,
                "plats": f"Regionens hus, {ROOMS[k % len(ROOMS)]}, Östersund",
            }
        return self.members[organ[0]]

    def meeting(
        self, k: int, organ: Organ, day: date, extra: bool = False
    ) -> tuple[Path, dict[str, int]]:
        name, prefix = organ[0], organ[1]
        rng = random.Random(f"{self.seed}-{name}-{day.isoformat()}")
        people = self.people(k, organ)
        party = people["parti"]
        members, chair = people["ledamöter"], people["ledamöter"][0]
        absent = rng.sample(members[1:], rng.choice((0, 1, 1, 2, 2 if organ[3] < 20 else 4)))
        substitutes = dict(zip(people["ersättare"], absent, strict=False))
        ledamoter = [{"namn": m, "parti": party[m]} for m in members if m not in absent]
        ledamoter += [{"namn": s, "parti": party[s], "ersätter": a} for s, a in substitutes.items()]
        serving = [m["namn"] for m in ledamoter]
        justerare = rng.sample(serving[1:], 1 if len(serving) < 7 else 2)
        justering = vardag(day + timedelta(days=rng.randint(3, 8)))

        total = rng.randint(6, 8)  # §§: val av justerare, ärenden, anmälan, some of the rest
        n_cases = min(rng.randint(3, 5), total - 2)
        generated = cases.generate(n_cases, self.seed, name, CASE_ORGANS, self.next_case)
        self.next_case += n_cases
        for case in generated:
            case.data["datum"] = day - timedelta(days=rng.randint(10, 60))
            (self.folder / case.name).write_text(cases.dump(case.data, "arende"), "utf-8")
        last, _ = self.last.get(name, (0, day))
        first = last + 1 if name in self.last else rng.randint(20, 90) if day.month > 1 else 1
        items: list[dict[str, Any]] = [{
            "rubrik": "Val av justerare",
            "beslut": " och ".join(f"{j} ({party[j]})" for j in justerare)
            + " utses att jämte ordföranden justera protokollet.",
        }]
        if total - n_cases - 2 > 0:
            items.append(
                {"rubrik": "Fastställande av dagordning", "beslut": "Dagordningen fastställs."}
            )
        immediate = rng.random() < 0.35
        for i, case in enumerate(generated):
            item: dict[str, Any] = {"ärende": case.data["diarienummer"]}
            if immediate and i == len(generated) - 1:
                item["omedelbart_justerad"] = True
            items.append(item)
        items.append(self.anmalan(rng, organ, day))
        if len(items) < total:
            items.append({"rubrik": "Informationsärenden",
                          "beslut": "Informationen noteras till protokollet."})
        items = [{"nummer": number, **item} for number, item in enumerate(items, first)]
        meeting: dict[str, Any] = {
            "typ": "sammanträde", "organ": name, "datum": day,
            "tid": "09.00–16.00" if organ[3] > 20 else "09.00–12.00", "plats": people["plats"],
            "ordförande": chair, "sekreterare": people["sekreterare"], "ledamöter": ledamoter,
            "ersättare": [{"namn": e, "parti": party[e]} for e in people["ersättare"]
                          if e not in substitutes],
            "övriga_närvarande": people["övriga"][: rng.randint(1, 3)],
            "justerare": justerare,
            "justering": {"datum": justering, "plats": "Regionens hus, Östersund",
                          "justerat": True},
            "anslag": planned_anslag(justering),
        }
        if immediate:
            meeting["omedelbar_justering"] = {"anslag": planned_anslag(day)}
        if name not in self.last and first > 1:
            meeting["första_paragraf"] = first  # the year's earlier §§ came before beslutsgen
        meeting["paragrafer"] = items
        self.last[name] = (items[-1]["nummer"], day)
        suffix = "extra-sammantrade" if extra else "sammantrade"
        path = self.folder / f"{prefix.lower()}-{day.isoformat()}-{suffix}.yaml"
        path.write_text(cases.dump(meeting, "sammantrade"), encoding="utf-8")
        files = sum(isinstance(one, str) for item in items
                    for one in item.get("delegationsbeslut", []))
        return path, {"meetings": 1, "paragrafer": len(items), "case_files": n_cases,
                      "delegation_files_anmalda": files, "omedelbart_justerade": int(immediate)}

    def delegation(self, rng: random.Random, organ: Organ, day: date) -> dict[str, Any]:
        fill = {"area": rng.choice(cases.AREAS), "year": day.year}
        self.next_delegation += 1
        return {
            "diarienummer": f"{organ[1]}/{self.next_delegation}/{day.year}", "datum": day,
            "beslutsfattare": f"{rng.choice(cases.TITLES)} {rng.choice(cases.FULL_NAMES)}",
            "delegationspunkt": rng.choice(DELEGATION_POINTS),
            "beskrivning": rng.choice(DELEGATION_TEXTS).format(**fill),
        }

    def delegation_file(self, one: dict[str, Any], organ: Organ) -> None:
        data = {"typ": "delegationsbeslut", "organ": organ[0], **one}
        name = f"{organ[1].lower()}-{one['diarienummer'].split('/')[1]}-delegationsbeslut.yaml"
        (self.folder / name).write_text(cases.dump(data, "delegationsbeslut"), "utf-8")

    def anmalan(self, rng: random.Random, organ: Organ, day: date) -> dict[str, Any]:
        """Anmälan av delegationsbeslut: 1–3 written in the §, sometimes one with a file of
        its own; now and then meddelanden."""
        beslut: list[Any] = [self.delegation(rng, organ, day - timedelta(days=rng.randint(5, 40)))
                             for _ in range(rng.randint(1, 3))]
        if rng.random() < 0.35:
            one = self.delegation(rng, organ, day - timedelta(days=rng.randint(5, 40)))
            self.delegation_file(one, organ)
            beslut.append(one["diarienummer"])
        item: dict[str, Any] = {
            "rubrik": "Anmälan av delegationsbeslut", "delegationsbeslut": beslut
        }
        if rng.random() < 0.4:
            item["rubrik"] = "Anmälan av delegationsbeslut och meddelanden"
            item["meddelanden"] = [
                {"datum": day - timedelta(days=rng.randint(3, 30)), "från": rng.choice(SENDERS),
                 "beskrivning": f"Information om {rng.choice(cases.AREAS)}."}
                for _ in range(rng.randint(1, 2))
            ]
        return item

    def tillkannagivna(self) -> int:
        """Delegationsbeslut tillkännagivna on their own (anslag: in the file): about one a
        month but July across the organs, the last in December (still up on DAY)."""
        rng = random.Random(f"{self.seed}-tillkännagivna")
        months = self.months if len(self.months) > 2 else self.months[-1:]
        for j, month in enumerate(months):
            organ = self.organs[j % len(self.organs)]
            last = j == len(months) - 1  # mid-December: still up on DAY
            decided = vardag(date(YEAR, month, rng.randint(14, 17) if last else rng.randint(1, 10)))
            one = self.delegation(rng, organ, decided)
            one["anslag"] = vardag(decided + timedelta(days=rng.randint(1, 4)))
            self.delegation_file(one, organ)
        return len(months)


class CountingRenderer(PdfRenderer):
    """A PdfRenderer that counts its documents (the rest are reused from the previous site)
    and the seconds spent in them."""

    def __init__(self) -> None:
        super().__init__()
        self.rendered, self.seconds = 0, 0.0

    def render(self, *args: Any) -> bytes:
        self.rendered += 1
        start = time.perf_counter()
        try:
            return super().render(*args)
        finally:
            self.seconds += time.perf_counter() - start


def site_files(folder: Path) -> list[Path]:
    return sorted(p for p in folder.rglob("*") if p.is_file())


class PublishBench(Bench):
    def run(self) -> None:
        started = time.perf_counter()
        self.maker = YearMaker(self.root, self.args.seed, self.args.organs, self.args.meetings)
        log(f"generating {self.args.organs} organs × {self.args.meetings} meetings in {self.root}")
        seconds, _, (_, shape) = clock(self.maker.write)
        self.decisions = [self.root / "decisions"]
        with one_core(self.args.pin) as cpu:
            report = run_cli("validate", cwd=self.root)  # stops here, with its output, if invalid
            project = self.load(self.decisions, "year")  # stops on warnings too
            shape |= self.shape(project)
            self.record("generate", shape["pdfs"], seconds, **shape,
                        validate_cli_s=round(report["seconds"], 4), datum=DAY.isoformat())
            self.cold_library()
            self.cold_cli()
            self.republish_library("unchanged_library", self.work / "lib-0")
            self.split("split")
            self.pdf_render()
            if self.args.profile:
                profile("one cold pipeline.publish (a new PdfRenderer, an empty folder)",
                        pipeline.publish, self.decisions, self.settings("profile"), DAY,
                        PdfRenderer(), top=20)
            log("adding one meeting to decisions/")
            seconds, _, (path, extra) = clock(self.maker.extra)
            self.load(self.decisions, "year with one meeting more")
            self.record("add_meeting", 1, seconds, file=path.name, **extra)
            self.republish_library("incremental_library", self.work / "lib-0", new=True)
            self.split("split_incremental", self.work / "lib-0")
            self.incremental_cli()
        self.summary(time.perf_counter() - started, cpu)

    def shape(self, project: Project) -> dict[str, Any]:
        """What the anslagstavla on DAY holds: notices up and archived, pages, PDFs."""
        board = tavla(tillkannagivanden(project), DAY, project.profile)
        names = wanted(board.shown)
        kinds = sorted({n.slag for n in board.shown})
        return {
            "cases": len(project.arenden), "delegation_files": len(project.delegationer),
            "notices_up": len(board.uppe), "notices_archived": len(board.nedtagna),
            "up_by_kind": {k: sum(n.slag == k for n in board.uppe) for k in kinds},
            "archived_by_kind": {k: sum(n.slag == k for n in board.nedtagna) for k in kinds},
            "pdfs": len(names),
        }

    def publish(self, out: Path) -> tuple[Any, ...]:
        """One pipeline.publish into `out` with a new renderer (made inside the timing): wall
        and CPU seconds, the files written, the PDFs rendered and the seconds spent on them."""
        made: list[CountingRenderer] = []

        def work() -> list[Path]:
            made.append(CountingRenderer())
            settings = pipeline.Settings(root=self.root, out_dir=out, formats=("pdf",))
            return pipeline.publish(self.decisions, settings, DAY, made[0])[0]

        wall, cpu, written = clock(work)
        return wall, cpu, written, made[0].rendered, made[0].seconds

    def timed_runs(self, name: str, count: int, runs: list[float], cpu: list[float], *,
                   target: float, **extra: Any) -> None:
        median = statistics.median(runs)
        fields = spread(runs, cpu, cpu_runs=True)
        fields.update(extra, target_s=target, target_met=median < target)
        self.record(name, count, median, **fields)

    def cold_library(self) -> None:
        log(f"cold library: {self.args.reps} × pipeline.publish into a new folder")
        runs = [self.publish(self.work / f"lib-{i}") for i in range(self.args.reps)]
        written = runs[0][2]
        pdfs = [p for p in written if p.parent.name == DOCUMENTS]
        html = [p for p in written if p.suffix == ".html"]
        pdf_pages = sum(len(pypdf.PdfReader(p).pages) for p in pdfs)
        later = runs[1:] or runs
        self.site = {"files": len(written), "html_pages": len(html), "pdfs": len(pdfs)}
        self.timed_runs(
            "cold_library", len(pdfs), [r[0] for r in later], [r[1] for r in later],
            target=SITE_TARGET_S, first_s=round(runs[0][0], 4), **self.site,
            pdfs_rendered=runs[0][3], pdf_pages=pdf_pages,
            pdf_s_median=round(statistics.median(r[4] for r in later), 4),
            rest_s_median=round(statistics.median(r[0] - r[4] for r in later), 4),
            pdf_mb=round(sum(p.stat().st_size for p in pdfs) / 1e6, 2),
            site_mb=round(sum(p.stat().st_size for p in written) / 1e6, 2),
            note="pipeline.publish(decisions, settings, day, PdfRenderer()) into an empty folder; "
            "first_s = the first call in this process, in the median only when it is the only "
            "run; pdf_s_median = the time inside PdfRenderer.render, rest_s_median the rest",
        )

    def cold_cli(self) -> None:
        log(f"cold CLI: {self.args.cold_runs} × beslutsgen publish in a fresh process")
        reports = []
        for i in range(self.args.cold_runs):
            out = self.work / f"cli-{i}"
            reports.append(run_cli("publish", "--datum", DAY.isoformat(), "-o", str(out),
                                   cwd=self.root))
            if len(site_files(out)) != self.site["files"]:
                raise SystemExit(f"beslutsgen publish wrote {len(site_files(out))} files, "
                                 f"not {self.site['files']}")
            log(f"  {reports[-1]['seconds']:.2f} s")
        self.timed_runs(
            "cold_cli", self.site["pdfs"], [r["seconds"] for r in reports],
            [r["cpu"] for r in reports], target=SITE_TARGET_S, files=self.site["files"],
            cli_peak_rss_mb=max(r["rss_mb"] for r in reports),
            note="`beslutsgen publish --datum D -o <new dir>` in a fresh process",
        )

    def republish_library(self, name: str, site: Path, new: bool = False) -> None:
        """pipeline.publish into a copy of an earlier site: only what is new is rendered."""
        log(f"{name}: {self.args.reps} × pipeline.publish into a copy of the cold site")
        runs = []
        for i in range(self.args.reps):
            copy = self.work / f"{name}-{i}"
            shutil.copytree(site, copy)
            runs.append(self.publish(copy))
        written = runs[0][2]
        pdfs = sum(p.parent.name == DOCUMENTS for p in written)
        expected = pdfs - self.site["pdfs"]  # every PDF of the earlier site reused
        if any(r[3] != expected for r in runs):
            raise SystemExit(f"{name}: rendered {[r[3] for r in runs]} PDFs, not {expected}")
        self.timed_runs(
            name, pdfs, [r[0] for r in runs], [r[1] for r in runs], target=INCREMENTAL_TARGET_S,
            files=len(written), pdfs_rendered=expected, pdfs_reused=pdfs - expected,
            pdf_s_median=round(statistics.median(r[4] for r in runs), 4),
            note="pipeline.publish(…, PdfRenderer()) into a copy of the cold site (its manifest"
            + (", after one meeting was added to decisions/)" if new else "; nothing changed)"),
        )

    def incremental_cli(self) -> None:
        log(f"incremental CLI: {self.args.cold_runs} × beslutsgen publish over the cold site")
        reports = []
        for i in range(self.args.cold_runs):
            copy = self.work / f"incremental-cli-{i}"
            shutil.copytree(self.work / "cli-0", copy)
            reports.append(run_cli("publish", "--datum", DAY.isoformat(), "-o", str(copy),
                                   cwd=self.root))
            log(f"  {reports[-1]['seconds']:.2f} s")
        files = len(site_files(self.work / "incremental-cli-0"))
        if files != self.results["incremental_library"]["files"]:
            raise SystemExit(f"beslutsgen publish wrote {files} files after the new meeting")
        self.timed_runs(
            "incremental_cli", self.results["incremental_library"]["docs"],
            [r["seconds"] for r in reports], [r["cpu"] for r in reports],
            target=INCREMENTAL_TARGET_S, files=files,
            cli_peak_rss_mb=max(r["rss_mb"] for r in reports),
            note="`beslutsgen publish` in a fresh process over a copy of the cold CLI site, "
            "after one meeting was added to decisions/",
        )

    def split(self, name: str, site: Path | None = None) -> None:
        """`--reps` × pipeline.publish (into a new folder, or a copy of `site`) with the
        wall time of each part found by sampling the stack (harness.Sampler): load,
        notices, build, content keys and manifest, reading the previous site, the PDFs
        (Typst), the pages, writing; other = the call minus the parts."""
        log(f"{name}: {self.args.reps} × pipeline.publish with its parts sampled")
        measured: list[dict[str, float]] = []
        samples = 0
        for i in range(self.args.reps):
            out = self.work / f"{name}-{i}"
            if site is not None:
                shutil.copytree(site, out)
            with Sampler(PART_CODES) as sampler:
                seconds, _, _, rendered, _ = self.publish(out)
            parts = dict.fromkeys(PARTS, 0.0)
            for key, spent in sampler.seconds.items():
                if key:
                    parts[key[0]] += spent
            measured.append({**parts, "other": seconds - sum(parts.values()), "total": seconds})
            samples += sampler.samples
        medians = {k: statistics.median(m[k] for m in measured) for k in measured[0]}
        total = medians.pop("total")
        self.record(
            name, self.results["incremental_library" if site else "cold_library"]["docs"], total,
            **{f"{k}_s": round(v, 4) for k, v in medians.items()},
            share={k: round(v / total, 3) for k, v in medians.items()},
            runs_s=[round(m["total"], 4) for m in measured], pdfs_rendered=rendered,
            samples=samples,
            note="exclusive wall time per part, sampled from the stack (median of the runs; "
            "the sampler slows the call a little); other = the call minus the parts",
        )

    def pdf_render(self) -> None:
        """PdfRenderer.render over the built publication documents (built once, outside
        the timing), `--reps` times, each through a new renderer."""
        log(f"pdf_render: {self.args.reps} × PdfRenderer.render over the built documents")
        project = load_project(self.decisions, self.root)
        board = tavla(tillkannagivanden(project), DAY, project.profile)
        documents = publication_documents(
            project, wanted(board.shown), Templates(self.root / "templates"))
        runs, latencies, starts = [], [], []
        data: dict[str, bytes] = {}
        for _ in range(self.args.reps):
            start, _, renderer = clock(PdfRenderer)

            def render(name: str, renderer: PdfRenderer = renderer) -> None:
                data[name] = renderer.render(documents[name].document, documents[name].style)

            seconds, latency = timed(sorted(documents), render)
            runs.append(seconds)
            latencies.append(latency)
            starts.append(start)
        counts = {n: len(pypdf.PdfReader(io.BytesIO(d)).pages) for n, d in data.items()}
        protokoll = [c for n, c in counts.items() if n.endswith("-protokoll.pdf")]
        median, cold = statistics.median(runs), self.results["cold_library"]
        self.record(
            "pdf_render", len(documents), median, **spread(runs),
            **{k: round(statistics.median(x[k] for x in latencies), 4) for k in latencies[0]},
            pages=sum(counts.values()), ms_per_page=round(median * 1000 / sum(counts.values()), 2),
            protokoll_pages_median=statistics.median(protokoll),
            protokoll_pages_max=max(protokoll),
            renderer_start_s=round(statistics.median(starts), 4),
            in_cold_library_s=cold["pdf_s_median"],
            share_of_cold_library=round(cold["pdf_s_median"] / cold["median_s"], 3),
            bare_typst_floor=None,
            note="PdfRenderer.render over the built publication documents through a new "
            "renderer (ms_* per document); in_cold_library_s = the time inside "
            "PdfRenderer.render during the cold_library calls; benchmarks/render.py has no "
            "bare-Typst floor to reuse",
        )

    def summary(self, seconds: float, cpu: int | None) -> None:
        r = self.results
        cold, cli, inc, inc_cli = (r[k] for k in (
            "cold_library", "cold_cli", "incremental_library", "incremental_cli"))
        split, pdf = r["split"], r["pdf_render"]  # the cold call's parts, the PDFs alone
        rows = (
            ("site_cold_cli", f"< {SITE_TARGET_S:g} s on one core", cli["median_s"], cli),
            ("site_cold_library", f"< {SITE_TARGET_S:g} s on one core", cold["median_s"], cold),
            ("incremental_cli", f"< {INCREMENTAL_TARGET_S:g} s on one core", inc_cli["median_s"],
             inc_cli),
            ("incremental_library", f"< {INCREMENTAL_TARGET_S:g} s on one core", inc["median_s"],
             inc),
        )
        targets = {n: {"target": t, "value": v, "met": b["target_met"]} for n, t, v, b in rows}
        g = r["generate"]
        self.record(
            "summary", cold["docs"], seconds, docs_per_s_is="wall time of the whole benchmark run",
            organs=self.args.organs, meetings=g["meetings"], paragrafer=g["paragrafer"],
            cases=g["cases"], notices_up=g["notices_up"], notices_archived=g["notices_archived"],
            html_pages=cold["html_pages"], pdfs=cold["pdfs"], pdf_pages=cold["pdf_pages"],
            cpus=1 if cpu is not None else None,
            target_s=SITE_TARGET_S, incremental_target_s=INCREMENTAL_TARGET_S,
            **{f"cold_library_{k}": cold[k] for k in ("median_s", "min_s", "first_s")},
            **{f"cold_cli_{k}": cli[k] for k in ("median_s", "min_s", "cli_peak_rss_mb")},
            unchanged_library_s=r["unchanged_library"]["median_s"],
            **{f"incremental_library_{k}": inc[k] for k in ("median_s", "min_s")},
            **{f"incremental_cli_{k}": inc_cli[k]
               for k in ("median_s", "min_s", "cli_peak_rss_mb")},
            cold_parts_s={k: split[f"{k}_s"] for k in (*PARTS, "other")},
            incremental_parts_s={k: r["split_incremental"][f"{k}_s"] for k in (*PARTS, "other")},
            pdf_render_s=pdf["seconds"], pdf_ms_per_page=pdf["ms_per_page"],
            pdf_in_cold_library_s=cold["pdf_s_median"],
            rest_in_cold_library_s=cold["rest_s_median"],
            pdf_share_of_cold_library=pdf["share_of_cold_library"],
            cold_library_vs_pdf_render=ratio(cold["median_s"], cold["pdf_s_median"]),
            cold_cli_vs_library=ratio(cli["median_s"], cold["median_s"]),
            cold_vs_incremental_cli=ratio(cli["median_s"], inc_cli["median_s"]),
            target_met_cold=cli["target_met"], target_met_incremental=inc_cli["target_met"],
            target_met=cli["target_met"] and inc_cli["target_met"],
            target_met_is="the `beslutsgen publish` command: cold under target_s and after one "
            "new meeting under incremental_target_s (cold_cli and incremental_cli medians)",
            targets=targets, all_met=all(t["met"] for t in targets.values()),
        )


if __name__ == "__main__":
    args = parse(
        __doc__, seed=2026, organs=("organs (the first is Regionfullmäktige)", 12, 2, 1),
        meetings=("meetings per organ, one a month but July", 11, 2, 1),
        reps=("in-process publish runs", 3, 1, 1), cold_runs=("fresh CLI runs", 2, 1, 1),
    )
    if args.organs > len(ORGANS) or args.meetings > len(MONTHS):
        sys.exit(f"at most {len(ORGANS)} organs and {len(MONTHS)} meetings per organ")
    sys.exit(main(PublishBench, args))
