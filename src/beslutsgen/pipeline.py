"""The order of steps: load and validate everything → build all documents → render → write.

Nothing is written until every input file is valid and every template has rendered;
each output file is then written atomically as soon as it is rendered.
"""

from __future__ import annotations

import hashlib
import multiprocessing
from collections.abc import Callable, Iterator
from concurrent.futures import ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from contextlib import ExitStack
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path
from typing import TypeVar

from beslutsgen.build.handlingar import HANDLINGAR, MED_BILAGOR, Handlingar, build_handlingar
from beslutsgen.build.sammantrade import EXPEDIERING, build_sammantrade
from beslutsgen.build.templates import Templates
from beslutsgen.build.tjanssteskrivelse import Built, build_tjanssteskrivelse
from beslutsgen.errors import OutputError, RenderError, UsageError, relative
from beslutsgen.load.project import LoadedArende, LoadedSammantrade, Project, load_project
from beslutsgen.model.profile import Profile
from beslutsgen.output import copy_verified, safe_child, staged, write_atomic
from beslutsgen.publish import anslagstavla
from beslutsgen.publish.anslagstavla import CACHE_FOLDER
from beslutsgen.publish.cache import MANIFEST, Previous, read_manifest
from beslutsgen.publish.site import DOCUMENTS
from beslutsgen.render.docx import BUNDLED_REFERENCE, DocxRenderer
from beslutsgen.render.lasexemplar import merge_bilagor
from beslutsgen.render.pdf import PdfRenderer
from beslutsgen.render.register import RenderRegister

FORMATS = ("docx", "pdf")


@dataclass(frozen=True)
class Settings:
    """Where the project lives and what to produce."""

    root: Path
    out_dir: Path
    formats: tuple[str, ...] = FORMATS
    register: Path | None = None  # where to record the SHA-256 of every meeting PDF
    rendered_at: datetime | None = None  # the time recorded there (required with register)
    cwd: Path | None = None  # paths in messages are shown relative to it; None: root

    @property
    def reference_docx(self) -> Path:
        override = self.root / "templates" / "reference.docx"
        return override if override.exists() else BUNDLED_REFERENCE


def validate(paths: list[Path], root: Path, cwd: Path | None = None) -> Project:
    """Load every file and build every document in memory; raise on the first kind of failure.

    Building runs the templates too, so a broken override is found before any writing.
    """
    project = load_project(paths, root, cwd)
    build_all(project)
    return project


def build_all(project: Project) -> list[Built]:
    """Every document of the project: each case's tjänsteskrivelse, each meeting's documents."""
    templates = Templates(project.root / "templates")
    arenden = [
        build_tjanssteskrivelse(arende, project.profile, templates) for arende in project.arenden
    ]
    meetings = [
        one
        for meeting in project.meetings
        for one in build_sammantrade(meeting, project.profile, templates).documents
    ]
    return arenden + meetings


class Worker:
    """Builds and renders documents in one process; templates and renderers made once."""

    def __init__(self, settings: Settings, profile: Profile) -> None:
        self.settings = settings
        self.profile = profile
        self.templates = Templates(settings.root / "templates")
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

    def stage(self, arende: LoadedArende, folder: Path) -> list[str]:
        """Build one case, render every format and write the files into `folder`."""
        built = build_tjanssteskrivelse(arende, self.profile, self.templates)
        names = []
        for fmt in self.settings.formats:
            name = f"{built.stem}.{fmt}"
            write_atomic(safe_child(folder, name), self.render(built, fmt))
            names.append(name)
        return names


_worker: Worker | None = None
T = TypeVar("T")
R = TypeVar("R")


def _init_worker(settings: Settings, profile: Profile) -> None:
    global _worker
    _worker = Worker(settings, profile)


def _in_worker(task: Callable[[Worker, T], R], item: T) -> R:
    assert _worker is not None
    return task(_worker, item)


def _stage_arende(worker: Worker, job: tuple[LoadedArende, Path]) -> list[str]:
    return worker.stage(*job)


def _render_built(worker: Worker, job: tuple[Built, str]) -> bytes:
    return worker.render(*job)


