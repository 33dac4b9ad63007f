"""Distribute a 40-item meeting to 60 recipients against a local SMTP server (issue 5).

    .venv/bin/python benchmarks/distribute.py [--items 40] [--recipients 60] [--quick]

The project, the aiosmtpd server, what is measured and the figures: README.md.
"""

from __future__ import annotations

import functools
import itertools
import json
import os
import random
import smtplib
import statistics
import subprocess
import sys
import time
import unicodedata
from collections import Counter
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from email.generator import Generator
from pathlib import Path
from types import CodeType
from typing import Any

import cases
from beslutsgen import distribute
from harness import Bench, Sampler, clock, log, main, one_core, parse, profile, run_cli, spread

# The library's module that `distribute.run` lives in: the split reads (never replaces)
# the functions it calls there, by name; a name the library no longer has is skipped.
LIBRARY: Any = sys.modules[distribute.run.__module__]
# Part of a run → the functions (in LIBRARY) whose time is that part's. PdfRenderer.render
# is "pdf_utdrag" inside distribute() and "lista" after it (`fold`).
PARTS = {
    "pdf_utdrag": ("PdfRenderer.render",),
    "lista": ("DocxRenderer.render", "lista_document", "lista_csv", "lista_rows", "write_atomic"),
    "smtp": ("Mailer.send", "Mailer.close"),
    "sendlog": tuple(
        f"SendLog.{m}" for m in ("__init__", "delivered", "begin", "finish", "entries", "close")
    ),
    "cover_text": ("Templates.render_text",), "distribute_other": ("distribute",),
    "load": ("load_project",), "compose": ("compose",), "message_id": ("message_id",),
    "build": ("build_sammantrade", "meeting_context", "sammantrade_context"),
    "sha256": ("Attachment.sha256",),
}
# smtplib serialising a message (BytesGenerator.flatten is Generator's), and waiting for
# the server's replies: after the data, the time the local server takes to accept it.
STDLIB_PARTS = {Generator.flatten: "smtp_flatten", smtplib.SMTP.getreply: "smtp_wait"}
DOMAIN = "regionjh.example"
SENDER = {"namn": "Sekretariatet Regionstyrelsen", "epost": f"sekretariatet@{DOMAIN}"}
# How many people each role of cases.RECIPIENTS stands for (60 in all). Most roles are a
# few people; the Hälso- och sjukvårdsdirektör's list takes in the verksamhetschefer and
# Revisionen the förtroendevalda revisorer and their sakkunniga.
ROLE_SIZES = dict(zip(cases.RECIPIENTS, (6, 2, 3, 5, 4, 3, 4, 4, 2, 12, 15), strict=True))
# Functional mailboxes, first in their role's list.
MAILBOXES = {
    "Registrator": ("Registraturen", "registrator"),
    "Revisionen": ("Revisionskontoret", "revisionen"),
    "Ekonomicontroller": ("Ekonomistaben", "ekonomistaben"),
}
# The aiosmtpd server, in its own process so that its work does not share our GIL (a real
# server is another process too). It prints its port, then answers each line on stdin with
# the running totals (the event loop runs in a thread, the main thread reads stdin).
SERVER = r"""
import asyncio, json, resource, sys, threading
from aiosmtpd.smtp import SMTP

class Counter:
    messages = bytes = attachments = 0

    async def handle_DATA(self, server, session, envelope):
        data = envelope.original_content or envelope.content
        self.messages += 1
        self.bytes += len(data)
        self.attachments += data.count(b"Content-Disposition: attachment")
        return "250 2.0.0 OK"

handler, loop = Counter(), asyncio.new_event_loop()
smtp = lambda: SMTP(handler, hostname="smtp.bench.example", data_size_limit=None, loop=loop)
server = loop.run_until_complete(loop.create_server(smtp, "127.0.0.1", 0))
threading.Thread(target=loop.run_forever, daemon=True).start()
print(json.dumps({"port": server.sockets[0].getsockname()[1]}), flush=True)
for line in sys.stdin:  # any line: the totals so far; the end of input stops the server
    usage = resource.getrusage(resource.RUSAGE_SELF)
    counts = {k: getattr(handler, k) for k in ("messages", "bytes", "attachments")}
    print(json.dumps({**counts, "cpu_s": usage.ru_utime + usage.ru_stime}), flush=True)
"""

