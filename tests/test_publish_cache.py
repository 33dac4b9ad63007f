"""Re-publishing the anslagstavla renders only the PDFs whose content changed, never
trusts a file that no longer matches the manifest, and gives the same bytes as a fresh
publish."""

from __future__ import annotations

import shutil
from datetime import date
from pathlib import Path

import pytest

from beslutsgen import pipeline
from beslutsgen.build.document import Document
from beslutsgen.model.profile import Style
from beslutsgen.render.pdf import PdfRenderer
from tests.conftest import ROOT

DAY = date(2026, 6, 24)  # both sample meetings' protocols are up (or in the archive)
PROTOKOLL_2025 = "regionstyrelsen-2025-11-25-protokoll.pdf"
PROTOKOLL_2026 = "regionstyrelsen-2026-06-16-protokoll.pdf"


class CountingRenderer(PdfRenderer):
    """A renderer that records the title of every document it is asked to render."""

    def __init__(self) -> None:
        super().__init__()
        self.rendered: list[str] = []

    def render(self, document: Document, style: Style) -> bytes:
        self.rendered.append(document.meta.title)
        return super().render(document, style)


@pytest.fixture(scope="module")
def renderer() -> CountingRenderer:
    return CountingRenderer()


@pytest.fixture
def project(tmp_path: Path) -> Path:
    root = tmp_path / "projekt"
    root.mkdir()
    shutil.copy(ROOT / "beslutsgen.yaml", root)
    for folder in ("decisions", "bilagor", "assets"):
        if (ROOT / folder).is_dir():
            shutil.copytree(ROOT / folder, root / folder)
    return root


def publish(root: Path, site: Path, renderer: CountingRenderer) -> list[str]:
    """Publish into `site`; the titles of the documents rendered (not reused)."""
    renderer.rendered.clear()
    settings = pipeline.Settings(root=root, out_dir=site, formats=("pdf",), cwd=root)
    pipeline.publish([root / "decisions"], settings, DAY, renderer)
    return list(renderer.rendered)


def tree(site: Path) -> dict[str, bytes]:
    files = sorted(p for p in site.rglob("*") if p.is_file())
    return {str(p.relative_to(site)): p.read_bytes() for p in files}


def test_an_unchanged_republish_renders_nothing_and_writes_the_same_bytes(
    project: Path, renderer: CountingRenderer
) -> None:
    site = project / "site"
    first = publish(project, site, renderer)
    assert first == ["Protokoll Regionstyrelsen 2025-11-25", "Protokoll Regionstyrelsen 2026-06-16"]
    before = tree(site)
    assert publish(project, site, renderer) == []
    assert tree(site) == before


def test_a_changed_meeting_renders_only_its_own_protocol(
    project: Path, renderer: CountingRenderer
) -> None:
    site = project / "site"
    publish(project, site, renderer)
    meeting = project / "decisions" / "rs-2026-06-16-sammantrade.yaml"
    text = meeting.read_text("utf-8")
    meeting.write_text(text.replace("rubrik: Val av justerare", "rubrik: Val av justerare."))
    assert publish(project, site, renderer) == ["Protokoll Regionstyrelsen 2026-06-16"]
    fresh = project / "fresh"
    publish(project, fresh, renderer)
    assert tree(site) == tree(fresh)  # incremental equals a fresh publish, byte for byte


@pytest.mark.parametrize("damage", ["changed", "removed", "manifest"])
def test_a_published_file_that_does_not_match_the_manifest_is_rendered_again(
    project: Path, renderer: CountingRenderer, damage: str
) -> None:
    site = project / "site"
    publish(project, site, renderer)
    good = tree(site)
    pdf = site / "dokument" / PROTOKOLL_2025
    if damage == "changed":
        pdf.write_bytes(pdf.read_bytes().replace(b"Regionstyrelsen", b"Regionstyrelsem", 1))
    elif damage == "removed":
        pdf.unlink()
    else:
        (site / ".beslutsgen" / "publicerat.json").write_text("{not json", "utf-8")
    rendered = publish(project, site, renderer)
    expected = ["Protokoll Regionstyrelsen 2025-11-25"]
    if damage == "manifest":  # with no manifest, nothing published before is trusted
        expected.append("Protokoll Regionstyrelsen 2026-06-16")
    assert rendered == expected
    assert tree(site) == good
