"""Writing files so a reader never sees half of one, and never outside the output folder."""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

from beslutsgen.errors import OutputError


def stem_for(dnr: str, kind: str) -> str:
    """A file name from a dnr that can never leave the output folder: RS/595/2023 → RS-595-2023."""
    safe = "".join(c if c.isalnum() or c in "-_" else "-" for c in dnr)
    safe = "-".join(part for part in safe.split("-") if part) or "arende"
    return f"{safe}_{kind}"


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
