"""A 40-item meeting (86 DOCX + PDF/A files) against the target of under 2 s on one core.

One sammanträde with 40 §§: protokoll, 40 protokollsutdrag, kallelse and anslagsbevis,
each in DOCX and PDF/A, measured against the target of issue 4.

    .venv/bin/python benchmarks/meeting.py [--items 40] [--reps 5] [--quick] [--profile]

Generates (seeded, `cases.write_meeting`) a project in a temporary folder: beslutsgen.yaml,
one ärende per § and the meeting file (attendance, votes, reservations, jäv, yrkanden, an
omedelbart justerad §). Then, pinned to one CPU: `cold_cli` (the `beslutsgen meeting`
command in fresh processes), `warm_up` (the first in-process `pipeline.render_meetings`,
excluded from `warm`), `warm` (the same call repeated), `split` (load, build, DOCX and
PDF timed on their own) and a `summary`. stdout carries one JSON object per line
(harness.py); progress goes to stderr.
"""

from __future__ import annotations

import io
import statistics
import sys
import time
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

import pypdf

import cases
from beslutsgen import pipeline
from beslutsgen.build import Templates, build_sammantrade
from beslutsgen.load import Project, load_project
from harness import Bench, arguments, clock, log, main, one_core, parse, profile, run_cli, spread

TARGET_S = 2.0


