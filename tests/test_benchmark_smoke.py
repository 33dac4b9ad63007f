"""The benchmark script runs end to end and speaks JSON lines (numbers are not checked here)."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

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


def test_quick_benchmark_prints_json_lines() -> None:
    done = subprocess.run(
        [sys.executable, str(SCRIPT), "--quick", "--no-libreoffice"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert done.returncode == 0, done.stderr[-4000:]
    lines = done.stdout.splitlines()
    assert lines, done.stderr[-4000:]
    records = []
    for line in lines:
        record = json.loads(line)  # nothing but JSON on stdout
        assert isinstance(record, dict)
        missing = REQUIRED_KEYS - record.keys()
        assert not missing, f"{record.get('bench')}: missing {sorted(missing)}"
        records.append(record)
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
