"""Throughput, cold start, parallel scaling and memory of beslutsgen vs docxtpl (+ LibreOffice).

    .venv/bin/python benchmarks/render.py [--n 200] [--big 2000] [--quick] [--no-libreoffice]

The last JSON line is the summary: each target of issue 3 and whether it is met (README.md).
"""

from __future__ import annotations

import dataclasses
import io
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
from harness import Bench, log, one_core

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


# --- the benchmark --------------------------------------------------------------------


class RenderBench(Bench):
    def __init__(self, *args: Any) -> None:
        super().__init__(*args)
        self.n: int = self.args.n
        self._docxtpl_render: Callable[[dict[str, Any]], bytes] | None = None
        self._contexts: list[dict[str, Any]] = []

    def run(self) -> None:
        started = time.perf_counter()
        generated, paths = self.generate()
        with one_core(self.args.pin) as cpu:
            project, built = self.load_and_build(paths)
            self.renderers(built, cpu)
            self.pipeline_one_core(paths, cpu)
            self.memory(project)
            self.docxtpl(generated, cpu)
            if self.args.profile:
                self.profile(project, built)
        self.cold_start(paths[0])
        self.parallel()
        with one_core(self.args.pin) as cpu:
            self.libreoffice(cpu)
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
        start = time.perf_counter()
        project = self.load([self.root / "decisions"], "cases", warnings=True)
        seconds = time.perf_counter() - start
        if len(project.arenden) != len(paths):
            raise SystemExit(f"loaded {len(project.arenden)} cases, wrote {len(paths)}")
        self.record("load_validate", self.n, seconds)
        start = time.perf_counter()
        built = pipeline.build_all(project)
        self.record("build_block_tree", self.n, time.perf_counter() - start)
        return project, built

    def renderers(self, built: list[Built], cpu: int | None) -> None:
        reference = self.settings("unused").reference_docx
        log("renderers: cold first document")
        renderers: dict[str, DocxRenderer | PdfRenderer] = {}
        for fmt, make in (("docx", lambda: DocxRenderer(reference)), ("pdf", PdfRenderer)):
            start = time.perf_counter()
            renderers[fmt] = make()
            init = time.perf_counter() - start
            renderers[fmt].render(built[0].document, built[0].style)
            seconds = time.perf_counter() - start
            self.record(f"{fmt}_cold_first", 1, seconds, init_seconds=round(init, 4))
        docx_r, pdf_r = renderers["docx"], renderers["pdf"]
        for one in built[:WARMUP]:
            docx_r.render(one.document, one.style)
            pdf_r.render(one.document, one.style)
        works: dict[str, Callable[[Built], object]] = {
            "docx": lambda one: docx_r.render(one.document, one.style),
            "pdf": lambda one: pdf_r.render(one.document, one.style),
            "pair": lambda one: (
                docx_r.render(one.document, one.style), pdf_r.render(one.document, one.style)
            ),
        }
        for name, work in works.items():
            log(f"{name}: {self.n} documents, warm")
            wall, cpu_s, latencies = harness.timed(built, work)
            extra = harness.latency_fields(latencies, cpu_s)
            if name == "pair":  # sizes and pages of the first 20 documents, outside the timing
                docx_sizes = [len(docx_r.render(b.document, b.style)) for b in built[:20]]
                pdfs = [pdf_r.render(b.document, b.style) for b in built[:20]]
                pages = [len(pypdf.PdfReader(io.BytesIO(p)).pages) for p in pdfs]
                extra.update(
                    target_pairs_per_s=TARGET_PAIRS_PER_S,
                    meets_target=self.n / wall >= TARGET_PAIRS_PER_S,
                    docx_bytes_median=int(statistics.median(docx_sizes)),
                    pdf_bytes_median=int(statistics.median(len(p) for p in pdfs)),
                    pdf_pages_of_first_20={str(k): pages.count(k) for k in sorted(set(pages))},
                )
            self.record(name, self.n, wall, cpus=1 if cpu is not None else None, **extra)

    def pipeline_one_core(self, paths: list[Path], cpu: int | None) -> None:
        log(f"pipeline.render jobs=1: {self.n} cases, YAML → files on disk")
        start = time.perf_counter()
        written = pipeline.render([self.root / "decisions"], self.settings("out-j1"), jobs=1)
        seconds = time.perf_counter() - start
        cpus = 1 if cpu is not None else None
        note = "load, validate, build, render, write"
        self.record("pipeline_render_j1", self.n, seconds, files=len(written), cpus=cpus, note=note)

    def memory(self, project: Project) -> None:
        big = self.args.big
        every = 100
        baseline_at = 200 if big >= 400 else max(every, big // 2 // every * every)
        log(f"memory: {big} DOCX+PDF pairs in one process, RSS every {every}")
        renderers = pipeline.Worker(self.settings("unused"), project.profile)
        samples: dict[int, float | None] = {0: harness.rss_mb()}
        start = time.perf_counter()
        done = 0
        while done < big:
            # Build a fresh batch of `every` documents each round, as a long batch would.
            chunk = [project.arenden[(done + k) % len(project.arenden)] for k in range(every)]
            for one in pipeline.build_all(dataclasses.replace(project, arenden=chunk)):
                renderers.render(one, "docx")
                renderers.render(one, "pdf")
                done += 1
                if done % every == 0:
                    samples[done] = harness.rss_mb()
                    log(f"  {done}: {samples[done]} MB")
                if done == big:
                    break
        seconds = time.perf_counter() - start
        base, last = samples.get(baseline_at), samples.get(big // every * every)
        growth = round(last - base, 1) if base is not None and last is not None else None
        span = big // every * every - baseline_at
        self.record(
            "memory_flat", big, seconds, rss_mb_at={str(k): v for k, v in samples.items()},
            rss_baseline_docs=baseline_at, rss_baseline_mb=base,
            rss_final_docs=big // every * every, rss_final_mb=last, growth_mb=growth,
            growth_mb_per_1000_docs=round(growth * 1000 / span, 2) if growth and span else growth,
            target_growth_mb=TARGET_RSS_GROWTH_MB,
            meets_target=None if growth is None else growth <= TARGET_RSS_GROWTH_MB,
            note="built in batches of 100, rendered to DOCX and PDF bytes",
        )

    def docxtpl(self, generated: list[cases.Case], cpu: int | None) -> None:
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
        wall, cpu_s, latencies = harness.timed(contexts, render)
        ours = self.results["docx"]["docs_per_s"]
        self.record(
            "docxtpl", self.n, wall, cpus=1 if cpu is not None else None,
            beslutsgen_docx_vs_docxtpl=harness.ratio(ours, self.n / wall),
            **harness.latency_fields(latencies, cpu_s),
        )
        self._docxtpl_render = render
        self._contexts = contexts

    def profile(self, project: Project, built: list[Built]) -> None:
        """cProfile of the warm pair loop, top functions to stderr (--profile)."""
        renderers = pipeline.Worker(self.settings("unused"), project.profile)
        for one in built[:WARMUP]:
            renderers.render(one, "docx")
            renderers.render(one, "pdf")
        for fmt in ("docx", "pdf"):
            harness.profile(
                f"{fmt}, 50 documents", lambda f=fmt: [renderers.render(b, f) for b in built[:50]]
            )

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
        for round_ in range(PARALLEL_ROUNDS):
            for jobs in (1, 2):
                if jobs in errors:
                    continue
                out = str(self.work / f"out-par-j{jobs}-{round_}")
                try:
                    args = (PARALLEL_CHILD, str(self.root), out, str(jobs))
                    runs[jobs].append(harness.run_python(*args, timeout=PARALLEL_TIMEOUT_S))
                except subprocess.TimeoutExpired:
                    log(f"jobs={jobs}: no result after {PARALLEL_TIMEOUT_S} s")
                    errors[jobs] = f"timed out after {PARALLEL_TIMEOUT_S} s"
                    continue
                log(f"  jobs={jobs}: {runs[jobs][-1]['seconds']:.2f} s")
        best: dict[int, float] = {}
        for jobs in (1, 2):
            name = f"pipeline_render_parallel_j{jobs}"
            if not runs[jobs]:
                self.record(name, self.n, None, jobs=jobs, error=errors.get(jobs, "no run"))
                continue
            fastest = min(runs[jobs], key=lambda r: float(r["seconds"]))
            best[jobs] = fastest["seconds"]
            extra: dict[str, Any] = {
                "jobs": jobs, "cpus_available": cores,
                "runs_seconds": [round(r["seconds"], 3) for r in runs[jobs]],
                "files": fastest["files"], "main_process_peak_rss_mb": fastest["peak_rss_mb"],
            }
            if jobs == 2:
                speedup = round(best[1] / best[2], 2) if 1 in best else None
                extra.update(
                    speedup_vs_j1=speedup, target_speedup=TARGET_SPEEDUP_J2,
                    meets_target=None if speedup is None else speedup >= TARGET_SPEEDUP_J2,
                )
            self.record(name, self.n, best[jobs], **extra)
        self.results["pipeline_render_parallel_j2"].setdefault("speedup_vs_j1", None)
        self.results["pipeline_render_parallel_j2"].setdefault("meets_target", False)

    def libreoffice(self, cpu: int | None) -> None:
        bench = "docxtpl_libreoffice"
        soffice = shutil.which("soffice") or shutil.which("libreoffice")
        if self.args.no_libreoffice or soffice is None:
            reason = "--no-libreoffice" if self.args.no_libreoffice else "LibreOffice not installed"
            log(f"{bench}: skipped ({reason})")
            self.record(bench, self.n, None, skipped=reason)
            return
        docx_dir, pdf_dir = self.work / "lo-docx", self.work / "lo-pdf"
        docx_dir.mkdir()
        pdf_dir.mkdir()
        log(f"{bench}: {self.n} docxtpl DOCX to disk, then one soffice batch call")
        assert self._docxtpl_render is not None
        start = time.perf_counter()
        for i, context in enumerate(self._contexts):
            (docx_dir / f"case-{i:05d}.docx").write_bytes(self._docxtpl_render(context))
        docx_seconds = time.perf_counter() - start
        profile_dir = self.work / "lo-profile"
        command = [
            soffice, "--headless", f"-env:UserInstallation={profile_dir.as_uri()}",
            "--convert-to", "pdf", "--outdir", str(pdf_dir),
            *sorted(str(p) for p in docx_dir.glob("*.docx")),
        ]
        start = time.perf_counter()
        done = subprocess.run(command, capture_output=True, text=True)
        soffice_seconds = time.perf_counter() - start
        pdfs = len(list(pdf_dir.glob("*.pdf")))
        total = docx_seconds + soffice_seconds
        rate = self.n / total
        extra: dict[str, Any] = {}
        if done.returncode != 0 or pdfs != self.n:
            extra["error"] = f"soffice exit {done.returncode}, {pdfs}/{self.n} PDFs"
            log(done.stderr[-2000:])
        self.record(
            bench, self.n, total, pdfs=pdfs, docxtpl_seconds=round(docx_seconds, 4),
            soffice_seconds=round(soffice_seconds, 4),
            soffice_docs_per_s=round(self.n / soffice_seconds, 2),
            cpus=1 if cpu is not None else None,
            beslutsgen_pairs_vs_this=harness.ratio(self.results["pair"]["docs_per_s"], rate),
            beslutsgen_pipeline_j1_vs_this=harness.ratio(
                self.results["pipeline_render_j1"]["docs_per_s"], rate
            ),
            target_ratio=TARGET_VS_LIBREOFFICE,
            note="includes soffice start-up; plain PDF, not PDF/A",
            **extra,
        )

    def summary(self, seconds: float) -> None:
        r = self.results
        pairs = r["pair"]["docs_per_s"]
        lo = r["docxtpl_libreoffice"]
        lo_ratio = lo.get("beslutsgen_pairs_vs_this")
        par = r["pipeline_render_parallel_j2"]
        mem = r["memory_flat"]
        targets: dict[str, dict[str, Any]] = {
            "pairs_per_s_one_core": {
                "target": f">= {TARGET_PAIRS_PER_S:g}", "value": pairs,
                "met": pairs >= TARGET_PAIRS_PER_S,
            },
            "vs_docxtpl_libreoffice": {
                "target": f">= {TARGET_VS_LIBREOFFICE:g}x", "value": lo_ratio,
                "met": None if lo_ratio is None else lo_ratio >= TARGET_VS_LIBREOFFICE,
                **({"skipped": lo["skipped"]} if "skipped" in lo else {}),
            },
            "parallel_speedup_j2": {
                "target": f">= {TARGET_SPEEDUP_J2:g}x (close to 2x)",
                "value": par.get("speedup_vs_j1"), "met": par.get("meets_target"),
            },
            "memory_flat": {
                "target": f"RSS growth <= {TARGET_RSS_GROWTH_MB:g} MB from document "
                f"{mem['rss_baseline_docs']} to {mem['rss_final_docs']}",
                "value": mem["growth_mb"],
                "met": mem["meets_target"],
            },
        }
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
