"""Distribute a 40-item meeting to 60 recipients against a local SMTP server (issue 5).

    .venv/bin/python benchmarks/distribute.py [--items 40] [--recipients 60] [--quick]

The project, the aiosmtpd server, what is measured and the figures: README.md.
"""

from __future__ import annotations

import contextlib
import json
import os
import random
import smtplib
import statistics
import subprocess
import sys
import time
import unicodedata
from datetime import UTC, datetime
from email.generator import Generator
from itertools import product
from pathlib import Path
from types import CodeType
from typing import Any

import yaml

import cases
from beslutsgen import distribute
from harness import Bench, Sampler, clock, log, main, one_core, parse, profile, run_cli, spread

# The library's module that `distribute.run` lives in: the split reads (never replaces)
# the functions it calls there, by name; a name the library no longer has is skipped.
LIBRARY = sys.modules[distribute.run.__module__]
Attachment = LIBRARY.Attachment
# Part of a run → the functions (in LIBRARY) whose time is that part's. "pdf" is
# pdf_utdrag inside distribute() and lista after it.
PARTS = {
    "pdf": ("PdfRenderer.render",),
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
# server is another process too). It prints its port, then answers `stats` on stdin with
# the running totals; `quit` (or end of input) stops it.
SERVER = r"""
import asyncio, json, resource, sys
from aiosmtpd.smtp import SMTP

class Counter:
    messages = bytes = attachments = 0
    recipients = set()

    async def handle_DATA(self, server, session, envelope):
        data = envelope.original_content or envelope.content
        Counter.messages += 1
        Counter.bytes += len(data)
        Counter.attachments += data.count(b"Content-Disposition: attachment")
        Counter.recipients.update(envelope.rcpt_tos)
        return "250 2.0.0 OK"

async def main():
    loop = asyncio.get_running_loop()
    handler = Counter()
    server = await loop.create_server(
        lambda: SMTP(handler, hostname="smtp.bench.example", data_size_limit=None), "127.0.0.1", 0,
    )
    print(json.dumps({"port": server.sockets[0].getsockname()[1]}), flush=True)
    reader = asyncio.StreamReader()
    await loop.connect_read_pipe(lambda: asyncio.StreamReaderProtocol(reader), sys.stdin)
    while (line := (await reader.readline()).strip()) not in (b"", b"quit"):
        usage = resource.getrusage(resource.RUSAGE_SELF)
        counts = {k: getattr(Counter, k) for k in ("messages", "bytes", "attachments")}
        print(json.dumps({**counts, "recipients": len(Counter.recipients),
                          "cpu_s": usage.ru_utime + usage.ru_stime}), flush=True)
    server.close()
    await server.wait_closed()

asyncio.run(main())
"""

# --- the project: cases.write_meeting's meeting, justerat, and an address book -----------


def address_book(count: int, seed: int) -> dict[str, list[dict[str, str]]]:
    """`count` distinct recipients spread over the roles, each role at least one; taken
    round-robin over the full book of 60, so a smaller book keeps every role."""
    rng = random.Random(seed + 5)
    people = iter(
        rng.sample([f"{f} {s}" for f, s in product(cases.FIRST_NAMES, cases.LAST_NAMES)], 60)
    )
    full: dict[str, list[dict[str, str]]] = {}
    for role, size in ROLE_SIZES.items():
        entries = []
        if role in MAILBOXES:
            name, local = MAILBOXES[role]
            entries.append({"namn": name, "epost": f"{local}@{DOMAIN}"})
        while len(entries) < size:
            name = next(people)
            plain = unicodedata.normalize("NFKD", name.casefold())  # ascii-folded, dotted
            local = ".".join("".join(c for c in plain if not unicodedata.combining(c)).split())
            entries.append({"namn": name, "epost": f"{local}@{DOMAIN}"})
        full[role] = entries
    book: dict[str, list[dict[str, str]]] = {role: [] for role in full}
    taken = 0
    for k in range(max(ROLE_SIZES.values())):
        for role, entries in full.items():
            if k < len(entries) and taken < count:
                book[role].append(entries[k])
                taken += 1
    addresses = [e["epost"] for entries in book.values() for e in entries]
    assert len(set(addresses)) == len(addresses) == count, "recipients are not distinct"
    return book


def write_project(root: Path, items: int, recipients: int, seed: int, port: int) -> Path:
    """cases.write_meeting's project, then: justering.justerat, expediering, address book."""
    path, _ = cases.write_meeting(root, items, seed)
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    data["justering"]["justerat"] = True
    path.write_text(cases.dump(data, "sammantrade"), encoding="utf-8")
    profile_path = root / "beslutsgen.yaml"
    profile = yaml.safe_load(profile_path.read_text(encoding="utf-8"))
    profile["expediering"] = {
        "avsändare": SENDER,
        "smtp": {"värd": "127.0.0.1", "port": port, "starttls": False},
    }
    profile["adressbok"] = address_book(recipients, seed)
    profile_path.write_text(cases.dump(profile, "profil"), encoding="utf-8")
    return path


# --- the SMTP server ----------------------------------------------------------------------


class Server:
    """The aiosmtpd child process and its counters."""

    def __enter__(self) -> Server:
        self.process = subprocess.Popen(
            [sys.executable, "-c", SERVER], stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True
        )
        if not (line := self.process.stdout.readline()):  # type: ignore[union-attr]
            raise SystemExit("the aiosmtpd server did not start")
        self.port: int = json.loads(line)["port"]
        return self

    def stats(self) -> dict[str, Any]:
        self.process.stdin.write("stats\n")  # type: ignore[union-attr]
        self.process.stdin.flush()  # type: ignore[union-attr]
        if not (line := self.process.stdout.readline()):  # type: ignore[union-attr]
            raise SystemExit(f"the aiosmtpd server has stopped (exit {self.process.poll()})")
        result: dict[str, Any] = json.loads(line)
        return result

    def __exit__(self, *exc: object) -> None:
        with contextlib.suppress(OSError):
            self.process.stdin.write("quit\n")  # type: ignore[union-attr]
            self.process.stdin.close()  # type: ignore[union-attr]
        try:
            self.process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()


# --- timing the library's parts -----------------------------------------------------------


def part_codes() -> dict[CodeType, str]:
    """The code object of each function in PARTS (and STDLIB_PARTS) → its part."""
    codes: dict[CodeType, str] = {}
    for part, names in PARTS.items():
        for name in names:
            obj: Any = LIBRARY
            for attr in name.split("."):
                obj = getattr(obj, attr, None)
            func = getattr(obj, "func", None) or getattr(obj, "fget", None) or obj
            if (code := getattr(func, "__code__", None)) is not None:
                codes[code] = part
        if part not in codes.values():
            log(f"split: none of {', '.join(names)} found in {LIBRARY.__name__}; renamed?")
    codes.update({func.__code__: part for func, part in STDLIB_PARTS.items()})
    return codes


def fold(sampler: Sampler) -> dict[str, float]:
    """Seconds per part: each sample's innermost part, "pdf" split by where it ran."""
    parts = dict.fromkeys([*PARTS, *STDLIB_PARTS.values(), "pdf_utdrag"], 0.0)
    del parts["pdf"]
    for key, seconds in sampler.seconds.items():
        if key:
            name = key[0]
            if name == "pdf":
                name = "pdf_utdrag" if "distribute_other" in key else "lista"
            parts[name] += seconds
    return parts


# --- the benchmark ------------------------------------------------------------------------


class DistributeBench(Bench):
    unit = "messages"

    def __init__(self, args: Any, work: Path, server: Server) -> None:
        super().__init__(args, work)
        self.server = server
        self.messages = self.attachments = self.runs = 0
        self.codes = part_codes()

    def record(  # type: ignore[override]
        self,
        bench: str,
        messages: int,
        attachments: int,
        sent: int,
        seconds: float | None,
        **extra: Any,
    ) -> dict[str, Any]:
        head = {"attachments": attachments, "mb_sent": round(sent / 1e6, 3)}
        return super().record(bench, messages, seconds, head, **extra)

    def fresh(self, name: str) -> tuple[Path, Path]:  # a new output folder and send log
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
        seconds = time.perf_counter() - start
        self.record("generate", self.messages, self.attachments, 0, seconds, **shape)
        with one_core(args.pin) as cpu:
            log_path = self.cold(path)
            self.again_cli(path, log_path)
            self.warm(path)
            self.split(path)
            self.again(path)
            if args.profile:
                self.profile(path)
        self.summary(time.perf_counter() - started, cpu)

    def plan(self, path: Path) -> dict[str, Any]:
        """What a run must send, from the library's own plan (no PDFs rendered)."""
        project = self.load([path], "project")
        (loaded,) = project.meetings
        deliveries, waiting = distribute.plan(
            loaded, project.profile, lambda n: Attachment(n, f"{n}.pdf", b"")
        )
        if waiting:
            raise SystemExit(f"§§ not justerade: {waiting}")
        per = [len(d.attachments) for d in deliveries]
        self.messages, self.attachments = len(deliveries), sum(per)
        book = project.profile.adressbok
        roles = {r for case in loaded.arenden for r in case.arende.utdrag_till}
        roles |= {r for item in loaded.meeting.paragrafer for r in item.expedieras_till or []}
        return {
            "paragrafer": len(loaded.meeting.paragrafer),
            "roles_in_book": len(book),
            "roles_used": len(roles),
            "recipients_in_book": len({m.key for ms in book.values() for m in ms}),
            "recipients_addressed": len(deliveries),
            "attachments_per_message_median": statistics.median(per) if per else 0,
            "attachments_per_message_max": max(per, default=0),
            "expedieras_till_overrides": sum(
                item.expedieras_till is not None for item in loaded.meeting.paragrafer
            ),
            "smtp_port": self.server.port,
            "work_dir": str(self.work),
        }

    def delta(self, before: dict[str, Any]) -> dict[str, Any]:
        after = self.server.stats()
        return {k: after[k] - before[k] for k in ("messages", "bytes", "attachments", "cpu_s")}

    def check(self, what: str, got: dict[str, Any], messages: int) -> None:
        if got["messages"] != messages or (messages and got["attachments"] != self.attachments):
            raise SystemExit(
                f"{what}: the server got {got['messages']} messages with {got['attachments']} "
                f"attachments, not {messages} with {self.attachments}"
            )

    def cli(self, path: Path, out: Path, log_path: Path) -> dict[str, Any]:
        before = self.server.stats()
        args = (str(path.relative_to(self.root)), "-o", str(out), "--logg", str(log_path))
        report = run_cli("distribute", *args, cwd=self.root)
        report["server"] = self.delta(before)
        return report

    def cold(self, path: Path) -> Path:
        log(f"cold: {self.args.cold_runs} × beslutsgen distribute, fresh process and send log")
        reports = []
        for _ in range(self.args.cold_runs):
            out, log_path = self.fresh("cold")
            reports.append(report := self.cli(path, out, log_path))
            self.check("cold_cli", report["server"], self.messages)
            log(f"  {report['seconds']:.2f} s, {report['server']['messages']} messages")
        self.runs_record(
            "cold_cli", [(r["seconds"], r["cpu"], r["server"]) for r in reports],
            cli_peak_rss_mb=max(r["rss_mb"] for r in reports),
            note="`beslutsgen distribute <meeting> --logg <new log>` in a fresh process",
        )
        return log_path

    def runs_record(self, name: str, runs: list[tuple[float, float, Any]], **extra: Any) -> None:
        """Repeated runs: (seconds, CPU seconds, the server's counts) each."""
        seconds = [r[0] for r in runs]
        self.record(
            name, self.messages, self.attachments, runs[-1][2]["bytes"], statistics.median(seconds),
            **spread(seconds, [r[1] for r in runs]), **extra,
            server_cpu_median_s=round(statistics.median(r[2]["cpu_s"] for r in runs), 4),
        )

    def again_cli(self, path: Path, log_path: Path) -> None:
        log("again_cli: the same command against the last cold run's send log")
        out = log_path.parent / "output-again"
        report = self.cli(path, out, log_path)
        self.check("again_cli", report["server"], 0)
        self.record(
            "again_cli", 0, 0, report["server"]["bytes"], report["seconds"],
            cpu_s=round(report["cpu"], 4), cli_peak_rss_mb=report["rss_mb"],
            note="`beslutsgen distribute` again, against the same send log",
        )

    def once(self, path: Path, log_path: Path, out: Path) -> tuple[float, float, Any]:
        """Wall and CPU seconds of one distribute.run, and its outcome."""
        now = lambda: datetime.now(UTC)  # noqa: E731  (the CLI passes its own clock)
        args = (path, self.root, out, log_path, distribute.Options(), now)
        seconds, cpu, (result, _) = clock(distribute.run, *args)
        outcome = result.outcome
        if outcome.failed:
            raise SystemExit(f"{len(outcome.failed)} messages failed: {outcome.failed[0][1]}")
        return seconds, cpu, outcome

    def fresh_run(self, path: Path, name: str) -> tuple[float, float, dict[str, Any]]:
        out, log_path = self.fresh(name)
        before = self.server.stats()
        seconds, cpu, outcome = self.once(path, log_path, out)
        got = self.delta(before)
        self.check(name, got, self.messages)
        if len(outcome.sent) != self.messages:
            raise SystemExit(f"{name}: {len(outcome.sent)} sent, not {self.messages}")
        return seconds, cpu, got

    def warm(self, path: Path) -> None:
        log("warm-up: the first in-process distribute.run")
        seconds, cpu, got = self.fresh_run(path, "warm-up")
        self.record(
            "warm_up", self.messages, self.attachments, got["bytes"], seconds, cpu_s=round(cpu, 4)
        )
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
        reps = self.args.split_reps
        log(f"split: {reps} × distribute.run with its parts timed")
        measured: list[dict[str, float]] = []
        got: dict[str, Any] = {}
        samples = 0
        for _ in range(reps):
            with Sampler(self.codes) as sampler:
                seconds, _, got = self.fresh_run(path, "split")
            parts = fold(sampler)
            parts["other"] = seconds - sum(parts.values())
            parts["total"] = seconds
            measured.append(parts)
            samples += sampler.samples
        names = {k for m in measured for k in m}
        medians = {k: statistics.median(m.get(k, 0.0) for m in measured) for k in names}
        medians = dict(sorted(medians.items(), key=lambda kv: (kv[0] == "total", -kv[1])))
        total = medians["total"]
        pdf = medians.get("pdf_utdrag", 0.0)
        wait = medians.get("smtp_wait", 0.0)
        smtp = medians.get("smtp", 0.0) + medians.get("smtp_flatten", 0.0) + wait
        self.record(
            "split",
            self.messages,
            self.attachments,
            got["bytes"],
            total,
            pdf_utdrag_s=round(pdf, 4),
            smtp_s=round(smtp, 4),
            rest_s=round(total - pdf - smtp, 4),
            smtp_client_s=round(smtp - wait, 4),
            smtp_server_wait_s=round(wait, 4),
            smtp_messages_per_s=round(self.messages / smtp, 2) if smtp else None,
            without_server_wait_messages_per_s=round(self.messages / (total - wait), 2),
            parts_s={k: round(v, 4) for k, v in medians.items()},
            share={k: round(v / total, 3) for k, v in medians.items() if k != "total"},
            samples=samples,
            server_cpu_s=round(got["cpu_s"], 4),
            note="exclusive wall time per part, sampled from the stack (median of the runs); "
            "smtp_s = smtp_flatten + smtp_wait + smtp; other = run() minus all parts",
        )

    def again(self, path: Path) -> None:
        log("again: in-process distribute.run against a used send log")
        out, log_path = self.fresh("again")
        self.once(path, log_path, out)  # fills the log
        before = self.server.stats()
        with Sampler(self.codes) as sampler:
            seconds, _, outcome = self.once(path, log_path, out)
        got = self.delta(before)
        self.check("again", got, 0)
        if outcome.sent or len(outcome.skipped) != self.messages:
            raise SystemExit(f"again: sent {len(outcome.sent)}, skipped {len(outcome.skipped)}")
        parts = {k: round(v, 4) for k, v in sorted(fold(sampler).items())}
        self.record(
            "again", 0, 0, got["bytes"], seconds, skipped_recipients=len(outcome.skipped),
            parts_s=parts, note="distribute.run against a send log that has every message",
        )

    def profile(self, path: Path) -> None:
        out, log_path = self.fresh("profiled")
        profile("one warm distribute.run", lambda: self.once(path, log_path, out))

    def summary(self, seconds: float, cpu: int | None) -> None:
        cold, warm, split = self.results["cold_cli"], self.results["warm"], self.results["split"]
        r = self.results
        self.record(
            "summary", self.messages, self.attachments, int(warm["mb_sent"] * 1e6),
            cold["median_s"],
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
        extra=lambda p: p.add_argument(
            "--dir", type=Path, help="work folder (default: a temp dir)"
        ),
    )
    if args.recipients > span[1]:
        raise SystemExit(f"--recipients must be {span[0]}–{span[1]}")
    with Server() as server:
        log(f"aiosmtpd on 127.0.0.1:{server.port} (pid {server.process.pid})")
        sys.exit(main(lambda a, w: DistributeBench(a, w, server), args))