# --- the project: cases.write_meeting's meeting, justerat, and an address book -----------


def address_book(count: int, seed: int) -> dict[str, list[dict[str, str]]]:
    """`count` distinct recipients spread over the roles: the full book of 60 taken
    round-robin (every role's k-th person before anyone's k+1-th), so each role keeps one."""
    people = iter(random.Random(seed + 5).sample(cases.FULL_NAMES, 60))
    full = []
    for role, size in ROLE_SIZES.items():
        entries = [MAILBOXES[role]] if role in MAILBOXES else []
        for name in itertools.islice(people, size - len(entries)):
            plain = unicodedata.normalize("NFKD", name.casefold())  # ascii-folded, dotted
            local = ".".join("".join(c for c in plain if not unicodedata.combining(c)).split())
            entries.append((name, local))
        full.append([{"namn": name, "epost": f"{local}@{DOMAIN}"} for name, local in entries])
    order = sorted((k, i) for i, entries in enumerate(full) for k in range(len(entries)))
    taken = Counter(i for _, i in order[:count])
    book = {role: full[i][: taken[i]] for i, role in enumerate(ROLE_SIZES)}
    addresses = [e["epost"] for entries in book.values() for e in entries]
    assert len(set(addresses)) == len(addresses) == count, "recipients are not distinct"
    return book


def write_project(root: Path, items: int, recipients: int, seed: int, port: int) -> Path:
    """cases.write_meeting's project, justerat, with expediering and an address book."""
    smtp = {"värd": "127.0.0.1", "port": port, "starttls": False}
    expediering, book = {"avsändare": SENDER, "smtp": smtp}, address_book(recipients, seed)
    path, _ = cases.write_meeting(
        root, items, seed, justerat=True, expediering=expediering, adressbok=book
    )
    return path


class Server:
    """The aiosmtpd child process: its port, and its running totals (`ask("stats")`)."""

    def __enter__(self) -> Server:
        pipe = subprocess.PIPE
        command = [sys.executable, "-c", SERVER]
        self.process = subprocess.Popen(command, stdin=pipe, stdout=pipe, text=True)
        self.port: int = self.ask()["port"]
        return self

    def ask(self, command: str = "") -> dict[str, Any]:
        """Send `command` (if any); the server's next JSON line."""
        stdin, stdout = self.process.stdin, self.process.stdout
        assert stdin is not None and stdout is not None
        if command:
            stdin.write(command + "\n")
            stdin.flush()
        if not (line := stdout.readline()):
            raise SystemExit(f"the aiosmtpd server has stopped (exit {self.process.poll()})")
        answer: dict[str, Any] = json.loads(line)
        return answer

    def __exit__(self, *exc: object) -> None:
        try:
            self.process.communicate(timeout=10)  # closes its stdin: the server stops
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()


# --- timing the library's parts -----------------------------------------------------------


def part_codes() -> dict[CodeType, str]:
    """The code object of each function in PARTS (and STDLIB_PARTS) → its part."""
    codes = {func.__code__: part for func, part in STDLIB_PARTS.items()}
    for part, names in PARTS.items():
        for name in names:
            obj = functools.reduce(lambda o, attr: getattr(o, attr, None), name.split("."), LIBRARY)
            func = getattr(obj, "func", None) or getattr(obj, "fget", None) or obj
            if (code := getattr(func, "__code__", None)) is not None:
                codes[code] = part
        if part not in codes.values():
            log(f"split: none of {', '.join(names)} found in {LIBRARY.__name__}; renamed?")
    return codes


def fold(seconds: dict[tuple[str, ...], float]) -> dict[str, float]:
    """Seconds per part: each sample's innermost part (a PDF outside distribute() is lista's)."""
    parts = dict.fromkeys([*PARTS, *STDLIB_PARTS.values()], 0.0)
    for key, spent in seconds.items():
        if key:
            lista = key[0] == "pdf_utdrag" and "distribute_other" not in key
            parts["lista" if lista else key[0]] += spent
    return parts


