"""Throughput, cold start, parallel scaling and memory of beslutsgen vs docxtpl (+ LibreOffice).

    .venv/bin/python benchmarks/render.py [--n 200] [--big 2000] [--quick] [--no-libreoffice]

The last JSON line is the summary: each target of issue 3 and whether it is met (README.md).
"""

from __future__ import annotations

import dataclasses
import io
import itertools
import os
import shutil
import statistics
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pypdf

import cases
import harness
from beslutsgen import pipeline
from beslutsgen.build import Built
from beslutsgen.load import Project
from beslutsgen.render import DocxRenderer, PdfRenderer
from harness import Bench, clock, log, one_core

TARGET_PAIRS_PER_S = 40.0
TARGET_VS_LIBREOFFICE = 10.0
TARGET_SPEEDUP_J2 = 1.7  # "close to 2×" on a 2-core machine
TARGET_RSS_GROWTH_MB = 16.0  # "flat": growth from the baseline sample to the last one
WARMUP = 3
COLD_RUNS = 5
PARALLEL_TIMEOUT_S = 600
PARALLEL_ROUNDS = 2
PARALLEL_CHILD = """
import json, resource, sys, time
from pathlib import Path
from beslutsgen import pipeline
root, out, jobs = Path(sys.argv[1]), Path(sys.argv[2]), int(sys.argv[3])
start = time.perf_counter()
written = pipeline.render([root / "decisions"], pipeline.Settings(root=root, out_dir=out), jobs)
seconds = time.perf_counter() - start
# VmHWM: this process's own high-water mark (ru_maxrss would include the parent's).
hwm = [int(l.split()[1]) for l in open("/proc/self/status") if l.startswith("VmHWM:")]
peak = round(hwm[0] / 1024, 1) if hwm else None
print(json.dumps({"seconds": seconds, "files": len(written), "peak_rss_mb": peak}))
"""


