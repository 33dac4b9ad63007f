"""What the benchmark scripts share: arguments, pinning, timing, memory, fresh processes,
JSON lines on stdout (`Bench.record`) and progress on stderr (`log`); see README.md."""

from __future__ import annotations

import argparse
import contextlib
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
import traceback
from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from types import CodeType
from typing import Any, TypeVar

from beslutsgen import pipeline
from beslutsgen.errors import InputError
from beslutsgen.load import Project, load_project

T = TypeVar("T")
# Runs a command and reports its wall time, CPU time and peak RSS from outside: a child
# forked from a benchmark (a large process) would otherwise carry its high-water mark.
LAUNCHER = """
import json, resource, subprocess, sys, time
start = time.perf_counter()
done = subprocess.run(sys.argv[1:], capture_output=True, text=True)
seconds, usage = time.perf_counter() - start, resource.getrusage(resource.RUSAGE_CHILDREN)
sys.stderr.write(done.stderr)
report = {"seconds": seconds, "cpu": usage.ru_utime + usage.ru_stime,
          "rss_mb": round(usage.ru_maxrss / 1024, 1), "files": len(done.stdout.splitlines())}
print(json.dumps(report))
sys.exit(done.returncode)
"""


def log(message: str) -> None:
    print(message, file=sys.stderr, flush=True)


# --- arguments ----------------------------------------------------------------------------


def parse(
    doc: str | None, *, seed: int, pin: bool = True,
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
    args = parser.parse_args()
    for name, (_, full, quick, least) in counts.items():
        if getattr(args, name) is None:
            setattr(args, name, quick if args.quick else full)
        if getattr(args, name) < least:
            parser.error(f"--{name.replace('_', '-')} must be at least {least}")
    return args


def main(bench: Callable[[argparse.Namespace, Path], Any], args: argparse.Namespace) -> int:
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


def clock(work: Callable[..., T], *args: Any, **kwargs: Any) -> tuple[float, float, T]:
    """Wall and CPU seconds of one call, and its result."""
    cpu, start = time.process_time(), time.perf_counter()
    result = work(*args, **kwargs)
    return time.perf_counter() - start, time.process_time() - cpu, result


def timed(items: Iterable[T], work: Callable[[T], object]) -> tuple[float, dict[str, Any]]:
    """Wall seconds of `work` over `items`; its median and p95 latency and CPU seconds."""
    latencies = []
    cpu, start = time.process_time(), time.perf_counter()
    for item in items:
        t0 = time.perf_counter()
        work(item)
        latencies.append(time.perf_counter() - t0)
    wall, cpu = time.perf_counter() - start, time.process_time() - cpu
    latencies.sort()
    p95 = latencies[min(len(latencies) - 1, int(0.95 * len(latencies)))]
    ms = {"ms_median": statistics.median(latencies) * 1000, "ms_p95": p95 * 1000}
    return wall, {k: round(v, 2) for k, v in ms.items()} | {"cpu_seconds": round(cpu, 4)}


def spread(values: Sequence[float], cpu: Sequence[float] = (), cpu_runs: bool = False) -> Any:
    """Median, best and worst of repeated runs, the runs, and the median CPU time (and runs)."""
    stats = {"median_s": statistics.median(values), "min_s": min(values), "max_s": max(values)}
    fields: dict[str, Any] = {k: round(v, 4) for k, v in stats.items()}
    fields["runs_s"] = [round(v, 4) for v in values]
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
    with contextlib.suppress(OSError), open("/proc/self/status", encoding="ascii") as status:
        return next(round(int(line.split()[1]) / 1024, 1) for line in status if "VmRSS" in line)
    return None


def profile(label: str, work: Callable[..., object], *args: Any, top: int = 25) -> None:
    """cProfile of one call; the top functions by cumulative and by own time on stderr."""
    profiler = cProfile.Profile()
    profiler.runcall(work, *args)
    for order in ("cumulative", "tottime"):
        out = io.StringIO()
        pstats.Stats(profiler, stream=out).sort_stats(order).print_stats(top)
        log(f"--- profile: {label}, sorted by {order} ---\n{out.getvalue()}")


class Sampler(threading.Thread):
    """Wall time per part of the code, from the main thread's stack sampled by this thread
    (nothing is wrapped): `parts` maps code objects to names; a sample's key is the parts on
    the stack, innermost first; each interval goes half to the key at its start, half to the
    one at its end."""

    def __init__(self, parts: dict[CodeType, str], interval: float = 0.0005) -> None:
        super().__init__()
        self.parts, self.interval, self.main = parts, interval, threading.get_ident()
        self.seconds: dict[tuple[str, ...], float] = {}
        self.samples, self.done = 0, threading.Event()

    def key(self) -> tuple[str, ...]:
        frame = sys._current_frames().get(self.main)
        stack = traceback.walk_stack(frame) if frame else ()
        return tuple(self.parts[f.f_code] for f, _ in stack if f.f_code in self.parts)

    def run(self) -> None:
        last, key = time.perf_counter(), self.key()
        while not self.done.wait(self.interval):
            now, new = time.perf_counter(), self.key()
            for k in (key, new):
                self.seconds[k] = self.seconds.get(k, 0.0) + (now - last) / 2
            last, key = now, new
            self.samples += 1

    def __enter__(self) -> Sampler:
        self.switch = sys.getswitchinterval()
        sys.setswitchinterval(self.interval)  # let the sampler in while we compute
        self.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.done.set()
        self.join()
        sys.setswitchinterval(self.switch)


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
        /, **extra: Any,
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
