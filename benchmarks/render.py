"""Throughput, cold start, parallel scaling and memory of beslutsgen vs docxtpl (+ LibreOffice).

    .venv/bin/python benchmarks/render.py [--n 200] [--big 2000] [--quick] [--no-libreoffice]

Prints one JSON object per line on stdout (progress goes to stderr); the last line is
{"bench": "summary", ...} with each target from issue 3 and whether it is met.
Single-core measurements run pinned to one CPU (os.sched_setaffinity) where the OS allows.
"""

from __future__ import annotations

import argparse
import cProfile
import dataclasses
import io
import json
import os
import pstats
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import Any, TypeVar

import pypdf

import cases
from beslutsgen import pipeline
from beslutsgen.build.tjanssteskrivelse import Built
from beslutsgen.errors import InputError
from beslutsgen.load.project import Project, load_project
from beslutsgen.render.docx import DocxRenderer
from beslutsgen.render.pdf import PdfRenderer

T = TypeVar("T")
REQUIRED_KEYS = ("bench", "docs", "seconds", "docs_per_s", "peak_rss_mb")
TARGET_PAIRS_PER_S = 40.0
TARGET_VS_LIBREOFFICE = 10.0
TARGET_SPEEDUP_J2 = 1.7  # "close to 2×" on a 2-core machine
TARGET_RSS_GROWTH_MB = 16.0  # "flat": growth from the baseline sample to the last one
WARMUP = 3
COLD_RUNS = 5
PARALLEL_TIMEOUT_S = 600
PARALLEL_ROUNDS = 2
MAXRSS_LAUNCHER = (
    "import resource, subprocess, sys\n"
    "code = subprocess.run(sys.argv[1:]).returncode\n"
    "print(resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss)\n"
    "sys.exit(code)\n"
)
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


# --- output ---------------------------------------------------------------------------


def log(message: str) -> None:
    print(message, file=sys.stderr, flush=True)


def peak_rss_mb(who: int = resource.RUSAGE_SELF) -> float:
    """Peak resident set size (Linux reports ru_maxrss in KiB, macOS in bytes)."""
    peak = resource.getrusage(who).ru_maxrss
    return round(peak / (1024 * 1024 if sys.platform == "darwin" else 1024), 1)


def rss_mb() -> float | None:
    """Current resident set size from /proc (None where there is no /proc)."""
    try:
        with open("/proc/self/status", encoding="ascii") as status:
            for line in status:
                if line.startswith("VmRSS:"):
                    return round(int(line.split()[1]) / 1024, 1)
    except OSError:
        return None
    return None


def emit(bench: str, docs: int, seconds: float | None, **extra: Any) -> dict[str, Any]:
    record: dict[str, Any] = {
        "bench": bench,
        "docs": docs,
        "seconds": None if seconds is None else round(seconds, 4),
        "docs_per_s": None if not seconds else round(docs / seconds, 2),
        "peak_rss_mb": peak_rss_mb(),
    }
    record.update(extra)
    print(json.dumps(record, ensure_ascii=False), flush=True)
    return record


def ratio(a: float | None, b: float | None) -> float | None:
    return round(a / b, 2) if a and b else None


# --- measuring ------------------------------------------------------------------------


@contextmanager
def one_core(enabled: bool) -> Iterator[int | None]:
    """Pin this process (and children it starts) to one CPU; restore the mask afterwards."""
    if not enabled or not hasattr(os, "sched_setaffinity"):
        yield None
        return
    before = os.sched_getaffinity(0)
    cpu = max(before)
    os.sched_setaffinity(0, {cpu})
    try:
        yield cpu
    finally:
        os.sched_setaffinity(0, before)


def timed(items: Iterable[T], work: Callable[[T], object]) -> tuple[float, float, list[float]]:
    """Wall seconds, CPU seconds and the per-item latencies of `work` over `items`."""
    latencies = []
    cpu0 = time.process_time()
    start = time.perf_counter()
    for item in items:
        t0 = time.perf_counter()
        work(item)
        latencies.append(time.perf_counter() - t0)
    wall = time.perf_counter() - start
    return wall, time.process_time() - cpu0, latencies


def latency_fields(latencies: Sequence[float], cpu: float) -> dict[str, Any]:
    ordered = sorted(latencies)
    p95 = ordered[min(len(ordered) - 1, int(0.95 * len(ordered)))]
    return {
        "ms_median": round(statistics.median(ordered) * 1000, 2),
        "ms_p95": round(p95 * 1000, 2),
        "cpu_seconds": round(cpu, 4),
    }


# --- the benchmark --------------------------------------------------------------------