class RenderBench(Bench):
    def __init__(self, *args: Any) -> None:
        super().__init__(*args)
        self.n: int = self.args.n
        self.cpus: int | None = None  # 1 when pinned

    def run(self) -> None:
        started = time.perf_counter()
        generated, paths = self.generate()
        with one_core(self.args.pin) as cpu:
            self.cpus = None if cpu is None else 1
            project, built = self.load_and_build(paths)
            render = self.renderers(built)
            self.pipeline_one_core()
            self.memory(project)
            docxtpl_render, contexts = self.docxtpl(generated)
            if self.args.profile:  # cProfile of 50 documents through the warm renderers
                for fmt in ("docx", "pdf"):
                    harness.profile(f"{fmt}, 50 documents", list, map(render[fmt], built[:50]))
        self.cold_start(paths[0])
        self.parallel()
        with one_core(self.args.pin):
            self.libreoffice(docxtpl_render, contexts)
        self.summary(time.perf_counter() - started)

    def generate(self) -> tuple[list[cases.Case], list[Path]]:
        log(f"generating {self.n} cases in {self.work}")
        start = time.perf_counter()
        generated = cases.generate(self.n, self.args.seed)
        paths = cases.write_project(self.root, generated)
        seconds = time.perf_counter() - start
        words = [len(c.data["ärendebeskrivning"].split()) for c in generated]
        kinds = [{b.kind for b in c.blocks} for c in generated]
        self.record(
            "generate", self.n, seconds, words_median=int(statistics.median(words)),
            words_max=max(words), with_table=sum("table" in k for k in kinds),
            with_list=sum(bool(k & {"ul", "ol"}) for k in kinds),
        )
        return generated, paths

    def load_and_build(self, paths: list[Path]) -> tuple[Project, list[Built]]:
        log("loading and validating")
        seconds, _, project = clock(self.load, [self.root / "decisions"], "cases", warnings=True)
        if len(project.arenden) != len(paths):
            raise SystemExit(f"loaded {len(project.arenden)} cases, wrote {len(paths)}")
        self.record("load_validate", self.n, seconds)
        seconds, _, built = clock(pipeline.build_all, project)
        self.record("build_block_tree", self.n, seconds)
        return project, built

    def renderers(self, built: list[Built]) -> dict[str, Callable[[Built], Any]]:
        """A new renderer's first document; then docx, pdf and pairs through warm renderers."""
        reference = self.settings("unused").reference_docx
        log("renderers: cold first document")
        render: dict[str, Callable[[Built], Any]] = {}
        for fmt in ("docx", "pdf"):
            init, _, r = clock(DocxRenderer, reference) if fmt == "docx" else clock(PdfRenderer)
            seconds = init + clock(r.render, built[0].document, built[0].style)[0]
            self.record(f"{fmt}_cold_first", 1, seconds, init_seconds=round(init, 4))
            render[fmt] = lambda one, r=r: r.render(one.document, one.style)  # type: ignore[misc]
        render["pair"] = lambda one: (render["docx"](one), render["pdf"](one))
        for one in built[:WARMUP]:
            render["pair"](one)
        for name, work in render.items():
            log(f"{name}: {self.n} documents, warm")
            wall, extra = harness.timed(built, work)
            if name == "pair":  # sizes and pages of the first 20 documents, outside the timing
                docx_sizes = [len(render["docx"](one)) for one in built[:20]]
                pdfs = [render["pdf"](one) for one in built[:20]]
                pages = [len(pypdf.PdfReader(io.BytesIO(p)).pages) for p in pdfs]
                extra.update(
                    target_pairs_per_s=TARGET_PAIRS_PER_S,
                    meets_target=self.n / wall >= TARGET_PAIRS_PER_S,
                    docx_bytes_median=int(statistics.median(docx_sizes)),
                    pdf_bytes_median=int(statistics.median(len(p) for p in pdfs)),
                    pdf_pages_of_first_20={str(k): pages.count(k) for k in sorted(set(pages))},
                )
            self.record(name, self.n, wall, cpus=self.cpus, **extra)
        return render

    def pipeline_one_core(self) -> None:
        log(f"pipeline.render jobs=1: {self.n} cases, YAML → files on disk")
        decisions, settings = [self.root / "decisions"], self.settings("out-j1")
        seconds, _, written = clock(pipeline.render, decisions, settings, jobs=1)
        note = "load, validate, build, render, write"
        self.record(
            "pipeline_render_j1", self.n, seconds, files=len(written), cpus=self.cpus, note=note
        )

    def memory(self, project: Project) -> None:
        """`--big` documents built in batches and rendered in one process, VmRSS per batch."""
        big, every = self.args.big, 100
        baseline_at = 200 if big >= 400 else max(every, big // 2 // every * every)
        final_at = big // every * every
        log(f"memory: {big} DOCX+PDF pairs in one process, RSS every {every}")
        worker = pipeline.Worker(self.settings("unused"), project.profile)
        samples: dict[int, float | None] = {0: harness.rss_mb()}
        start = time.perf_counter()
        arenden = project.arenden
        for first in range(0, big, every):  # a fresh batch each time, as a long run would
            batch = [arenden[k % len(arenden)] for k in range(first, min(first + every, big))]
            for one in pipeline.build_all(dataclasses.replace(project, arenden=batch)):
                worker.render(one, "docx")
                worker.render(one, "pdf")
            if (done := first + len(batch)) % every == 0:
                samples[done] = harness.rss_mb()
                log(f"  {done}: {samples[done]} MB")
        seconds = time.perf_counter() - start
        base, last = samples.get(baseline_at), samples.get(final_at)
        growth = round(last - base, 1) if base is not None and last is not None else None
        span = final_at - baseline_at
        self.record(
            "memory_flat", big, seconds, rss_mb_at={str(k): v for k, v in samples.items()},
            rss_baseline_docs=baseline_at, rss_baseline_mb=base,
            rss_final_docs=final_at, rss_final_mb=last, growth_mb=growth,
            growth_mb_per_1000_docs=round(growth * 1000 / span, 2) if growth and span else growth,
            target_growth_mb=TARGET_RSS_GROWTH_MB,
            meets_target=None if growth is None else growth <= TARGET_RSS_GROWTH_MB,
            note="built in batches of 100, rendered to DOCX and PDF bytes",
        )

    def docxtpl(self, generated: list[cases.Case]) -> tuple[Callable[[Any], bytes], list[Any]]:
        """The same content through a docxtpl template; its render function and contexts."""
        from docxtpl import DocxTemplate

        log(f"docxtpl: {self.n} documents")
        template = cases.docxtpl_template()
        contexts = [cases.docxtpl_context(c) for c in generated]

        def render(context: dict[str, Any]) -> bytes:
            tpl = DocxTemplate(io.BytesIO(template))
            tpl.render(context, autoescape=True)
            buffer = io.BytesIO()
            tpl.save(buffer)
            return buffer.getvalue()

        for context in contexts[:WARMUP]:
            render(context)
        wall, latency = harness.timed(contexts, render)
        ours = self.results["docx"]["docs_per_s"]
        self.record(
            "docxtpl", self.n, wall, cpus=self.cpus,
            beslutsgen_docx_vs_docxtpl=harness.ratio(ours, self.n / wall), **latency,
        )
        return render, contexts

    def cold_start(self, case: Path) -> None:
        log(f"cold start: {COLD_RUNS} × beslutsgen render one case")
        target = str(case.relative_to(self.root))
        reports = [
            harness.run_cli("render", target, "-o", str(self.work / f"cold-{i}"), cwd=self.root)
            for i in range(COLD_RUNS)
        ]
        self.record(
            "cold_start_cli", 1, statistics.median(r["seconds"] for r in reports),
            runs_seconds=[round(r["seconds"], 3) for r in reports],
            cli_peak_rss_mb=max(r["rss_mb"] for r in reports),
            note="median of fresh `beslutsgen render <case> -o <dir>` runs",
        )

    def parallel(self) -> None:
        """jobs=1 and jobs=2 alternately, each in a fresh process; the best of each counts."""
        cores = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count()
        log(f"pipeline.render jobs=1 and jobs=2 in fresh processes ({cores} CPUs available)")
        runs: dict[int, list[dict[str, Any]]] = {1: [], 2: []}
        errors: dict[int, str] = {}
        for round_, jobs in itertools.product(range(PARALLEL_ROUNDS), runs):
            out = str(self.work / f"out-par-j{jobs}-{round_}")
            args = (PARALLEL_CHILD, str(self.root), out, str(jobs))
            try:
                if jobs not in errors:
                    runs[jobs].append(harness.run_python(*args, timeout=PARALLEL_TIMEOUT_S))
                    log(f"  jobs={jobs}: {runs[jobs][-1]['seconds']:.2f} s")
            except subprocess.TimeoutExpired:
                errors[jobs] = f"timed out after {PARALLEL_TIMEOUT_S} s"
                log(f"jobs={jobs}: {errors[jobs]}")
        best = {j: min(done, key=lambda r: r["seconds"]) for j, done in runs.items() if done}
        for jobs, done in runs.items():
            name = f"pipeline_render_parallel_j{jobs}"
            if not done:  # every run timed out
                self.record(name, self.n, None, jobs=jobs, error=errors[jobs])
                continue
            extra: dict[str, Any] = {
                "jobs": jobs, "cpus_available": cores,
                "runs_seconds": [round(r["seconds"], 3) for r in done],
                "files": best[jobs]["files"], "main_process_peak_rss_mb": best[jobs]["peak_rss_mb"],
            }
            if jobs == 2:
                speedup = harness.ratio(best.get(1, {}).get("seconds"), best[2]["seconds"])
                extra.update(
                    speedup_vs_j1=speedup, target_speedup=TARGET_SPEEDUP_J2,
                    meets_target=None if speedup is None else speedup >= TARGET_SPEEDUP_J2,
                )
            self.record(name, self.n, best[jobs]["seconds"], **extra)

    def libreoffice(self, render: Callable[[Any], bytes], contexts: list[Any]) -> None:
        """The docxtpl DOCX files written to disk, then one `soffice --convert-to pdf` call."""
        bench = "docxtpl_libreoffice"
        soffice = shutil.which("soffice") or shutil.which("libreoffice")
        if self.args.no_libreoffice or soffice is None:
            reason = "--no-libreoffice" if self.args.no_libreoffice else "LibreOffice not installed"
            log(f"{bench}: skipped ({reason})")
            self.record(bench, self.n, None, skipped=reason)
            return
        docx_dir, pdf_dir = self.work / "lo-docx", self.work / "lo-pdf"
        docx_dir.mkdir()  # soffice makes pdf_dir
        log(f"{bench}: {self.n} docxtpl DOCX to disk, then one soffice batch call")
        files = [docx_dir / f"case-{i:05d}.docx" for i in range(len(contexts))]
        start = time.perf_counter()
        for file, context in zip(files, contexts, strict=True):
            file.write_bytes(render(context))
        docx_seconds = time.perf_counter() - start
        profile_dir = (self.work / "lo-profile").as_uri()
        command = [soffice, "--headless", f"-env:UserInstallation={profile_dir}"]
        command += ["--convert-to", "pdf", "--outdir", str(pdf_dir), *map(str, files)]
        soffice_seconds, _, done = clock(subprocess.run, command, capture_output=True, text=True)
        pdfs = len(list(pdf_dir.glob("*.pdf")))
        total = docx_seconds + soffice_seconds
        rate = self.n / total
        ours = {k: self.results[k]["docs_per_s"] for k in ("pair", "pipeline_render_j1")}
        extra: dict[str, Any] = {}
        if done.returncode != 0 or pdfs != self.n:
            extra["error"] = f"soffice exit {done.returncode}, {pdfs}/{self.n} PDFs"
            log(done.stderr[-2000:])
        self.record(
            bench, self.n, total, pdfs=pdfs, docxtpl_seconds=round(docx_seconds, 4),
            soffice_seconds=round(soffice_seconds, 4),
            soffice_docs_per_s=round(self.n / soffice_seconds, 2), cpus=self.cpus,
            beslutsgen_pairs_vs_this=harness.ratio(ours["pair"], rate),
            beslutsgen_pipeline_j1_vs_this=harness.ratio(ours["pipeline_render_j1"], rate),
            target_ratio=TARGET_VS_LIBREOFFICE,
            note="includes soffice start-up; plain PDF, not PDF/A", **extra,
        )

    def summary(self, seconds: float) -> None:
        r = self.results
        pairs, lo, mem = r["pair"]["docs_per_s"], r["docxtpl_libreoffice"], r["memory_flat"]
        lo_ratio = lo.get("beslutsgen_pairs_vs_this")
        par = r["pipeline_render_parallel_j2"]
        rows = (  # name, target, value, met
            ("pairs_per_s_one_core", f">= {TARGET_PAIRS_PER_S:g}", pairs,
             pairs >= TARGET_PAIRS_PER_S),
            ("vs_docxtpl_libreoffice", f">= {TARGET_VS_LIBREOFFICE:g}x", lo_ratio,
             None if lo_ratio is None else lo_ratio >= TARGET_VS_LIBREOFFICE),
            ("parallel_speedup_j2", f">= {TARGET_SPEEDUP_J2:g}x (close to 2x)",
             par.get("speedup_vs_j1"), par.get("meets_target", False)),  # no j2 run: not met
            ("memory_flat", f"RSS growth <= {TARGET_RSS_GROWTH_MB:g} MB from document "
             f"{mem['rss_baseline_docs']} to {mem['rss_final_docs']}", mem["growth_mb"],
             mem["meets_target"]),
        )
        targets = {name: {"target": t, "value": v, "met": met} for name, t, v, met in rows}
        if "skipped" in lo:
            targets["vs_docxtpl_libreoffice"]["skipped"] = lo["skipped"]
        decided = [t["met"] for t in targets.values() if t["met"] is not None]
        self.record(
            "summary", self.n, seconds, docs_per_s_is="wall time of the whole benchmark run",
            pairs_per_s=pairs, docx_per_s=r["docx"]["docs_per_s"],
            pdf_per_s=r["pdf"]["docs_per_s"], cold_start_s=r["cold_start_cli"]["seconds"],
            docxtpl_per_s=r["docxtpl"]["docs_per_s"],
            beslutsgen_docx_vs_docxtpl=r["docxtpl"]["beslutsgen_docx_vs_docxtpl"],
            targets=targets, all_met=all(decided) and len(decided) == len(targets),
        )


if __name__ == "__main__":
    args = harness.parse(
        __doc__, seed=2025, n=("generated cases", 200, 20, 2),
        big=("documents in the memory run", 2000, 200, 100),
        extra=lambda p: p.add_argument(
            "--no-libreoffice", action="store_true", help="skip docxtpl+LibreOffice"
        ),
    )
    sys.exit(harness.main(RenderBench, args))
