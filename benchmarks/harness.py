"""What the benchmark scripts share: arguments, pinning, timing, memory, fresh processes,
JSON lines on stdout (`Bench.record`) and progress on stderr (`log`); see README.md."""

from __future__ import annotations

import argparse
import cProfile
import io
import json
import os
import pstats
import resource
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from types import CodeType, FrameType
from typing import Any, TypeVar

from beslutsgen import pipeline
from beslutsgen.errors import InputError
from beslutsgen.load import Project, load_project

T = TypeVar("T")
# Runs a command and reports its wall time, CPU time and peak RSS from outside: a child
# forked from a benchmark (a large process) would otherwise carry its high-water mark.
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


def log(message: str) -> None:
    print(message, file=sys.stderr, flush=True)


# --- arguments ----------------------------------------------------------------------------


def parse(
    doc: str | None, argv: Sequence[str] | None = None, *, seed: int, pin: bool = True,
    extra: Callable[[argparse.ArgumentParser], object] = lambda parser: None,
    **counts: tuple[str, int, int, int],
) -> argparse.Namespace:
    """--quick, --seed, --profile, --no-pin (or --pin where unpinned is the default), and one
    integer option per `counts` entry: name=(help, default, --quick default, minimum)."""
    parser = argparse.ArgumentParser(description=doc.splitlines()[0] if doc else None)
    parser.add_argument("--quick", action="store_true", help="smoke test: fewer and smaller runs")
    parser.add_argument("--seed", type=int, default=seed)
    parser.add_argument("--profile", action="store_true", help="cProfile a warm run (stderr)")
    if pin:
        parser.add_argument("--no-pin", dest="pin", action="store_false", help="do not pin")
    else:
        parser.add_argument("--pin", action="store_true", help="pin to one CPU")
    for name, (text, full, quick, _) in counts.items():
        flag = "--" + name.replace("_", "-")
        parser.add_argument(flag, type=int, help=f"{text} (default {full}; --quick {quick})")
    extra(parser)
    args = parser.parse_args(argv)
    for name, (_, full, quick, least) in counts.items():
        if getattr(args, name) is None:
            setattr(args, name, quick if args.quick else full)
        if getattr(args, name) < least:
            parser.error(f"--{name.replace('_', '-')} must be at least {least}")
    return args


def main(bench: Callable[[argparse.Namespace, Path], Bench], args: argparse.Namespace) -> int:
    """Run a benchmark in a temporary work folder (under `args.dir` if it has one)."""
    folder = getattr(args, "dir", None)
    if folder is not None:
        folder.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(prefix="beslutsgen-bench-", dir=folder) as work:
        bench(args, Path(work)).run()
    return 0


# --- measuring ----------------------------------------------------------------------------


@contextmanager
def one_core(enabled: bool) -> Iterator[int | None]:
    """Pin this process (and the children it starts) to one CPU; restore the mask after."""
    if not enabled or not hasattr(os, "sched_setaffinity"):
        yield None
        return
    before = os.sched_getaffinity(0)
    cpu = max(before)
    os.sched_setaffinity(0, {cpu})
    log(f"pinned to CPU {cpu} (children too)")
    try:
        yield cpu
    finally:
        os.sched_setaffinity(0, before)


def clock(work: Callable[..., T], *args: Any) -> tuple[float, float, T]:
    """Wall and CPU seconds of one call, and its result."""
    cpu, start = time.process_time(), time.perf_counter()
    result = work(*args)
    return time.perf_counter() - start, time.process_time() - cpu, result


def timed(items: Iterable[T], work: Callable[[T], object]) -> tuple[float, float, list[float]]:
    """Wall seconds, CPU seconds and the per-item latencies of `work` over `items`."""
    latencies = []
    cpu, start = time.process_time(), time.perf_counter()
    for item in items:
        t0 = time.perf_counter()
        work(item)
        latencies.append(time.perf_counter() - t0)
    return time.perf_counter() - start, time.process_time() - cpu, latencies


def latency_fields(latencies: Sequence[float], cpu: float) -> dict[str, Any]:
    ordered = sorted(latencies)
    p95 = ordered[min(len(ordered) - 1, int(0.95 * len(ordered)))]
    return {
        "ms_median": round(statistics.median(ordered) * 1000, 2), "ms_p95": round(p95 * 1000, 2),
        "cpu_seconds": round(cpu, 4),
    }


def spread(values: Sequence[float], cpu: Sequence[float] = (), cpu_runs: bool = False) -> Any:
    """Median, best and worst of repeated runs, the runs, and the median CPU time (and runs)."""
    fields = {"median_s": statistics.median(values), "min_s": min(values), "max_s": max(values)}
    fields = {k: round(v, 4) for k, v in fields.items()} | {"runs_s": [round(v, 4) for v in values]}
    if cpu:
        fields["cpu_median_s"] = round(statistics.median(cpu), 4)
    if cpu_runs:
        fields["cpu_runs_s"] = [round(c, 4) for c in cpu]
    return fields


def ratio(a: float | None, b: float | None) -> float | None:
    return round(a / b, 2) if a and b else None


