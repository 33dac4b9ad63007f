"""Writing files so a reader never sees half of one, and never outside the output folder."""

from __future__ import annotations

import contextlib
import fcntl
import hashlib
import os
import shutil
import tempfile
import unicodedata
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from types import TracebackType
from typing import Self

from beslutsgen.errors import OutputError

SLUG_LENGTH = 60  # of a title in a file name


class Closing:
    """A resource whose `close()` a `with` block calls at its end: `with Log(path) as log:`."""

    def close(self) -> None:
        raise NotImplementedError

    def __enter__(self) -> Self:
        return self

    def __exit__(
        self,
        kind: type[BaseException] | None,
        error: BaseException | None,
        trace: TracebackType | None,
    ) -> None:
        self.close()


def stem_for(dnr: str, kind: str) -> str:
    """A file name from a dnr that can never leave the output folder: RS/595/2023 → RS-595-2023."""
    safe = "".join(c if c.isalnum() or c in "-_" else "-" for c in dnr)
    safe = "-".join(part for part in safe.split("-") if part) or "arende"
    return f"{safe}_{kind}"


def slug(text: str, fallback: str) -> str:
    """"Nulägesanalys 2025" → "nulagesanalys-2025", "RS/88/2026" → "rs-88-2026": ASCII
    letters, digits and single dashes, cut at a word after SLUG_LENGTH characters."""
    folded = unicodedata.normalize("NFKD", text.casefold())
    kept = "".join(c for c in folded if not unicodedata.combining(c))
    kept = "".join(c if c.isascii() and c.isalnum() else "-" for c in kept)
    result = "-".join(part for part in kept.split("-") if part)
    if len(result) > SLUG_LENGTH:
        result = result[: SLUG_LENGTH + 1].rpartition("-")[0] or result[:SLUG_LENGTH]
    return result or fallback


def safe_child(directory: Path, name: str) -> Path:
    """`directory/name`, refusing any name that would resolve elsewhere."""
    if not name or name in (".", "..") or "/" in name or "\\" in name or "\0" in name:
        raise OutputError(f"ogiltigt filnamn {name!r}")
    target = (directory / name).resolve()
    if target.parent != directory.resolve():
        raise OutputError(f"filnamnet {name!r} hamnar utanför {directory}")
    return target


def write_atomic(path: Path, data: bytes) -> None:
    """Write to a temporary name in the same folder, then rename over the target."""
    temp: str | None = None
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        fd, temp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
        os.chmod(temp, 0o644)
        os.replace(temp, path)
    except OSError as exc:
        if temp is not None:
            Path(temp).unlink(missing_ok=True)
        raise OutputError(f"{path}: kunde inte skrivas: {exc.strerror or exc}") from exc


COPY_CHUNK = 1024 * 1024


def copy_verified(source: Path, target: Path, sha256: str) -> None:
    """Copy `source` to `target` in chunks (never whole in memory), atomically, and only if
    its bytes still have the SHA-256 they had when they were checked."""
    digest = hashlib.sha256()
    temp: str | None = None
    try:
        fd, temp = tempfile.mkstemp(prefix=".tmp-", dir=target.parent)
        with os.fdopen(fd, "wb") as out, source.open("rb") as handle:
            while chunk := handle.read(COPY_CHUNK):
                digest.update(chunk)
                out.write(chunk)
        if digest.hexdigest() != sha256:
            raise OutputError(
                f"{source}: filen har ändrats sedan den kontrollerades; kör kommandot igen"
            )
        os.chmod(temp, 0o644)
        os.replace(temp, target)
        temp = None
    except OSError as exc:
        raise OutputError(f"{target}: kunde inte skrivas: {exc.strerror or exc}") from exc
    finally:
        if temp is not None:
            Path(temp).unlink(missing_ok=True)


STAGING_PREFIX = ".beslutsgen-"
STAGING_LOCK = ".beslutsgen.lock"  # inside a staging folder, locked while its run lives


def _stale(folder: Path) -> bool:
    """A staging folder whose run has ended without cleaning up (killed): nobody holds the
    lock inside it. Without a lock yet, its name says which process made it."""
    try:
        fd = os.open(folder / STAGING_LOCK, os.O_RDWR | os.O_NOFOLLOW)
    except OSError:
        return not _alive(folder.name.removeprefix(STAGING_PREFIX).partition("-")[0])
    try:
        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except OSError:
        return False  # held: a run in progress
    finally:
        os.close(fd)  # closing releases the probe's own lock
    return True


def _alive(pid: str) -> bool:
    if not pid.isdigit():
        return False  # not named by this version: from a run long gone
    try:
        os.kill(int(pid), 0)
    except ProcessLookupError:
        return False
    except OSError:
        return True  # exists, owned by someone else
    return True


def remove_stale_staging(out_dir: Path) -> None:
    """Remove what killed runs left in `out_dir`; live runs' folders are left alone."""
    with contextlib.suppress(OSError):
        for folder in out_dir.glob(STAGING_PREFIX + "*"):
            if folder.is_dir() and not folder.is_symlink() and _stale(folder):
                shutil.rmtree(folder, ignore_errors=True)


def _hold_lock(staging: Path) -> int:
    fd = os.open(staging / STAGING_LOCK, os.O_RDWR | os.O_CREAT | os.O_NOFOLLOW, 0o600)
    fcntl.flock(fd, fcntl.LOCK_EX)  # released by the kernel however this process ends
    return fd


@contextmanager
def staged(out_dir: Path, keep: tuple[str, ...] = ()) -> Iterator[Path]:
    """A private folder inside `out_dir` to write a whole batch into.

    When the batch succeeds, every file in it is renamed into `out_dir` (a folder replaces
    the folder of the same name as a whole, except for the entries named in `keep`, which
    move into the new folder); when anything
    fails, the folder is removed (and `out_dir` too if this run created it), so a failed
    run leaves the output exactly as it was.
    """
    created = not out_dir.exists()
    try:
        out_dir.mkdir(parents=True, exist_ok=True)
        remove_stale_staging(out_dir)
        staging = Path(tempfile.mkdtemp(prefix=f"{STAGING_PREFIX}{os.getpid()}-", dir=out_dir))
        lock = _hold_lock(staging)
    except OSError as exc:
        raise OutputError(f"{out_dir}: kan inte skrivas: {exc.strerror or exc}") from exc
    try:
        yield staging
        replaced = staging / ".replaced"
        items = sorted(p for p in staging.iterdir() if p.name != STAGING_LOCK)
        for item in items:  # every obstacle is found before anything moves
            target = safe_child(out_dir, item.name)
            if target.exists() and item.is_dir() != target.is_dir():
                kind = "en mapp" if target.is_dir() else "en fil"
                raise OutputError(
                    f"{target} är {kind} och står i vägen; flytta eller ta bort den, "
                    "eller välj en annan mapp med -o"
                )
        for item in items:
            target = safe_child(out_dir, item.name)
            if item.is_dir() and target.is_dir():  # a folder from an earlier run: swap it out
                for name in keep:  # what other commands keep there moves along
                    if (target / name).exists() and not (item / name).exists():
                        os.replace(target / name, item / name)
                replaced.mkdir(exist_ok=True)
                os.replace(target, replaced / item.name)
            os.replace(item, target)
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        if created:
            shutil.rmtree(out_dir, ignore_errors=True)
        raise
    else:
        shutil.rmtree(staging)
    finally:
        os.close(lock)  # only now may another run take the (removed) folder for stale