class MeetingBench(Bench):
    def __init__(self, *args: Any) -> None:
        super().__init__(*args)
        self.docs = 2 * (self.args.items + 3)  # kallelse, protokoll, anslagsbevis, utdrag per §

    def run(self) -> None:
        started = time.perf_counter()
        log(f"generating a meeting with {self.args.items} §§ in {self.root}")
        start = time.perf_counter()
        path, shape = cases.write_meeting(self.root, self.args.items, self.args.seed)
        self.record("generate", self.args.items, time.perf_counter() - start, **shape)
        with one_core(self.args.pin) as cpu:
            self.cold(path)
            start = time.perf_counter()
            project = self.load([path], "meeting")
            self.record("load_validate_first", self.args.items + 1, time.perf_counter() - start)
            self.warm(path)
            self.split(project)
            if self.args.profile:
                profile("one warm render_meetings", lambda: self.render_once(path, "prof"), 15)
        if not self.args.quick:  # both cores: the documents rendered by two processes
            self.cold(path, jobs=2)
        self.summary(time.perf_counter() - started, cpu)

    def cold(self, path: Path, jobs: int = 1) -> None:
        log(f"cold: {self.args.cold_runs} × beslutsgen meeting -j {jobs} in a fresh process")
        reports = []
        for i in range(self.args.cold_runs):
            out = str(self.work / f"cold-j{jobs}-{i}")
            report = run_cli("meeting", "-j", str(jobs), str(path), "-o", out, cwd=self.root)
            if report["files"] != self.docs:
                raise SystemExit(f"beslutsgen meeting wrote {report['files']}, not {self.docs}")
            reports.append(report)
            log(f"  {report['seconds']:.2f} s")
        runs, cpu = [r["seconds"] for r in reports], [r["cpu"] for r in reports]
        median = statistics.median(runs)
        self.record(
            "cold_cli" if jobs == 1 else f"cold_cli_j{jobs}",
            self.docs,
            median,
            **spread(runs),
            cpu_median_s=round(statistics.median(cpu), 4),
            cpu_runs_s=[round(c, 4) for c in cpu],
            cli_peak_rss_mb=max(r["rss_mb"] for r in reports),
            target_s=TARGET_S,
            target_met=median < TARGET_S,
            note="`beslutsgen meeting <file> -o <dir>` in a fresh process: interpreter start, "
            "imports, fonts, load, build, render, write",
        )

    def render_once(self, path: Path, out: str) -> tuple[float, float]:
        """Wall and CPU seconds of one pipeline.render_meetings call."""
        wall, cpu, (written, _) = clock(pipeline.render_meetings, [path], self.settings(out))
        if len(written) != self.docs:
            raise SystemExit(f"render_meetings wrote {len(written)} files, not {self.docs}")
        return wall, cpu

    def warm(self, path: Path) -> None:
        log("warm-up: first pipeline.render_meetings in this process")
        seconds, cpu_s = self.render_once(path, "warm-up")
        self.record("warm_up", self.docs, seconds, cpu_s=round(cpu_s, 4))
        log(f"warm: {self.args.reps} × pipeline.render_meetings")
        runs, cpu = zip(
            *(self.render_once(path, f"warm-{i}") for i in range(self.args.reps)), strict=True
        )
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
        loaded, templates = project.meetings[0], self.root / "templates"
        settings = self.settings("unused")
        worker = pipeline.Worker(settings, project.profile)
        docs = build_sammantrade(loaded, project.profile, Templates(templates))
        for one in docs.documents:  # renderers made and warmed outside the timing
            worker.render(one, "docx")
            worker.render(one, "pdf")
        keys = ("load", "build", "start_docx", "start_pdf", "docx", "pdf")
        times: dict[str, list[float]] = {k: [] for k in (*keys, "protokoll_docx", "protokoll_pdf")}
        small = docs.documents[-1]  # the anslagsbevis, one page

        def timed(key: str, work: Callable[..., Any], *args: Any) -> Any:
            seconds, _, result = clock(work, *args)
            times[key].append(seconds)
            return result

        log(f"split: {self.args.reps} × load, build, renderer start-up, DOCX, PDF")
        for _ in range(self.args.reps):
            project = timed("load", load_project, [loaded.path], self.root)
            meeting, profile = project.meetings[0], project.profile
            docs = timed(
                "build", lambda m=meeting, p=profile: build_sammantrade(m, p, Templates(templates))
            )
            fresh = pipeline.Worker(settings, project.profile)
            for fmt in ("docx", "pdf"):
                first = clock(fresh.render, small, fmt)[0]
                times[f"start_{fmt}"].append(first - clock(worker.render, small, fmt)[0])
            for fmt in ("docx", "pdf"):
                spent = {one.stem: clock(worker.render, one, fmt)[0] for one in docs.documents}
                times[fmt].append(sum(spent.values()))
                times[f"protokoll_{fmt}"].append(spent["protokoll"])
        medians = {k: statistics.median(v) for k, v in times.items()}
        parts = sum(medians[k] for k in keys)
        protokoll = next(one for one in docs.documents if one.stem == "protokoll")
        pdf = worker.render(protokoll, "pdf")
        self.record(
            "split",
            self.docs,
            parts,
            **{f"{k}_median_s": round(v, 4) for k, v in medians.items()},
            **{f"{k}_min_s": round(min(v), 4) for k, v in times.items()},
            share_of_parts={k: round(medians[k] / parts, 3) for k in keys},
            write_and_other_s=round(self.results["warm"]["median_s"] - parts, 4),
            protokoll_pdf_pages=len(pypdf.PdfReader(io.BytesIO(pdf)).pages),
            protokoll_pdf_bytes=len(pdf),
            protokoll_docx_bytes=len(worker.render(protokoll, "docx")),
            note="seconds = the sum of the medians of load, build, start_docx, start_pdf, "
            "docx and pdf (warm renderers); write_and_other_s = warm median minus that sum "
            "(writing files, staging, noise)",
        )

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


def parse_args(argv: Sequence[str] | None) -> Any:
    parser = arguments(__doc__, seed=2026)
    parser.add_argument("--items", type=int, help="§§ (default 40; --quick 5)")
    parser.add_argument("--reps", type=int, help="warm runs (default 5; --quick 2)")
    parser.add_argument("--cold-runs", type=int, help="fresh CLI runs (default 3; --quick 1)")
    args = parse(parser, argv, items=(40, 5), reps=(5, 2), cold_runs=(3, 1))
    if min(args.items, args.reps, args.cold_runs) < 1:
        parser.error("--items, --reps and --cold-runs must be at least 1")
    return args


if __name__ == "__main__":
    sys.exit(main(MeetingBench, parse_args(None)))