def peak_rss_mb() -> float:
    """This process's peak resident set size (ru_maxrss: KiB on Linux, bytes on macOS)."""
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
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


def profile(label: str, work: Callable[[], object], top: int = 25) -> None:
    """cProfile of one call; the top functions by cumulative and by own time on stderr."""
    profiler = cProfile.Profile()
    profiler.runcall(work)
    for order in ("cumulative", "tottime"):
        out = io.StringIO()
        pstats.Stats(profiler, stream=out).sort_stats(order).print_stats(top)
        log(f"--- profile: {label}, sorted by {order} ---\n{out.getvalue()}")


class Sampler:
    """Wall time per part of the code, from the main thread's stack sampled by another thread:
    `parts` maps code objects to names; a sample's key is the parts on the stack, innermost
    first; each interval goes half to the key at its start, half to the one at its end."""

    def __init__(self, parts: dict[CodeType, str], interval: float = 0.0005) -> None:
        self.parts, self.interval = parts, interval
        self.seconds: dict[tuple[str, ...], float] = {}
        self.samples = 0
        self._stop = threading.Event()

    def _key(self, frame: FrameType | None) -> tuple[str, ...]:
        names = []
        while frame is not None:
            if (name := self.parts.get(frame.f_code)) is not None:
                names.append(name)
            frame = frame.f_back
        return tuple(names)

    def _run(self, target: int) -> None:
        last, key = time.perf_counter(), self._key(sys._current_frames().get(target))
        while not self._stop.wait(self.interval):
            now, new = time.perf_counter(), self._key(sys._current_frames().get(target))
            for k in (key, new):
                self.seconds[k] = self.seconds.get(k, 0.0) + (now - last) / 2
            last, key = now, new
            self.samples += 1

    def __enter__(self) -> Sampler:
        self._switch = sys.getswitchinterval()
        sys.setswitchinterval(self.interval)  # let the sampler in while we compute
        self._thread = threading.Thread(target=self._run, args=(threading.get_ident(),))
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._stop.set()
        self._thread.join()
        sys.setswitchinterval(self._switch)


# --- fresh processes ----------------------------------------------------------------------


def run_python(
    code: str, *args: str, cwd: Path | None = None, timeout: float | None = None, what: str = ""
) -> Any:
    """`python -c code args…` in a fresh interpreter; its last stdout line, as JSON."""
    argv = [sys.executable, "-c", code, *args]
    done = subprocess.run(argv, cwd=cwd, capture_output=True, text=True, timeout=timeout)
    if done.returncode != 0:
        log(done.stderr[-4000:])
        raise SystemExit(f"{what or 'a fresh process'} failed with exit code {done.returncode}")
    return json.loads(done.stdout.splitlines()[-1])


def run_cli(*args: str, cwd: Path) -> dict[str, Any]:
    """`beslutsgen args…` in a fresh process: seconds, cpu, rss_mb (its peak), files."""
    exe = Path(sys.executable).parent / "beslutsgen"
    command = [str(exe)] if exe.exists() else [sys.executable, "-m", "beslutsgen"]
    report: dict[str, Any] = run_python(
        LAUNCHER, *command, *args, cwd=cwd, what=f"beslutsgen {args[0]}"
    )
    report["rss_mb"] = round(report.pop("rss_kib") / 1024, 1)
    return report


# --- the benchmark ------------------------------------------------------------------------


class Bench:
    """A benchmark run: its arguments, work folder and project, and the records so far."""

    unit = "docs"

    def __init__(self, args: argparse.Namespace, work: Path) -> None:
        self.args, self.work, self.root = args, work, work / "project"
        self.results: dict[str, dict[str, Any]] = {}

    def record(
        self, bench: str, count: int, seconds: float | None, head: dict[str, Any] | None = None,
        **extra: Any,
    ) -> dict[str, Any]:
        """Print one JSON line: bench, count, `head`, seconds, count/s, peak RSS, `extra`."""
        record: dict[str, Any] = {
            "bench": bench, self.unit: count, **(head or {}),
            "seconds": None if seconds is None else round(seconds, 4),
            f"{self.unit}_per_s": None if not seconds else round(count / seconds, 2),
            "peak_rss_mb": peak_rss_mb(), **extra,
        }
        print(json.dumps(record, ensure_ascii=False), flush=True)
        self.results[bench] = record
        return record

    def settings(self, out: str) -> pipeline.Settings:
        return pipeline.Settings(root=self.root, out_dir=self.work / out)

    def load(self, paths: list[Path], what: str, *, warnings: bool = False) -> Project:
        """load_project, stopping with every problem (and warning, unless allowed) listed."""
        try:
            project = load_project(paths, self.root)
        except InputError as exc:  # the generator is wrong: say exactly where
            for problem in exc.problems:
                log(str(problem))
            raise SystemExit(f"{len(exc.problems)} problems in the generated {what}") from None
        if project.warnings and not warnings:
            for warning in project.warnings:
                log(str(warning))
            raise SystemExit(f"the generated {what} has warnings; fix the generator")
        return project
