"""A 40-item meeting (86 DOCX + PDF/A files) against the target of under 2 s on one core.

One sammanträde with 40 §§: protokoll, 40 protokollsutdrag, kallelse and anslagsbevis,
each in DOCX and PDF/A, measured against the target of issue 4.

    .venv/bin/python benchmarks/meeting.py [--items 40] [--reps 5] [--quick] [--profile]

Generates (seeded) a project in a temporary folder: beslutsgen.yaml, one ärende per §
(cases.py, all for the meeting's organ) and the meeting file (attendance, votes,
reservations, jäv, yrkanden, an omedelbart justerad §). Then, pinned to one CPU:
`cold_cli` (the `beslutsgen meeting` command in fresh processes), `warm_up` (the first
in-process `pipeline.render_meetings`, excluded from `warm`), `warm` (the same call
repeated), `split` (load, build, DOCX and PDF timed on their own) and a `summary`.
stdout carries one JSON object per line, like render.py; progress goes to stderr.
"""

from __future__ import annotations

import argparse
import cProfile
import io
import json
import pstats
import random
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from datetime import date, timedelta
from itertools import product
from pathlib import Path
from typing import Any

import pypdf
import yaml

import cases
from beslutsgen import pipeline
from beslutsgen.build.sammantrade import build_meeting
from beslutsgen.build.templates import Templates
from beslutsgen.errors import InputError
from beslutsgen.load.project import Project, load_project
from render import emit, log, one_core

TARGET_S = 2.0
REQUIRED_KEYS = ("bench", "docs", "seconds", "docs_per_s", "peak_rss_mb")
ORGAN = "Regionstyrelsen"
PREFIX = "RS"
MEETING_DATE = date(2026, 3, 24)  # a Tuesday; justering and anslag fall on vardagar
JUSTERING = MEETING_DATE + timedelta(days=6)
ANSLAG = JUSTERING + timedelta(days=1)
# Seats of a regionstyrelse with 15 ledamöter.
SEATS = ("S",) * 4 + ("M",) * 3 + ("C",) * 2 + ("SD",) * 2 + ("V", "KD", "L", "MP")
# Ledamöter, on the left, who usually vote for the ordförande's proposal.
MAJORITY = {"S", "C", "V", "MP"}
OFFICIALS = (
    ("Regiondirektör", None),
    ("Regionstabschef", None),
    ("Ekonomidirektör", "some"),
    ("Controller", "some"),
    ("HR-direktör", "some"),
    ("Kommunikationsdirektör", None),
)
# The launcher runs the CLI and reports its wall time and peak RSS from outside: a child
# forked from this (large) process could otherwise carry our high-water mark.
LAUNCHER = (
    "import json, resource, subprocess, sys, time\n"
    "start = time.perf_counter()\n"
    "done = subprocess.run(sys.argv[1:], capture_output=True, text=True)\n"
    "seconds = time.perf_counter() - start\n"
    "usage = resource.getrusage(resource.RUSAGE_CHILDREN)\n"
    "peak, cpu = usage.ru_maxrss, usage.ru_utime + usage.ru_stime\n"
    "sys.stderr.write(done.stderr)\n"
    "files = len(done.stdout.splitlines())\n"
    "print(json.dumps({'seconds': seconds, 'cpu': cpu, 'rss_kib': peak, 'files': files}))\n"
    "sys.exit(done.returncode)\n"
)


# --- output: as render.py, whose helpers these are -------------------------------------


def spread(values: Sequence[float]) -> dict[str, Any]:
    return {
        "median_s": round(statistics.median(values), 4),
        "min_s": round(min(values), 4),
        "max_s": round(max(values), 4),
        "runs_s": [round(v, 4) for v in values],
    }


# --- the generated meeting ----------------------------------------------------------------


@contextmanager
def organ_only(organ: str) -> Iterator[None]:
    """cases.py picks an organ per case; a meeting decides only its own organ's ärenden,
    so generate with that organ's entries alone (the prose then names it too)."""
    saved = cases.ORGANS
    cases.ORGANS = tuple(o for o in saved if o[0] == organ)
    try:
        yield
    finally:
        cases.ORGANS = saved


def generate_cases(items: int, seed: int) -> list[cases.Case]:
    rng = random.Random(seed)
    with organ_only(ORGAN):
        generated = cases.generate(items, seed)
    for case in generated:  # written a few weeks before the meeting
        case.data["datum"] = MEETING_DATE - timedelta(days=rng.randint(10, 60))
    return generated


