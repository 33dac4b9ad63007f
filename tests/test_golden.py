"""The seeds come out whole: every paragraph of the original, in order, in both formats.

Seeds 001 and 004 are tjänsteskrivelser (cases in decisions/); seed 003 is the
protokollsutdrag of § 196 of the sample meeting in decisions/.

tests/golden/00N.txt holds the seed's paragraphs, one a line, without list markers or
proposal numbers. Each line must occur in the normalised text after the end of the line
before it, so a dropped, reordered or altered paragraph fails.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from beslutsgen import pipeline
from tests.conftest import DECISIONS, ROOT, Sample
from tests.textutil import (
    docx_body_text,
    docx_furniture_part,
    docx_part_text,
    normalise,
    pdf_body_text,
    pdf_pages,
)

GOLDEN = ROOT / "tests" / "golden"

# Which sample reproduces which seed, found by what the seed says about itself.
SEEDS: dict[str, Callable[[Sample], bool]] = {
    "001": lambda s: s.case.rubrik == "Regionstyrelsens plan och budget 2026",
    "004": lambda s: s.case.diarienummer == "RS/595/2023",
}
EXTRACTORS = {"docx": docx_body_text, "pdf": pdf_body_text}


def golden_lines(seed: str, folder: Path = GOLDEN) -> list[str]:
    """The seed's golden lines; a lost, unreadable or empty golden file fails the test (a
    skipped golden check would let a dropped paragraph pass unseen)."""
    path = folder / f"{seed}.txt"
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        pytest.fail(f"{path.name}: the golden file of seed {seed} cannot be read ({exc})")
    lines = [line for line in (normalise(line) for line in text.splitlines()) if line]
    if not lines:
        pytest.fail(f"{path.name}: the golden file of seed {seed} is empty")
    return lines


def seed_sample(seed: str, samples: dict[str, Sample]) -> Sample:
    matches = [s for s in samples.values() if SEEDS[seed](s)]
    assert len(matches) == 1, f"seed {seed}: expected one sample in decisions/, found {matches}"
    return matches[0]


def missing_in_order(lines: list[str], text: str) -> list[tuple[int, str]]:
    """The golden lines not found in order (1-based line numbers); [] when all are there."""
    missing = []
    position = 0
    for number, line in enumerate(lines, start=1):
        found = text.find(line, position)
        if found < 0:
            missing.append((number, line))
        else:
            position = found + len(line)
    return missing


@pytest.mark.parametrize("fmt", sorted(EXTRACTORS))
@pytest.mark.parametrize("seed", sorted(SEEDS))
def test_seed_text_is_complete_and_in_order(
    seed: str, fmt: str, samples: dict[str, Sample]
) -> None:
    lines = golden_lines(seed)
    assert len(lines) >= 10, f"tests/golden/{seed}.txt has only {len(lines)} lines"
    sample = seed_sample(seed, samples)
    text = normalise(EXTRACTORS[fmt](sample[fmt]))
    missing = missing_in_order(lines, text)
    assert not missing, (
        f"{sample.path.name} ({fmt}): {len(missing)} of {len(lines)} golden lines of seed {seed} "
        "missing or out of order:\n" + "\n".join(f"  line {n}: {t[:90]}" for n, t in missing)
    )


SEED_003_MEETING = DECISIONS / "rs-2025-11-25-sammantrade.yaml"
SEED_003_UTDRAG = "regionstyrelsen-2025-11-25/protokollsutdrag-196"


@pytest.fixture(scope="module")
def utdrag_196(tmp_path_factory: pytest.TempPathFactory) -> dict[str, bytes]:
    """The protokollsutdrag of § 196, rendered from the sample meeting by the library."""
    out = tmp_path_factory.mktemp("meeting")
    pipeline.render_sammantraden([SEED_003_MEETING], pipeline.Settings(ROOT, out))
    return {fmt: (out / f"{SEED_003_UTDRAG}.{fmt}").read_bytes() for fmt in EXTRACTORS}


@pytest.mark.parametrize("fmt", sorted(EXTRACTORS))
def test_seed_003_utdrag_is_complete_and_in_order(fmt: str, utdrag_196: dict[str, bytes]) -> None:
    lines = golden_lines("003")
    text = normalise(EXTRACTORS[fmt](utdrag_196[fmt]))
    missing = missing_in_order(lines, text)
    assert not missing, (
        f"§ 196 ({fmt}): {len(missing)} of {len(lines)} golden lines of seed 003 missing or "
        "out of order:\n" + "\n".join(f"  line {n}: {t[:90]}" for n, t in missing)
    )
    # After the seed's text: the certification the seed's box stands for.
    tail = text[text.find(lines[-1]) :]
    assert (
        missing_in_order(
            [
                "Justerat 2025-12-01, Regionens hus, Östersund.",
                "Rätt utdraget intygar",
                "Anna-Karin Edvardsen Sekreterare",
            ],
            tail,
        )
        == []
    )


def test_seed_003_box_is_on_every_page(utdrag_196: dict[str, bytes]) -> None:
    """The seed's first line, "Utdragsbestyrkande", is the box for the certifier's initials."""
    pages = pdf_pages(utdrag_196["pdf"])
    assert len(pages) >= 2
    assert all("Utdragsbestyrkande" in page.footer for page in pages)
    footer = docx_part_text(utdrag_196["docx"], docx_furniture_part(utdrag_196["docx"], "footer"))
    assert footer.startswith("Utdragsbestyrkande")


def test_missing_in_order_reports_reordering() -> None:
    """The checker itself: presence alone is not enough, the order counts."""
    assert missing_in_order(["a b", "c"], "x a b y c") == []
    assert missing_in_order(["c", "a b"], "x a b y c") == [(2, "a b")]
    assert missing_in_order(["a b", "a b"], "a b") == [(2, "a b")]


@pytest.mark.parametrize("kind", ["missing", "unreadable", "empty"])
def test_a_lost_golden_file_fails(tmp_path: Path, kind: str) -> None:
    if kind == "unreadable":
        (tmp_path / "001.txt").write_bytes(b"\xff\xfe\x00broken")
    elif kind == "empty":
        (tmp_path / "001.txt").write_text("\n\n", encoding="utf-8")
    with pytest.raises(pytest.fail.Exception, match="the golden file of seed 001"):
        golden_lines("001", tmp_path)