def render(paths: list[Path], settings: Settings, jobs: int = 1) -> list[Path]:
    """Validate every input, then build, render and write all documents; the files written.

    Documents are written into a staging folder and moved into place only when all of
    them succeeded, so a template or render failure half-way leaves nothing behind.
    """
    project = load_project(paths, settings.root, settings.cwd)
    with staged(settings.out_dir) as folder:
        tasks = [(case, folder) for case in project.arenden]
        batches = _map(_stage_arende, tasks, settings, project.profile, jobs)
        names = [name for batch in batches for name in batch]
    return [settings.out_dir / name for name in names]


def render_sammantraden(
    paths: list[Path], settings: Settings, jobs: int = 1
) -> tuple[list[Path], Project]:
    """Every document of every meeting in `paths`, one folder per meeting; the files written.

    All meetings are built (templates included) before anything is rendered, and the
    folders appear only when every document of every meeting has rendered.
    """
    project = _load_sammantraden(paths, settings)
    shown = settings.cwd or settings.root
    templates = Templates(settings.root / "templates")
    built = [build_sammantrade(m, project.profile, templates) for m in project.meetings]
    _one_folder_each(project.meetings, [b.folder for b in built], shown)
    # Each document in each format is one job; the biggest (the protocol) comes early.
    work = [
        (docs.folder, one, fmt)
        for docs in built
        for one in docs.documents
        for fmt in settings.formats
    ]
    written: list[Path] = []
    # The expediering (print bundles, expedieringslista) outlives a re-render.
    with staged(settings.out_dir, keep=(EXPEDIERING, HANDLINGAR)) as staging:
        for docs in built:
            safe_child(staging, docs.folder).mkdir()
        tasks = [(one, fmt) for _, one, fmt in work]
        rendered = _map(_render_built, tasks, settings, project.profile, jobs)
        pdfs: dict[str, list[tuple[str, str, int]]] = {docs.folder: [] for docs in built}
        for (folder, one, fmt), data in zip(work, rendered, strict=True):
            name = f"{one.stem}.{fmt}"
            write_atomic(safe_child(safe_child(staging, folder), name), data)
            written.append(settings.out_dir / folder / name)
            if fmt == "pdf":
                pdfs[folder].append((name, hashlib.sha256(data).hexdigest(), len(data)))
        if settings.register is not None:  # before the files appear: none goes unrecorded
            if settings.rendered_at is None:
                raise ValueError("Settings.register needs Settings.rendered_at")
            with RenderRegister(settings.register) as register:
                for folder, files in pdfs.items():
                    register.record(folder, files, settings.rendered_at)
    return written, project


def render_handlingar(
    paths: list[Path],
    settings: Settings,
    med_bilagor: bool = False,
    renderer: PdfRenderer | None = None,
) -> tuple[list[Path], Project]:
    """Each meeting's sammanträdeshandlingar into <meeting>/handlingar/: handlingar.pdf,
    the bilagor files beside it and, with `med_bilagor`, the merged reading copy.

    Everything is rendered and copied into a staging folder first; handlingar/ is
    replaced as a whole only when all of it succeeded. A long-lived caller passes one
    `renderer` for every call: each new one costs its own fonts and Typst caches.
    """
    project = _load_sammantraden(paths, settings)
    templates = Templates(settings.root / "templates")
    packs = [build_handlingar(m, project.profile, templates) for m in project.meetings]
    _one_folder_each(project.meetings, [p.folder for p in packs], settings.cwd or settings.root)
    renderer = renderer or PdfRenderer()
    written: list[Path] = []
    with ExitStack() as stack:
        for pack in packs:
            meeting_dir = settings.out_dir / pack.folder
            staging = stack.enter_context(staged(meeting_dir, keep=()))
            folder = safe_child(staging, HANDLINGAR)
            folder.mkdir()
            names = write_handlingar(pack, folder, renderer, med_bilagor)
            written += [meeting_dir / HANDLINGAR / name for name in names]
    return written, project


def write_handlingar(
    pack: Handlingar, folder: Path, renderer: PdfRenderer, med_bilagor: bool
) -> list[str]:
    """Render one pack into `folder`; the names written, the pack first."""
    data = renderer.render_parts([(part.document, part.style) for part in pack.parts])
    names = [f"{HANDLINGAR}.pdf"]
    write_atomic(safe_child(folder, names[0]), data)
    for fil, name in pack.files:
        copy_verified(fil.path, safe_child(folder, name), fil.sha256)
        names.append(name)
    if med_bilagor:
        names.append(f"{MED_BILAGOR}.pdf")
        merge_bilagor(data, pack, safe_child(folder, names[-1]))
    return names