class MeetingMaker:
    """Attendance first, then each § with its yrkanden, votes, reservations and jäv,
    every name consistent with the attendance (the loader checks all of it)."""

    def __init__(self, generated: list[cases.Case], seed: int, first: int) -> None:
        self.rng = random.Random(seed + 17)
        self.cases = generated
        self.first = first
        names = [f"{f} {s}" for f, s in product(cases.FIRST_NAMES, cases.LAST_NAMES)]
        self.names = iter(self.rng.sample(names, 40))
        seats = list(SEATS)
        self.rng.shuffle(seats)
        self.party = {next(self.names): party for party in seats}
        members = list(self.party)
        self.ordforande = next(m for m in members if self.party[m] in MAJORITY)
        # Two ordinarie ledamöter are away; their ersättare serve in their place.
        self.away = self.rng.sample([m for m in members if m != self.ordforande], 2)
        self.serving = [m for m in members if m not in self.away]
        self.substitutes = {next(self.names): away for away in self.away}
        for name, away in self.substitutes.items():
            self.party[name] = self.party[away]
        self.serving += list(self.substitutes)
        self.officials: list[str] = []

    def meeting(self) -> dict[str, Any]:
        rng = self.rng
        n = len(self.cases)
        numbers = list(range(self.first, self.first + n))
        votes = set(rng.sample(range(n), max(1, round(n / 10))))
        jav = set(rng.sample(range(n), max(1, n // 13)))
        immediate = {n - 1} | set(rng.sample(range(n), n // 20))
        # One vote ends in a tie the ordförande's utslagsröst decides.
        tie = sorted(votes)[1] if len(votes) > 1 else None
        others = [m for m in self.serving if m != self.ordforande]
        justerare = rng.sample(others, 2)
        ledamoter = []
        for name in [self.ordforande, *(m for m in self.serving if m != self.ordforande)]:
            entry = {"namn": name, "parti": self.party[name]}
            if name in self.substitutes:
                entry["ersätter"] = self.substitutes[name]
            ledamoter.append(entry)
        ersattare = [{"namn": next(self.names), "parti": p} for p in ("S", "M", "C", "SD")]
        ovriga = []
        for title, part in OFFICIALS:
            entry: dict[str, Any] = {"namn": next(self.names), "titel": title}
            if part:
                entry["paragrafer"] = sorted(rng.sample(numbers, min(n, rng.randint(1, 3))))
            ovriga.append(entry)
        self.officials = [o["namn"] for o in ovriga]
        paragrafer = [
            self.paragraf(i, numbers[i], i in votes, i == tie, i in jav, i in immediate)
            for i in range(n)
        ]
        return {
            "typ": "sammanträde",
            "organ": ORGAN,
            "datum": MEETING_DATE,
            "tid": "09.00–12.00, 13.00–16.30",
            "plats": "Regionens hus, sammanträdesrum Storsjön, Östersund",
            "ordförande": self.ordforande,
            "sekreterare": next(self.names),
            "ledamöter": ledamoter,
            "ersättare": ersattare,
            "övriga_närvarande": ovriga,
            "justerare": justerare,
            "justering": {"datum": JUSTERING, "plats": "Regionens hus, Östersund"},
            "anslag": ANSLAG,
            # The omedelbart justerade §§ are announced the day after the meeting.
            "omedelbar_justering": {"anslag": (MEETING_DATE + timedelta(days=1)).isoformat()},
            "första_paragraf": self.first,
            "paragrafer": paragrafer,
        }

    def with_party(self, name: str) -> str:
        return f"{name} ({self.party[name]})"

    def paragraf(
        self, i: int, nummer: int, vote: bool, tie: bool, jav: bool, immediate: bool
    ) -> dict[str, Any]:
        rng = self.rng
        case = self.cases[i].data
        item: dict[str, Any] = {"nummer": nummer, "ärende": case["diarienummer"]}
        if rng.random() < 0.2:
            item["föredragande"] = rng.choice(self.officials)
        excluded = rng.sample([m for m in self.serving if m != self.ordforande], 1) if jav else []
        voters = [m for m in self.serving if m not in excluded]
        if vote:
            item.update(self.vote(voters, tie))
        elif rng.random() < 0.3:
            item["yrkanden"] = [
                {
                    "av": self.with_party(self.ordforande),
                    "yrkande": "Bifall till förslaget till beslut.",
                }
            ]
            if rng.random() < 0.3:  # an avslag that falls on acclamation, and is reserved
                against = rng.choice([m for m in voters if self.party[m] not in MAJORITY])
                item["yrkanden"].append(
                    {"av": self.with_party(against), "yrkande": "Avslag på förslaget."}
                )
                item["beslutsgång"] = (
                    "Ordföranden ställer proposition på förslaget till beslut och avslag "
                    "och finner att regionstyrelsen bifaller förslaget till beslut."
                )
                item["reservationer"] = [{"namn": against}]
        if rng.random() < 0.2 or tie:
            points = case["förslag"]["punkter"]
            lines = [f"{k}. {p}" for k, p in enumerate(points[: max(1, len(points) - 1)], 1)]
            lines.append(
                f"{len(lines) + 1}. Regiondirektören får i uppdrag att återrapportera "
                f"arbetet till regionstyrelsen senast den 30 september {MEETING_DATE.year}."
            )
            item["beslut"] = "\n".join(lines) + "\n"
        if rng.random() < 0.08 and "protokollsanteckningar" not in item:
            who = rng.choice(voters)
            item["protokollsanteckningar"] = [
                {
                    "namn": who,
                    "text": f"{self.party[who]} vill att uppföljningen redovisas "
                    "**kvartalsvis** till regionstyrelsen.\n",
                }
            ]
        if excluded:
            item["jäv"] = excluded
        if immediate:
            item["omedelbart_justerad"] = True
        if rng.random() < 0.15:
            item["expedieras_till"] = rng.sample(cases.RECIPIENTS, rng.randint(1, 4))
        return item

    def vote(self, voters: list[str], tie: bool) -> dict[str, Any]:
        """Yrkanden, beslutsgång, an open vote by every voter, reservations, an anteckning."""
        rng = self.rng
        ja = [m for m in voters if self.party[m] in MAJORITY]
        rest = [m for m in voters if m not in ja]
        rng.shuffle(rest)
        avstar = rest[:1] if len(rest) > 1 else []
        nej = rest[len(avstar) :]
        if tie:  # move voters until ja and nej are equal, the ordförande voting ja
            pool = [*(m for m in ja if m != self.ordforande), *nej, *avstar]
            rng.shuffle(pool)
            voting = len(voters) - len(voters) % 2  # an even number votes ja or nej
            half = voting // 2
            ja = [self.ordforande, *pool[: half - 1]]
            nej = pool[half - 1 : voting - 1]
            avstar = pool[voting - 1 :]
        against = nej[0]
        out: dict[str, Any] = {
            "yrkanden": [
                {"av": self.with_party(ja[0]), "yrkande": "Bifall till förslaget till beslut."},
                {
                    "av": self.with_party(against),
                    "yrkande": "Återremiss av ärendet för en fördjupad konsekvensanalys.",
                },
            ],
            "beslutsgång": (
                "Ordföranden frågar först om ärendet ska avgöras i dag och finner att "
                "regionstyrelsen beslutar det. Omröstning begärs.\n\n"
                "Ordföranden ställer därefter proposition på förslaget till beslut och "
                "finner att regionstyrelsen bifaller det.\n"
            ),
            "omröstning": {
                "fråga": "Ja för att avgöra ärendet i dag, nej för återremiss.",
                "ja": ja,
                "nej": nej,
                "avstår": avstar,
            },
            "reservationer": [
                {
                    "namn": name,
                    **(
                        {"motivering": "Ärendet borde ha återremitterats för en ny analys."}
                        if k == 0
                        else {}
                    ),
                }
                for k, name in enumerate(nej[: rng.randint(1, min(3, len(nej)))])
            ],
        }
        if tie or rng.random() < 0.5:
            out["omröstning"]["utfall"] = "ja"
        if avstar:
            out["protokollsanteckningar"] = [
                {
                    "namn": avstar[0],
                    "text": "Vi avstår i väntan på regionfullmäktiges budgetbeslut.\n",
                }
            ]
        return out


def dump(data: Any, schema: str) -> str:
    body = yaml.dump(data, Dumper=cases._Dumper, allow_unicode=True, sort_keys=False, width=100)
    return f"# yaml-language-server: $schema=../schema/{schema}.schema.json\n" + body


def write_project(root: Path, items: int, seed: int) -> tuple[Path, dict[str, Any]]:
    """The project folder; returns the meeting file and a description of what it holds."""
    generated = generate_cases(items, seed)
    decisions = root / "decisions"
    decisions.mkdir(parents=True)
    profile = {**cases.PROFILE, "förvaringsplats": "Regionens hus, Kansliet, Östersund"}
    (root / "beslutsgen.yaml").write_text(dump(profile, "profil"), encoding="utf-8")
    for case in generated:
        (decisions / case.name).write_text(cases.case_yaml(case), encoding="utf-8")
    first = random.Random(seed).randint(20, 180)
    meeting = MeetingMaker(generated, seed, first).meeting()
    path = decisions / f"rs-{MEETING_DATE.isoformat()}-sammantrade.yaml"
    path.write_text(dump(meeting, "sammantrade"), encoding="utf-8")
    items_ = meeting["paragrafer"]
    shape = {
        "paragrafer": len(items_),
        "tjänstgörande": len(meeting["ledamöter"]),
        "omröstningar": sum("omröstning" in p for p in items_),
        "reservationer": sum(len(p.get("reservationer", [])) for p in items_),
        "jäv": sum("jäv" in p for p in items_),
        "yrkanden": sum(len(p.get("yrkanden", [])) for p in items_),
        "omedelbart_justerade": sum(bool(p.get("omedelbart_justerad")) for p in items_),
        "egna_beslut": sum("beslut" in p for p in items_),
        "words_median": int(
            statistics.median(len(c.data["ärendebeskrivning"].split()) for c in generated)
        ),
    }
    return path, shape


# --- the benchmark ------------------------------------------------------------------------


class Bench:
    def __init__(self, args: argparse.Namespace, work: Path) -> None:
        self.args = args
        self.work = work
        self.root = work / "project"
        self.results: dict[str, dict[str, Any]] = {}
        self.docs = 2 * (args.items + 3)  # kallelse, protokoll, anslagsbevis, one utdrag per §

    def record(self, bench: str, docs: int, seconds: float | None, **extra: Any) -> None:
        self.results[bench] = emit(bench, docs, seconds, **extra)

    def run(self) -> None:
        started = time.perf_counter()
        log(f"generating a meeting with {self.args.items} §§ in {self.root}")
        start = time.perf_counter()
        path, shape = write_project(self.root, self.args.items, self.args.seed)
        self.record("generate", self.args.items, time.perf_counter() - start, **shape)
        with one_core(not self.args.no_pin) as cpu:
            if cpu is not None:
                log(f"pinned to CPU {cpu} (children too)")
            self.cold(path)
            project = self.load(path)
            self.warm(path)
            self.split(project)
            if self.args.profile:
                self.profile(path)
        if not self.args.quick:  # both cores: the documents rendered by two processes
            self.cold(path, jobs=2)
        self.summary(time.perf_counter() - started, cpu)

    def settings(self, out: str) -> pipeline.Settings:
        return pipeline.Settings(root=self.root, out_dir=self.work / out)

    def cold(self, path: Path, jobs: int = 1) -> None:
        exe = Path(sys.executable).parent / "beslutsgen"
        command = [str(exe)] if exe.exists() else [sys.executable, "-m", "beslutsgen"]
        runs, cpu, rss = [], [], []
        log(f"cold: {self.args.cold_runs} × beslutsgen meeting -j {jobs} in a fresh process")
        for i in range(self.args.cold_runs):
            out = self.work / f"cold-j{jobs}-{i}"
            argv = [sys.executable, "-c", LAUNCHER, *command, "meeting", "-j", str(jobs)]
            argv += [str(path.relative_to(self.root)), "-o", str(out)]
            done = subprocess.run(argv, cwd=self.root, capture_output=True, text=True)
            if done.returncode != 0:
                log(done.stderr[-4000:])
                raise SystemExit(f"beslutsgen meeting failed with exit code {done.returncode}")
            report = json.loads(done.stdout.splitlines()[-1])
            if report["files"] != self.docs:
                raise SystemExit(f"beslutsgen meeting wrote {report['files']}, not {self.docs}")
            runs.append(report["seconds"])
            cpu.append(report["cpu"])
            rss.append(round(report["rss_kib"] / 1024, 1))
            log(f"  {report['seconds']:.2f} s")
        median = statistics.median(runs)
        self.record(
            "cold_cli" if jobs == 1 else f"cold_cli_j{jobs}",
            self.docs,
            median,
            **spread(runs),
            cpu_median_s=round(statistics.median(cpu), 4),
            cpu_runs_s=[round(c, 4) for c in cpu],
            cli_peak_rss_mb=max(rss),
            target_s=TARGET_S,
            target_met=median < TARGET_S,
            note="`beslutsgen meeting <file> -o <dir>` in a fresh process: interpreter start, "
            "imports, fonts, load, build, render, write",
        )

    def load(self, path: Path) -> Project:
        start = time.perf_counter()
        try:
            project = load_project([path], self.root)
        except InputError as exc:  # the generator is wrong: say exactly where
            for problem in exc.problems:
                log(str(problem))
            raise SystemExit(f"{len(exc.problems)} problems in the generated meeting") from None
        seconds = time.perf_counter() - start
        if project.warnings:
            for warning in project.warnings:
                log(str(warning))
            raise SystemExit("the generated meeting has date warnings; fix the generator")
        self.record("load_validate_first", self.args.items + 1, seconds)
        return project

    def render_once(self, path: Path, out: str) -> tuple[float, float]:
        """Wall and CPU seconds of one pipeline.render_meetings call."""
        cpu = time.process_time()
        start = time.perf_counter()
        written, _ = pipeline.render_meetings([path], self.settings(out))
        seconds = time.perf_counter() - start
        if len(written) != self.docs:
            raise SystemExit(f"render_meetings wrote {len(written)} files, not {self.docs}")
        return seconds, time.process_time() - cpu

    def warm(self, path: Path) -> None:
        log("warm-up: first pipeline.render_meetings in this process")
        seconds, cpu_s = self.render_once(path, "warm-up")
        self.record("warm_up", self.docs, seconds, cpu_s=round(cpu_s, 4))
        runs, cpu = [], []
        log(f"warm: {self.args.reps} × pipeline.render_meetings")
        for i in range(self.args.reps):
            seconds, cpu_s = self.render_once(path, f"warm-{i}")
            runs.append(seconds)
            cpu.append(cpu_s)
            log(f"  {seconds:.2f} s (CPU {cpu_s:.2f} s)")
        median = statistics.median(runs)
        self.record(
            "warm",
            self.docs,
            median,
            **spread(runs),
            docs_per_s_best=round(self.docs / min(runs), 2),
            cpu_median_s=round(statistics.median(cpu), 4),
            cpu_runs_s=[round(c, 4) for c in cpu],
            target_s=TARGET_S,
            target_met=median < TARGET_S,
            note="pipeline.render_meetings in-process after a warm-up run: load, validate, "
            "build, render, write (a new Worker and Templates each call, as the CLI)",
        )

    def split(self, project: Project) -> None:
        """Where a warm run goes: load, build (templates), renderer start-up, DOCX and PDF,
        each timed on its own. render_meetings makes a new Worker per call, so each warm
        run starts its renderers afresh (the PDF one loads the fonts): `start_docx` and
        `start_pdf` are a new renderer's first (small) document minus a warm one's time."""
        loaded = project.meetings[0]
        settings = self.settings("unused")
        worker = pipeline.Worker(settings, project.profile)
        docs = build_meeting(loaded, project.profile, Templates(self.root / "templates"))
        for one in docs.documents:  # renderers made and warmed outside the timing
            worker.render(one, "docx")
            worker.render(one, "pdf")
        keys = ("load", "build", "start_docx", "start_pdf", "docx", "pdf")
        times: dict[str, list[float]] = {k: [] for k in (*keys, "protokoll_docx", "protokoll_pdf")}
        small = docs.documents[-1]  # the anslagsbevis, one page
        templates = self.root / "templates"

        def clock(key: str, work: Callable[[], Any]) -> Any:
            start = time.perf_counter()
            result = work()
            times[key].append(time.perf_counter() - start)
            return result

        log(f"split: {self.args.reps} × load, build, renderer start-up, DOCX, PDF")
        for _ in range(self.args.reps):
            project = clock("load", lambda: load_project([loaded.path], self.root))
            meeting, profile = project.meetings[0], project.profile
            docs = clock(
                "build", lambda m=meeting, p=profile, t=templates: build_meeting(m, p, Templates(t))
            )
            fresh = pipeline.Worker(settings, project.profile)
            for fmt in ("docx", "pdf"):
                start = time.perf_counter()
                fresh.render(small, fmt)
                first = time.perf_counter() - start
                start = time.perf_counter()
                worker.render(small, fmt)
                times[f"start_{fmt}"].append(first - (time.perf_counter() - start))
            for fmt in ("docx", "pdf"):
                total = 0.0
                for one in docs.documents:
                    start = time.perf_counter()
                    worker.render(one, fmt)
                    spent = time.perf_counter() - start
                    total += spent
                    if one.stem == "protokoll":
                        times[f"protokoll_{fmt}"].append(spent)
                times[fmt].append(total)
        medians = {k: statistics.median(v) for k, v in times.items()}
        parts = sum(medians[k] for k in keys)
        warm_median = self.results["warm"]["median_s"]
        protokoll = next(one for one in docs.documents if one.stem == "protokoll")
        pdf = worker.render(protokoll, "pdf")
        self.record(
            "split",
            self.docs,
            parts,
            **{f"{k}_median_s": round(v, 4) for k, v in medians.items()},
            **{f"{k}_min_s": round(min(v), 4) for k, v in times.items()},
            share_of_parts={k: round(medians[k] / parts, 3) for k in keys},
            write_and_other_s=round(warm_median - parts, 4),
            protokoll_pdf_pages=len(pypdf.PdfReader(io.BytesIO(pdf)).pages),
            protokoll_pdf_bytes=len(pdf),
            protokoll_docx_bytes=len(worker.render(protokoll, "docx")),
            note="seconds = the sum of the medians of load, build, start_docx, start_pdf, "
            "docx and pdf (warm renderers); write_and_other_s = warm median minus that sum "
            "(writing files, staging, noise)",
        )

    def profile(self, path: Path) -> None:
        """cProfile of one warm render_meetings; top 15 cumulative and own time on stderr."""
        profiler = cProfile.Profile()
        profiler.enable()
        self.render_once(path, "profiled")
        profiler.disable()
        for order in ("cumulative", "tottime"):
            out = io.StringIO()
            pstats.Stats(profiler, stream=out).sort_stats(order).print_stats(15)
            log(f"--- profile: one warm render_meetings, sorted by {order} ---\n{out.getvalue()}")

    def summary(self, seconds: float, cpu: int | None) -> None:
        cold, warm, split = self.results["cold_cli"], self.results["warm"], self.results["split"]
        self.record(
            "summary",
            self.docs,
            seconds,
            docs_per_s_is="wall time of the whole benchmark run",
            items=self.args.items,
            cpus=1 if cpu is not None else None,
            target_s=TARGET_S,
            cold_median_s=cold["median_s"],
            cold_min_s=cold["min_s"],
            cold_cpu_median_s=cold["cpu_median_s"],
            warm_median_s=warm["median_s"],
            warm_min_s=warm["min_s"],
            warm_cpu_median_s=warm["cpu_median_s"],
            warm_docs_per_s=warm["docs_per_s"],
            warm_up_s=self.results["warm_up"]["seconds"],
            load_s=split["load_median_s"],
            build_s=split["build_median_s"],
            renderer_start_s=round(split["start_docx_median_s"] + split["start_pdf_median_s"], 4),
            docx_s=split["docx_median_s"],
            pdf_s=split["pdf_median_s"],
            cli_peak_rss_mb=cold["cli_peak_rss_mb"],
            target_met_cold=cold["target_met"],
            target_met_warm=warm["target_met"],
            target_met=cold["target_met"],
            target_met_is="the `beslutsgen meeting` command (cold_cli median) under target_s",
            cold_j2_median_s=self.results.get("cold_cli_j2", {}).get("median_s"),
        )


def parse_args(argv: Sequence[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--items", type=int, default=None, help="§§ (default 40; --quick 5)")
    parser.add_argument("--reps", type=int, default=None, help="warm runs (default 5; --quick 2)")
    parser.add_argument(
        "--cold-runs", type=int, default=None, help="fresh CLI runs (default 3; --quick 1)"
    )
    parser.add_argument("--quick", action="store_true", help="smoke test: fewer runs and §§")
    parser.add_argument("--seed", type=int, default=2026)
    parser.add_argument("--no-pin", action="store_true", help="do not pin to one CPU")
    parser.add_argument(
        "--profile", action="store_true", help="cProfile one warm run (top 15 on stderr)"
    )
    args = parser.parse_args(argv)
    args.items = args.items or (5 if args.quick else 40)
    args.reps = args.reps or (2 if args.quick else 5)
    args.cold_runs = args.cold_runs or (1 if args.quick else 3)
    if args.items < 1 or args.reps < 1 or args.cold_runs < 1:
        parser.error("--items, --reps and --cold-runs must be at least 1")
    return args


def main(argv: Sequence[str] | None = None) -> int:
    args = parse_args(argv)
    with tempfile.TemporaryDirectory(prefix="beslutsgen-meeting-bench-") as work:
        Bench(args, Path(work)).run()
    return 0


if __name__ == "__main__":
    sys.exit(main())
