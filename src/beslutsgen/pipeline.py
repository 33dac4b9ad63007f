"""The order of steps: load and validate everything → build all documents → render → write.

Nothing is written until every input file is valid and every template has rendered;
each output file is then written atomically as soon as it is rendered.
"""

from __future__ import annotations

import multiprocessing
from collections.abc import Callable, Iterator
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass
from pathlib import Path

from beslutsgen.build import Built, build_tjanssteskrivelse
from beslutsgen.load import Project, load_project
from beslutsgen.output import safe_child, write_atomic
from beslutsgen.render.docx import BUNDLED_REFERENCE, DocxRenderer
from beslutsgen.render.pdf import PdfRenderer
from beslutsgen.templates import Templates

FORMATS = ("docx", "pdf")


@dataclass(frozen=True)
class Settings:
    """Where the project lives and what to produce."""

    root: Path
    out_dir: Path
    formats: tuple[str, ...] = FORMATS

    @property
    def reference_docx(self) -> Path:
        override = self.root / "templates" / "reference.docx"
        return override if override.exists() else BUNDLED_REFERENCE


def validate(paths: list[Path], root: Path) -> Project:
    """Load every file and build every document in memory; raise on the first kind of failure.

    Building runs the templates too, so a broken override is found before any writing.
    """
    project = load_project(paths, root)
    build_all(project)
    return project


def build_all(project: Project) -> list[Built]:
    templates = Templates(project.root / "templates")
    return [build_tjanssteskrivelse(case, project.profile, templates) for case in project.cases]


class Renderers:
    """The per-process renderers, created on first use (each loads fonts or a template)."""

    def __init__(self, settings: Settings) -> None:
        self.settings = settings
        self._docx: DocxRenderer | None = None
        self._pdf: PdfRenderer | None = None

    def render(self, built: Built, fmt: str) -> bytes:
        if fmt == "docx":
            if self._docx is None:
                self._docx = DocxRenderer(self.settings.reference_docx)
            return self._docx.render(built.document, built.style)
        if self._pdf is None:
            self._pdf = PdfRenderer()
        return self._pdf.render(built.document, built.style)

    def write(self, built: Built) -> list[Path]:
        """Render every format first, then write: a failure leaves no lone DOCX behind."""
        rendered = {fmt: self.render(built, fmt) for fmt in self.settings.formats}
        written = []
        for fmt, data in rendered.items():
            target = safe_child(self.settings.out_dir, f"{built.stem}.{fmt}")
            write_atomic(target, data)
            written.append(target)
        return written


_worker: Renderers | None = None


def _init_worker(settings: Settings) -> None:
    global _worker
    _worker = Renderers(settings)


def _work(built: Built) -> list[Path]:
    assert _worker is not None
    return _worker.write(built)


def render(
    paths: list[Path],
    settings: Settings,
    jobs: int = 1,
    progress: Callable[[list[Path]], None] | None = None,
) -> list[Path]:
    """Validate everything, then render and write each document; returns the files written."""
    project = load_project(paths, settings.root)
    built = build_all(project)
    written: list[Path] = []
    for paths_of_one in _run(built, settings, jobs):
        written += paths_of_one
        if progress:
            progress(paths_of_one)
    return written


def _run(built: list[Built], settings: Settings, jobs: int) -> Iterator[list[Path]]:
    if jobs <= 1 or len(built) < 2:
        renderers = Renderers(settings)
        yield from (renderers.write(b) for b in built)
        return
    # forkserver, not fork: a process that has used Typst holds locks a forked child
    # would inherit and wait on forever.
    context = multiprocessing.get_context("forkserver")
    with ProcessPoolExecutor(
        jobs, mp_context=context, initializer=_init_worker, initargs=(settings,)
    ) as pool:
        yield from pool.map(_work, built, chunksize=max(1, len(built) // (jobs * 8)))