# --- the benchmark ------------------------------------------------------------------------


class DistributeBench(Bench):
    unit = "messages"

    def __init__(self, args: Any, work: Path, server: Server) -> None:
        super().__init__(args, work)
        self.server, self.codes = server, part_codes()
        self.messages = self.attachments = self.runs = 0

    def result(
        self, bench: str, seconds: float | None, sent: int, nothing: bool = False, **extra: Any
    ) -> None:
        """A record with the planned messages and attachments (none if `nothing`) and MB sent."""
        messages, attachments = (0, 0) if nothing else (self.messages, self.attachments)
        head = {"attachments": attachments, "mb_sent": round(sent / 1e6, 3)}
        self.record(bench, messages, seconds, head, **extra)

    def fresh(self, name: str) -> tuple[Path, Path]:
        """A new output folder and send log."""
        self.runs += 1
        folder = self.work / f"{self.runs:02d}-{name}"
        return folder / "output", folder / "expediering.sqlite"

    def run(self) -> None:
        started = time.perf_counter()
        args = self.args
        log(f"generating a meeting with {args.items} §§ and {args.recipients} recipients")
        start = time.perf_counter()
        path = write_project(self.root, args.items, args.recipients, args.seed, self.server.port)
        shape = self.plan(path)
        self.result("generate", time.perf_counter() - start, 0, **shape)
        with one_core(args.pin) as cpu:
            log_path = self.cold(path)
            self.again_cli(path, log_path)
            self.warm(path)
            self.split(path)
            self.again(path)
            if args.profile:
                out, log_path = self.fresh("profiled")
                profile("one warm distribute.run", self.once, path, log_path, out)
        self.summary(time.perf_counter() - started, cpu)

    def plan(self, path: Path) -> dict[str, Any]:
        """What a run must send, from the library's own plan (no PDFs rendered)."""
        project = self.load([path], "project")
        (loaded,) = project.meetings
        deliveries, waiting = distribute.plan(
            loaded, project.profile, lambda n: LIBRARY.Attachment(n, f"{n}.pdf", b"")
        )
        if waiting:
            raise SystemExit(f"§§ not justerade: {waiting}")
        per = [len(d.attachments) for d in deliveries]
        self.messages, self.attachments = len(deliveries), sum(per)
        book, paragrafer = project.profile.adressbok, loaded.meeting.paragrafer
        roles = {r for case in loaded.arenden if case for r in case.arende.utdrag_till}
        roles |= {r for p in paragrafer for r in p.expedieras_till or []}
        return {
            "paragrafer": len(paragrafer), "roles_in_book": len(book), "roles_used": len(roles),
            "recipients_in_book": len({m.key for ms in book.values() for m in ms}),
            "recipients_addressed": len(deliveries),
            "attachments_per_message_median": statistics.median(per) if per else 0,
            "attachments_per_message_max": max(per, default=0),
            "expedieras_till_overrides": sum(p.expedieras_till is not None for p in paragrafer),
            "smtp_port": self.server.port, "work_dir": str(self.work),
        }

    @contextmanager
    def counted(self, what: str, messages: int) -> Iterator[dict[str, Any]]:
        """What the server gets meanwhile, checked against the plan: `messages` messages with
        all the planned attachments (or nothing, for 0)."""
        got: dict[str, Any] = {}
        before = self.server.ask("stats")
        yield got
        after = self.server.ask("stats")
        got |= {k: after[k] - before[k] for k in ("messages", "bytes", "attachments", "cpu_s")}
        if got["messages"] != messages or (messages and got["attachments"] != self.attachments):
            raise SystemExit(
                f"{what}: the server got {got['messages']} messages with {got['attachments']} "
                f"attachments, not {messages} with {self.attachments}"
            )

    def cli(self, what: str, path: Path, log_path: Path, out: Path) -> tuple[Any, dict[str, Any]]:
        """`beslutsgen distribute` in a fresh process (harness.run_cli) and the server's counts."""
        args = (str(path.relative_to(self.root)), "-o", str(out), "--logg", str(log_path))
        with self.counted(what, 0 if what == "again_cli" else self.messages) as got:
            report = run_cli("distribute", *args, cwd=self.root)
        return report, got

    def cold(self, path: Path) -> Path:
        log(f"cold: {self.args.cold_runs} × beslutsgen distribute, fresh process and send log")
        runs, peak = [], 0.0
        for _ in range(self.args.cold_runs):
            out, log_path = self.fresh("cold")
            report, got = self.cli("cold_cli", path, log_path, out)
            runs.append((report["seconds"], report["cpu"], got))
            peak = max(peak, report["rss_mb"])
            log(f"  {report['seconds']:.2f} s, {got['messages']} messages")
        note = "`beslutsgen distribute <meeting> --logg <new log>` in a fresh process"
        self.runs_record("cold_cli", runs, cli_peak_rss_mb=peak, note=note)
        return log_path

    def runs_record(self, name: str, runs: list[tuple[float, float, Any]], **extra: Any) -> None:
        """Repeated runs: (seconds, CPU seconds, the server's counts) each."""
        seconds = [r[0] for r in runs]
        self.result(
            name, statistics.median(seconds), runs[-1][2]["bytes"],
            **spread(seconds, [r[1] for r in runs]), **extra,
            server_cpu_median_s=round(statistics.median(r[2]["cpu_s"] for r in runs), 4),
        )

    def again_cli(self, path: Path, log_path: Path) -> None:
        log("again_cli: the same command against the last cold run's send log")
        report, got = self.cli("again_cli", path, log_path, log_path.parent / "output-again")
        self.result(
            "again_cli", report["seconds"], got["bytes"], nothing=True,
            cpu_s=round(report["cpu"], 4), cli_peak_rss_mb=report["rss_mb"],
            note="`beslutsgen distribute` again, against the same send log",
        )

    def once(self, path: Path, log_path: Path, out: Path) -> tuple[float, float, Any]:
        """Wall and CPU seconds of one distribute.run, and its outcome."""
        now = functools.partial(datetime.now, UTC)  # the CLI passes its own clock
        args = (path, self.root, out, log_path, distribute.Options(), now)
        seconds, cpu, (result, _) = clock(distribute.run, *args)
        if (outcome := result.outcome).failed:
            raise SystemExit(f"{len(outcome.failed)} messages failed: {outcome.failed[0][1]}")
        return seconds, cpu, outcome

    def fresh_run(self, path: Path, name: str) -> tuple[float, float, dict[str, Any]]:
        """distribute.run with a new send log: it must send every planned message."""
        out, log_path = self.fresh(name)
        with self.counted(name, self.messages) as got:
            seconds, cpu, outcome = self.once(path, log_path, out)
        if len(outcome.sent) != self.messages:
            raise SystemExit(f"{name}: {len(outcome.sent)} sent, not {self.messages}")
        return seconds, cpu, got

    def warm(self, path: Path) -> None:
        log("warm-up: the first in-process distribute.run")
        seconds, cpu, got = self.fresh_run(path, "warm-up")
        self.result("warm_up", seconds, got["bytes"], cpu_s=round(cpu, 4))
        log(f"warm: {self.args.reps} × distribute.run, a fresh send log each")
        runs = []
        for _ in range(self.args.reps):
            runs.append(run := self.fresh_run(path, "warm"))
            log(f"  {run[0]:.2f} s (CPU {run[1]:.2f} s)")
        self.runs_record(
            "warm", runs, messages_per_s_best=round(self.messages / min(r[0] for r in runs), 2),
            note="distribute.run in-process after a warm-up run, a fresh send log each time",
        )

    def split(self, path: Path) -> None:
        """distribute.run with the library's parts timed by sampling the stack (README.md)."""
        log(f"split: {self.args.split_reps} × distribute.run with its parts timed")
        measured: list[dict[str, float]] = []
        samples = 0
        for _ in range(self.args.split_reps):
            with Sampler(self.codes) as sampler:
                seconds, _, got = self.fresh_run(path, "split")
            parts = fold(sampler.seconds)
            measured.append({**parts, "other": seconds - sum(parts.values()), "total": seconds})
            samples += sampler.samples
        medians = {k: statistics.median(m[k] for m in measured) for k in measured[0]}
        medians = dict(sorted(medians.items(), key=lambda kv: (kv[0] == "total", -kv[1])))
        total, pdf, wait = medians["total"], medians["pdf_utdrag"], medians["smtp_wait"]
        smtp = medians["smtp"] + medians["smtp_flatten"] + wait
        self.result(
            "split", total, got["bytes"], pdf_utdrag_s=round(pdf, 4), smtp_s=round(smtp, 4),
            rest_s=round(total - pdf - smtp, 4), smtp_client_s=round(smtp - wait, 4),
            smtp_server_wait_s=round(wait, 4),
            smtp_messages_per_s=round(self.messages / smtp, 2) if smtp else None,
            without_server_wait_messages_per_s=round(self.messages / (total - wait), 2),
            parts_s={k: round(v, 4) for k, v in medians.items()},
            share={k: round(v / total, 3) for k, v in medians.items() if k != "total"},
            samples=samples, server_cpu_s=round(got["cpu_s"], 4),
            note="exclusive wall time per part, sampled from the stack (median of the runs); "
            "smtp_s = smtp_flatten + smtp_wait + smtp; other = run() minus all parts",
        )

    def again(self, path: Path) -> None:
        log("again: in-process distribute.run against a used send log")
        out, log_path = self.fresh("again")
        self.once(path, log_path, out)  # fills the log
        with self.counted("again", 0) as got, Sampler(self.codes) as sampler:
            seconds, _, outcome = self.once(path, log_path, out)
        if outcome.sent or len(outcome.skipped) != self.messages:
            raise SystemExit(f"again: sent {len(outcome.sent)}, skipped {len(outcome.skipped)}")
        self.result(
            "again", seconds, got["bytes"], nothing=True, skipped_recipients=len(outcome.skipped),
            parts_s={k: round(v, 4) for k, v in sorted(fold(sampler.seconds).items())},
            note="distribute.run against a send log that has every message",
        )

    def summary(self, seconds: float, cpu: int | None) -> None:
        r = self.results
        cold, warm, split = r["cold_cli"], r["warm"], r["split"]
        self.result(
            "summary", cold["median_s"], int(warm["mb_sent"] * 1e6),
            messages_per_s_is="messages over the cold CLI median (what a secretary waits for)",
            bench_wall_s=round(seconds, 2), items=self.args.items,
            recipients=self.args.recipients, pinned=cpu is not None,
            cold_median_s=cold["median_s"], cold_messages_per_s=cold["messages_per_s"],
            cli_peak_rss_mb=cold["cli_peak_rss_mb"], again_cli_s=r["again_cli"]["seconds"],
            warm_median_s=warm["median_s"], warm_messages_per_s=warm["messages_per_s"],
            again_s=r["again"]["seconds"],
            **{k: split[k] for k in ("pdf_utdrag_s", "smtp_s", "smtp_server_wait_s", "rest_s")},
            without_server_wait_messages_per_s=split["without_server_wait_messages_per_s"],
        )


if __name__ == "__main__":
    os.environ.pop("BESLUTSGEN_SMTP_USER", None)  # the local server takes no login
    os.environ.pop("BESLUTSGEN_SMTP_PASSWORD", None)
    span = (len(ROLE_SIZES), sum(ROLE_SIZES.values()))
    args = parse(
        __doc__, seed=2026, pin=False, items=("§§", 40, 4, 1),
        recipients=(f"people, {span[0]}–{span[1]}", 60, 12, span[0]),
        reps=("warm runs", 5, 1, 1), cold_runs=("fresh CLI runs", 3, 1, 1),
        split_reps=("timed runs", 3, 1, 1),
        extra=lambda p: p.add_argument("--dir", type=Path, help="parent of the work folder"),
    )
    if args.recipients > span[1]:
        raise SystemExit(f"--recipients must be {span[0]}–{span[1]}")
    with Server() as server:
        log(f"aiosmtpd on 127.0.0.1:{server.port} (pid {server.process.pid})")
        sys.exit(main(lambda a, w: DistributeBench(a, w, server), args))
