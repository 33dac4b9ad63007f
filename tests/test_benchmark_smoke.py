"""The benchmark script runs end to end and speaks JSON lines (numbers are not checked here)."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
SCRIPT = ROOT / "benchmarks" / "render.py"
REQUIRED_KEYS = {"bench", "docs", "seconds", "docs_per_s", "peak_rss_mb"}
EXPECTED_BENCHES = {
    "load_validate",
    "docx",
    "pdf",
    "pair",
    "pipeline_render_j1",
    "cold_start_cli",
    "pipeline_render_parallel_j1",
    "pipeline_render_parallel_j2",
    "memory_flat",
    "docxtpl",
    "docxtpl_libreoffice",
    "summary",
}


def run_benchmark(
    script: Path, args: list[str], keys: set[str], timeout: int
) -> list[dict[str, Any]]:
    """Run a benchmark script; its stdout is nothing but JSON objects, each with `keys`."""
    done = subprocess.run(
        [sys.executable, str(script), *args],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=timeout,
    )
    assert done.returncode == 0, done.stderr[-4000:]
    records = [json.loads(line) for line in done.stdout.splitlines()]
    assert records, done.stderr[-4000:]
    for record in records:
        assert isinstance(record, dict)
        missing = keys - record.keys()
        assert not missing, f"{record.get('bench')}: missing {sorted(missing)}"
    return records


def test_quick_benchmark_prints_json_lines() -> None:
    records = run_benchmark(SCRIPT, ["--quick", "--no-libreoffice"], REQUIRED_KEYS, 300)
    benches = [r["bench"] for r in records]
    assert not EXPECTED_BENCHES - set(benches), sorted(EXPECTED_BENCHES - set(benches))
    assert benches[-1] == "summary"
    by_name = {r["bench"]: r for r in records}
    assert by_name["docxtpl_libreoffice"]["skipped"] == "--no-libreoffice"
    for name in ("docx", "pdf", "pair", "docxtpl"):
        assert by_name[name]["docs"] == 20
        assert by_name[name]["docs_per_s"] > 0
    assert by_name["memory_flat"]["docs"] == 200
    assert set(by_name["summary"]["targets"]) == {
        "pairs_per_s_one_core",
        "vs_docxtpl_libreoffice",
        "parallel_speedup_j2",
        "memory_flat",
    }


MEETING_SCRIPT = ROOT / "benchmarks" / "meeting.py"
MEETING_BENCHES = (
    *("generate", "cold_cli", "load_validate_first", "warm_up", "warm", "split"),
    *("handlingar_pack", "handlingar_med_bilagor", "handlingar_cli"),
)


def test_quick_meeting_benchmark_prints_json_lines() -> None:
    records = run_benchmark(MEETING_SCRIPT, ["--quick", "--items", "3"], REQUIRED_KEYS, 120)
    by_name = {r["bench"]: r for r in records}
    assert [r["bench"] for r in records] == [*MEETING_BENCHES, "summary"]
    assert by_name["generate"]["paragrafer"] == 3
    for name in ("cold_cli", "warm_up", "warm", "split"):
        assert by_name[name]["docs"] == 12  # (3 utdrag + protokoll, kallelse, anslagsbevis) × 2
        assert by_name[name]["docs_per_s"] > 0
    for key in ("median_s", "min_s", "runs_s", "target_met"):
        assert key in by_name["warm"] and key in by_name["cold_cli"]
    assert len(by_name["warm"]["runs_s"]) == 2
    for key in ("load", "build", "start_docx", "start_pdf", "docx", "pdf"):
        assert f"{key}_median_s" in by_name["split"]
    pack = by_name["handlingar_pack"]  # innehåll, kallelse, 3 tjänsteskrivelser; 3 bilagor
    assert (pack["docs"], pack["bilagor"], pack["bilaga_pages"]) == (5, 3, 6)
    assert by_name["handlingar_med_bilagor"]["pages"] == pack["pages"] + 6
    assert by_name["handlingar_cli"]["files"] == 5  # handlingar.pdf, 3 bilagor, the copy
    summary = by_name["summary"]
    assert set(summary["targets"]) == {
        "meeting_cold_cli",
        "handlingar_pack",
        "handlingar_med_bilagor",
        "handlingar_cli_peak_rss",
    }
    assert all(isinstance(t["met"], bool) for t in summary["targets"].values())
    assert summary["target_s"] == 2.0
    assert isinstance(summary["target_met"], bool)
    assert summary["cli_peak_rss_mb"] > 0


DISTRIBUTE_SCRIPT = ROOT / "benchmarks" / "distribute.py"
DISTRIBUTE_KEYS = {
    "bench",
    "messages",
    "attachments",
    "mb_sent",
    "seconds",
    "messages_per_s",
    "peak_rss_mb",
}
DISTRIBUTE_BENCHES = ("generate", "cold_cli", "again_cli", "warm_up", "warm", "split", "again")


def test_quick_distribute_benchmark_prints_json_lines() -> None:
    records = run_benchmark(DISTRIBUTE_SCRIPT, ["--quick"], DISTRIBUTE_KEYS, 20)
    by_name = {r["bench"]: r for r in records}
    assert [r["bench"] for r in records] == [*DISTRIBUTE_BENCHES, "summary"]
    assert by_name["generate"]["paragrafer"] == 4
    assert by_name["generate"]["recipients_in_book"] == 12
    messages = by_name["generate"]["messages"]
    assert messages > 0
    for name in ("cold_cli", "warm_up", "warm", "split"):
        assert by_name[name]["messages"] == messages  # counted by the SMTP server
        assert by_name[name]["mb_sent"] > 0
        assert by_name[name]["messages_per_s"] > 0
    for name in ("again_cli", "again"):  # the same send log: nothing goes again
        assert by_name[name]["messages"] == 0 and by_name[name]["mb_sent"] == 0
    for key in ("pdf_utdrag_s", "smtp_s", "rest_s", "parts_s"):
        assert key in by_name["split"]
    assert by_name["cold_cli"]["cli_peak_rss_mb"] > 0


PUBLISH_SCRIPT = ROOT / "benchmarks" / "publish.py"
PUBLISH_BENCHES = (
    *("generate", "cold_library", "cold_cli", "unchanged_library", "split", "pdf_render"),
    *("add_meeting", "incremental_library", "split_incremental", "incremental_cli"),
)
PUBLISH_PARTS = ("load", "notices", "build", "keys", "previous", "pdf", "pages", "write", "other")


def test_quick_publish_benchmark_prints_json_lines() -> None:
    records = run_benchmark(PUBLISH_SCRIPT, ["--quick"], REQUIRED_KEYS, 60)
    by_name = {r["bench"]: r for r in records}
    assert [r["bench"] for r in records] == [*PUBLISH_BENCHES, "summary"]
    generated = by_name["generate"]  # 2 organs × 2 meetings: November archived, December up
    assert generated["meetings"] == 4
    assert generated["notices_up"] > 0 and generated["notices_archived"] > 0
    pdfs = generated["pdfs"]
    assert pdfs > 0
    for name in ("cold_library", "cold_cli", "unchanged_library", "split", "pdf_render"):
        assert by_name[name]["docs"] == pdfs
        assert by_name[name]["docs_per_s"] > 0
    assert by_name["cold_library"]["pdfs_rendered"] == pdfs
    assert by_name["unchanged_library"]["pdfs_rendered"] == 0
    incremental = by_name["incremental_library"]  # only the new meeting's protocol rendered
    assert (incremental["pdfs_rendered"], incremental["pdfs_reused"]) == (1, pdfs)
    assert by_name["incremental_cli"]["files"] == incremental["files"]
    for name in ("cold_library", "cold_cli", "incremental_library", "incremental_cli"):
        for key in ("median_s", "min_s", "runs_s", "target_s", "target_met"):
            assert key in by_name[name]
    for name in ("split", "split_incremental"):
        assert set(by_name[name]["share"]) == set(PUBLISH_PARTS)
    assert by_name["split_incremental"]["pdfs_rendered"] == 1
    assert by_name["pdf_render"]["pages"] == by_name["cold_library"]["pdf_pages"]
    summary = by_name["summary"]
    assert set(summary["targets"]) == {
        "site_cold_cli",
        "site_cold_library",
        "incremental_cli",
        "incremental_library",
    }
    assert all(isinstance(t["met"], bool) for t in summary["targets"].values())
    assert (summary["target_s"], summary["incremental_target_s"]) == (5.0, 1.0)
    assert isinstance(summary["target_met"], bool)
    assert summary["cold_cli_cli_peak_rss_mb"] > 0
    assert set(summary["cold_parts_s"]) == set(PUBLISH_PARTS)