def publish(
    paths: list[Path],
    settings: Settings,
    day: date,
    renderer: PdfRenderer | None = None,
) -> tuple[list[Path], Project]:
    """The anslagstavla as it stands on `day`, into the folder `settings.out_dir`, which
    is replaced as a whole (a notice taken down leaves no page behind) only when every
    file of the new site is written."""
    project = load_project(paths, settings.root, settings.cwd)
    site = settings.out_dir.resolve()
    files = anslagstavla(project, day, renderer or PdfRenderer(), published_before(site))
    with staged(site.parent) as staging:
        folder = safe_child(staging, site.name)
        for path, data in files.items():
            target = folder
            for part in path.split("/"):
                target = safe_child(target, part)
            target.parent.mkdir(parents=True, exist_ok=True)
            write_atomic(target, data)
    return [settings.out_dir / path for path in files], project


def published_before(site: Path) -> Previous:
    """What an earlier publish left in `site`: a PDF whose manifest entry has the content
    key asked for, and whose bytes still have the SHA-256 recorded (never trusted else)."""
    try:
        known = read_manifest((site / CACHE_FOLDER / MANIFEST).read_bytes())
    except OSError:
        known = {}

    def lookup(name: str, key: str) -> bytes | None:
        entry = known.get(name)
        if entry is None or entry[0] != key:
            return None
        try:
            data = safe_child(site / DOCUMENTS, name).read_bytes()
        except (OSError, OutputError):
            return None
        return data if hashlib.sha256(data).hexdigest() == entry[1] else None

    return lookup


def _load_sammantraden(paths: list[Path], settings: Settings) -> Project:
    """The project, refusing a case named where a meeting is wanted, or no meeting."""
    project = load_project(paths, settings.root, settings.cwd)
    shown = settings.cwd or settings.root
    named = {p.resolve() for p in paths if p.is_file()}
    not_meetings = [c.path for c in project.arenden if c.path.resolve() in named]
    if not_meetings:
        raise UsageError(
            f"{relative(not_meetings[0], shown)} är ett ärende, inte ett sammanträde "
            "(typ: sammanträde); ärenden renderas med beslutsgen render"
        )
    if not project.meetings:
        raise UsageError("inget sammanträde (typ: sammanträde) bland filerna")
    return project


def _one_folder_each(meetings: list[LoadedSammantrade], folders: list[str], shown: Path) -> None:
    first: dict[str, Path] = {}
    for loaded, folder in zip(meetings, folders, strict=True):
        other = first.setdefault(folder, loaded.path)
        if other != loaded.path:
            raise UsageError(
                f"{relative(other, shown)} och {relative(loaded.path, shown)} är sammanträden "
                f"med samma organ och dag och skulle skrivas till samma mapp {folder}/; "
                "rendera dem var för sig med olika -o"
            )


def _map(
    task: Callable[[Worker, T], R],
    items: list[T],
    settings: Settings,
    profile: Profile,
    jobs: int,
) -> Iterator[R]:
    """`task` over `items` in order: here, or in `jobs` worker processes."""
    if jobs <= 1 or len(items) < 2:
        worker = Worker(settings, profile)
        yield from (task(worker, item) for item in items)
        return
    # forkserver, not fork: a process that has used Typst holds locks a forked child
    # would inherit and wait on forever.
    context = multiprocessing.get_context("forkserver")
    context.set_forkserver_preload(["beslutsgen.pipeline"])  # workers start with it imported
    with ProcessPoolExecutor(
        jobs, mp_context=context, initializer=_init_worker, initargs=(settings, profile)
    ) as pool:
        chunk = max(1, len(items) // (jobs * 8))
        try:
            yield from pool.map(_in_worker, [task] * len(items), items, chunksize=chunk)
        except BrokenProcessPool as exc:
            raise RenderError(f"en arbetsprocess avbröts oväntat ({exc}); inget skrevs") from exc
        except BaseException:
            pool.shutdown(wait=True, cancel_futures=True)  # no work after a failure
            raise