class Bench:
    def __init__(self, args: argparse.Namespace, work: Path) -> None:
        self.args = args
        self.work = work
        self.n: int = args.n
        self.results: dict[str, dict[str, Any]] = {}
        self._docxtpl_render: Callable[[dict[str, Any]], bytes] | None = None
        self._contexts: list[dict[str, Any]] = []

    def record(self, bench: str, docs: int, seconds: float | None, **extra: Any) -> None:
        self.results[bench] = emit(bench, docs, seconds, **extra)

    def run(self) -> None:
        started = time.perf_counter()
        pin = not self.args.no_pin
        generated, paths = self.generate()
        with one_core(pin) as cpu:
            if cpu is not None:
                log(f"single-core benchmarks pinned to CPU {cpu}")
            project, built = self.load_and_build(paths)
            self.renderers(built, cpu)
            self.pipeline_one_core(paths, cpu)
            self.memory(project)
            self.docxtpl(generated, cpu)
            if self.args.profile:
                self.profile(project, built)
        self.cold_start(paths[0])
        self.parallel()
        with one_core(pin) as cpu:
            self.libreoffice(cpu)
        self.summary(time.perf_counter() - started)

    def generate(self) -> tuple[list[cases.Case], list[Path]]:
        log(f"generating {self.n} cases in {self.work}")
        start = time.perf_counter()
        generated = cases.generate(self.n, self.args.seed)
        paths = cases.write_project(self.work / "project", generated)
        seconds = time.perf_counter() - start
        words = [len(c.data["ärendebeskrivning"].split()) for c in generated]
        self.record(
            "generate",
            self.n,
            seconds,
            words_median=int(statistics.median(words)),
            words_max=max(words),
            with_table=sum(any(b.kind == "table" for b in c.blocks) for c in generated),
            with_list=sum(any(b.kind in ("ul", "ol") for b in c.blocks) for c in generated),
        )
        return generated, paths

    @property
    def root(self) -> Path:
        return self.work / "project"

    def settings(self, out: str) -> pipeline.Settings:
        return pipeline.Settings(root=self.root, out_dir=self.work / out)

    def load_and_build(self, paths: list[Path]) -> tuple[Project, list[Built]]:
        log("loading and validating")
        start = time.perf_counter()
        try:
            project = load_project([self.root / "decisions"], self.root)
        except InputError as exc:  # the generator is wrong: say exactly where
            for problem in exc.problems:
                log(str(problem))
            raise SystemExit(f"{len(exc.problems)} problems in the generated cases") from None
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
        start = time.perf_counter()
        docx_renderer = DocxRenderer(reference)
        init = time.perf_counter() - start
        docx_renderer.render(built[0].document, built[0].style)
        self.record("docx_cold_first", 1, time.perf_counter() - start, init_seconds=round(init, 4))
        start = time.perf_counter()
        pdf_renderer = PdfRenderer()
        init = time.perf_counter() - start
        pdf_renderer.render(built[0].document, built[0].style)
        self.record("pdf_cold_first", 1, time.perf_counter() - start, init_seconds=round(init, 4))
        for one in built[:WARMUP]:
            docx_renderer.render(one.document, one.style)
            pdf_renderer.render(one.document, one.style)

        def docx_only(one: Built) -> None:
            docx_renderer.render(one.document, one.style)

        def pdf_only(one: Built) -> None:
            pdf_renderer.render(one.document, one.style)

        def pair(one: Built) -> None:
            docx_only(one)
            pdf_only(one)

        for name, work in (("docx", docx_only), ("pdf", pdf_only), ("pair", pair)):
            log(f"{name}: {self.n} documents, warm")
            wall, cpu_s, latencies = timed(built, work)
            extra = latency_fields(latencies, cpu_s)
            if name == "pair":
                extra["target_pairs_per_s"] = TARGET_PAIRS_PER_S
                extra["meets_target"] = self.n / wall >= TARGET_PAIRS_PER_S
                extra.update(self._sizes(built, docx_renderer, pdf_renderer))
            self.record(name, self.n, wall, cpus=1 if cpu is not None else None, **extra)

    @staticmethod
    def _sizes(
        built: list[Built], docx_renderer: DocxRenderer, pdf_renderer: PdfRenderer
    ) -> dict[str, Any]:
        """Output sizes and page counts of the first 20 documents (outside the timing)."""
        sizes: dict[str, Any] = {}
        sizes["docx_bytes_median"] = int(
            statistics.median(len(docx_renderer.render(b.document, b.style)) for b in built[:20])
        )
        pdfs = [pdf_renderer.render(b.document, b.style) for b in built[:20]]
        sizes["pdf_bytes_median"] = int(statistics.median(len(p) for p in pdfs))
        pages = [len(pypdf.PdfReader(io.BytesIO(p)).pages) for p in pdfs]
        sizes["pdf_pages_of_first_20"] = {str(k): pages.count(k) for k in sorted(set(pages))}
        return sizes

    def pipeline_one_core(self, paths: list[Path], cpu: int | None) -> None:
        log(f"pipeline.render jobs=1: {self.n} cases, YAML → files on disk")
        start = time.perf_counter()
        written = pipeline.render([self.root / "decisions"], self.settings("out-j1"), jobs=1)
        seconds = time.perf_counter() - start
        self.record(
            "pipeline_render_j1",
            self.n,
            seconds,
            files=len(written),
            cpus=1 if cpu is not None else None,
            note="end to end: load+validate YAML, build, render DOCX+PDF, write atomically",
        )

    def memory(self, project: Project) -> None:
        big = self.args.big
        every = 100
        baseline_at = 200 if big >= 400 else max(every, big // 2 // every * every)
        log(f"memory: {big} DOCX+PDF pairs in one process, RSS every {every}")
        renderers = pipeline.Worker(self.settings("unused"), project.profile)
        samples: dict[int, float | None] = {0: rss_mb()}
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
                    samples[done] = rss_mb()
                    log(f"  {done}: {samples[done]} MB")
                if done == big:
                    break
        seconds = time.perf_counter() - start
        base, last = samples.get(baseline_at), samples.get(big // every * every)
        growth = round(last - base, 1) if base is not None and last is not None else None
        span = big // every * every - baseline_at
        self.record(
            "memory_flat",
            big,
            seconds,
            rss_mb_at={str(k): v for k, v in samples.items()},
            rss_baseline_docs=baseline_at,
            rss_baseline_mb=base,
            rss_final_docs=big // every * every,
            rss_final_mb=last,
            growth_mb=growth,
            growth_mb_per_1000_docs=round(growth * 1000 / span, 2) if growth and span else growth,
            target_growth_mb=TARGET_RSS_GROWTH_MB,
            meets_target=None if growth is None else growth <= TARGET_RSS_GROWTH_MB,
            note="built from its case in batches of 100, rendered to DOCX and PDF bytes",
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
        wall, cpu_s, latencies = timed(contexts, render)
        ours = self.results["docx"]["docs_per_s"]
        self.record(
            "docxtpl",
            self.n,
            wall,
            cpus=1 if cpu is not None else None,
            beslutsgen_docx_vs_docxtpl=ratio(ours, self.n / wall),
            **latency_fields(latencies, cpu_s),
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
            profiler = cProfile.Profile()
            profiler.enable()
            for one in built[:50]:
                renderers.render(one, fmt)
            profiler.disable()
            out = io.StringIO()
            stats = pstats.Stats(profiler, stream=out)
            stats.sort_stats("tottime").print_stats(25)
            stats.sort_stats("cumulative").print_stats(30)
            log(f"--- profile: {fmt}, 50 documents ---\n{out.getvalue()}")

    def cold_start(self, case: Path) -> None:
        exe = Path(sys.executable).parent / "beslutsgen"
        command = [str(exe)] if exe.exists() else [sys.executable, "-m", "beslutsgen"]
        log(f"cold start: {COLD_RUNS} × beslutsgen render one case")
        runs = []
        for i in range(COLD_RUNS + 1):
            target = [*command, "render", str(case.relative_to(self.root)), "-o"]
            target.append(str(self.work / f"cold-{i}"))
            # The last run goes through a small launcher that reports the CLI's peak RSS
            # (a child forked from this big process would inherit our high-water mark).
            argv = target if i < COLD_RUNS else [sys.executable, "-c", MAXRSS_LAUNCHER, *target]
            start = time.perf_counter()
            done = subprocess.run(argv, cwd=self.root, capture_output=True, text=True)
            seconds = time.perf_counter() - start
            if done.returncode != 0:
                log(done.stderr)
                raise SystemExit(f"beslutsgen render failed with exit code {done.returncode}")
            if i < COLD_RUNS:
                runs.append(seconds)
            else:
                child_rss = round(int(done.stdout.split()[-1]) / 1024, 1)
        self.record(
            "cold_start_cli",
            1,
            statistics.median(runs),
            runs_seconds=[round(r, 3) for r in runs],
            cli_peak_rss_mb=child_rss,
            note="median wall time of a fresh `beslutsgen render <case> -o <dir>` (DOCX+PDF)",
        )

    def parallel(self) -> None:
        """pipeline.render with jobs=1 and jobs=2, each in a fresh process (see README).

        The two run alternately, PARALLEL_ROUNDS times each; the best time of each counts,
        so one burst of load from elsewhere on a shared machine doesn't decide the ratio.
        """
        cores = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count()
        log(f"pipeline.render jobs=1 and jobs=2 in fresh processes ({cores} CPUs available)")
        runs: dict[int, list[dict[str, Any]]] = {1: [], 2: []}
        errors: dict[int, str] = {}
        for round_ in range(PARALLEL_ROUNDS):
            for jobs in (1, 2):
                if jobs in errors:
                    continue
                out = self.work / f"out-par-j{jobs}-{round_}"
                argv = [sys.executable, "-c", PARALLEL_CHILD, str(self.root), str(out), str(jobs)]
                try:
                    done = subprocess.run(
                        argv, capture_output=True, text=True, timeout=PARALLEL_TIMEOUT_S
                    )
                except subprocess.TimeoutExpired:
                    log(f"jobs={jobs}: no result after {PARALLEL_TIMEOUT_S} s")
                    errors[jobs] = f"timed out after {PARALLEL_TIMEOUT_S} s"
                    continue
                if done.returncode != 0:
                    log(done.stderr[-3000:])
                    raise SystemExit(f"pipeline.render(jobs={jobs}) failed")
                runs[jobs].append(json.loads(done.stdout.splitlines()[-1]))
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
                "jobs": jobs,
                "cpus_available": cores,
                "runs_seconds": [round(r["seconds"], 3) for r in runs[jobs]],
                "files": fastest["files"],
                "main_process_peak_rss_mb": fastest["peak_rss_mb"],
            }
            if jobs == 2:
                speedup = round(best[1] / best[2], 2) if 1 in best else None
                extra.update(
                    speedup_vs_j1=speedup,
                    target_speedup=TARGET_SPEEDUP_J2,
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
            soffice,
            "--headless",
            f"-env:UserInstallation={profile_dir.as_uri()}",
            "--convert-to",
            "pdf",
            "--outdir",
            str(pdf_dir),
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
            bench,
            self.n,
            total,
            pdfs=pdfs,
            docxtpl_seconds=round(docx_seconds, 4),
            soffice_seconds=round(soffice_seconds, 4),
            soffice_docs_per_s=round(self.n / soffice_seconds, 2),
            cpus=1 if cpu is not None else None,
            beslutsgen_pairs_vs_this=ratio(self.results["pair"]["docs_per_s"], rate),
            beslutsgen_pipeline_j1_vs_this=ratio(
                self.results["pipeline_render_j1"]["docs_per_s"], rate
            ),
            target_ratio=TARGET_VS_LIBREOFFICE,
            note="includes soffice start-up; the PDF is plain PDF, not PDF/A",
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
                "target": f">= {TARGET_PAIRS_PER_S:g}",
                "value": pairs,
                "met": pairs >= TARGET_PAIRS_PER_S,
            },
            "vs_docxtpl_libreoffice": {
                "target": f">= {TARGET_VS_LIBREOFFICE:g}x",
                "value": lo_ratio,
                "met": None if lo_ratio is None else lo_ratio >= TARGET_VS_LIBREOFFICE,
                **({"skipped": lo["skipped"]} if "skipped" in lo else {}),
            },
            "parallel_speedup_j2": {
                "target": f">= {TARGET_SPEEDUP_J2:g}x (close to 2x)",
                "value": par.get("speedup_vs_j1"),
                "met": par.get("meets_target"),
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
            "summary",
            self.n,
            seconds,
            docs_per_s_is="wall time of the whole benchmark run",
            pairs_per_s=pairs,
            docx_per_s=r["docx"]["docs_per_s"],
            pdf_per_s=r["pdf"]["docs_per_s"],
            cold_start_s=r["cold_start_cli"]["seconds"],
            docxtpl_per_s=r["docxtpl"]["docs_per_s"],
            beslutsgen_docx_vs_docxtpl=r["docxtpl"]["beslutsgen_docx_vs_docxtpl"],
            targets=targets,
            all_met=all(decided) and len(decided) == len(targets),
        )


def parse_args(argv: Sequence[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--n", type=int, default=None, help="generated cases (default 200)")
    parser.add_argument(
        "--big", type=int, default=None, help="documents in the memory run (default 2000)"
    )
    parser.add_argument("--quick", action="store_true", help="smoke test: n=20, big=200")
    parser.add_argument("--seed", type=int, default=2025)
    parser.add_argument("--no-libreoffice", action="store_true", help="skip docxtpl+LibreOffice")
    parser.add_argument("--no-pin", action="store_true", help="do not pin to one CPU")
    parser.add_argument("--profile", action="store_true", help="cProfile the renderers (stderr)")
    args = parser.parse_args(argv)
    args.n = args.n or (20 if args.quick else 200)
    args.big = args.big or (200 if args.quick else 2000)
    if args.n < 2 or args.big < 100:
        parser.error("--n must be at least 2 and --big at least 100")
    return args


def main(argv: Sequence[str] | None = None) -> int:
    args = parse_args(argv)
    with tempfile.TemporaryDirectory(prefix="beslutsgen-bench-") as work:
        Bench(args, Path(work)).run()
    return 0


if __name__ == "__main__":
    sys.exit(main())
