"""Where a § finds its ärende and its delegationsbeslut: among the files loaded in this
run, then among the files of the project's decisions/ (read only when needed)."""

from __future__ import annotations

import difflib
import re
from dataclasses import dataclass
from pathlib import Path

from beslutsgen.load.bilagor import Bilagefil, check_bilagor
from beslutsgen.load.files import find_arende_files, read, validate
from beslutsgen.load.yamlsource import Located
from beslutsgen.model.anmalan import DelegationsbeslutFil
from beslutsgen.model.arende import Arende
from beslutsgen.model.profile import Profile

_DNR_SEPARATORS = re.compile(r"[\s./:_-]")


@dataclass(frozen=True)
class LoadedArende:
    """A case model together with the file it came from (for messages and output names)."""

    path: Path
    arende: Arende
    bilagefiler: tuple[Bilagefil, ...] = ()
    """The bilagor that are files, as checked when the case was loaded."""


class ArendeIndex:
    """Where a § finds its case: by diarienummer or path among the cases loaded in this run,
    then among the case files of the project's decisions/ (read only when needed)."""

    def __init__(
        self,
        arenden: list[LoadedArende],
        broken: list[tuple[Path, Located]],
        folder: Path,
        profile: Profile,
        root: Path,
    ) -> None:
        self.folder = folder
        self.root = root
        self.profile = profile
        self.limit = profile.granser.yaml_bytes
        self.by_dnr: dict[str, LoadedArende] = {}
        self.by_path: dict[Path, LoadedArende] = {}
        # Case files with problems of their own: a § naming one is not also "missing".
        self.broken_dnr: dict[str, Path] = {}
        self.broken_path: set[Path] = set()
        self._scanned = False
        self.sources: dict[Path, Located] = {}  # the case files read here, for positions
        self.delegations: dict[str, tuple[Path, DelegationsbeslutFil]] = {}
        self.delegation_paths: set[Path] = set()
        for arende in arenden:
            self._add(arende)
        for path, located in broken:
            self._add_broken(path, located)

    def add_delegation(self, path: Path, beslut: DelegationsbeslutFil) -> None:
        """A delegationsbeslut file loaded in this run."""
        self.delegations.setdefault(beslut.diarienummer, (path, beslut))
        self.delegation_paths.add(path.resolve())

    def _add(self, arende: LoadedArende) -> None:
        self.by_dnr.setdefault(arende.arende.diarienummer, arende)
        self.by_path[arende.path.resolve()] = arende

    def _add_broken(self, path: Path, located: Located | None) -> None:
        self.broken_path.add(path.resolve())
        dnr = located.data.get("diarienummer") if located is not None else None
        if isinstance(dnr, str) and dnr.strip():
            self.broken_dnr.setdefault(" ".join(dnr.split()), path)

    def _read_file(self, path: Path) -> None:
        """A file not loaded in this run: index it (a case, or a delegationsbeslut); its
        problems are not this run's."""
        key = path.resolve()
        if key in self.by_path or key in self.broken_path or key in self.delegation_paths:
            return
        shown = str(path)  # its problems are not reported
        located, _ = read(path, shown, self.limit)
        if located is not None:
            self.sources[path] = located
        if located is not None and located.data.get("typ") == "delegationsbeslut":
            beslut, _ = validate(path, shown, located, DelegationsbeslutFil)
            self.delegation_paths.add(key)
            if beslut is not None:
                self.delegations.setdefault(beslut.diarienummer, (path, beslut))
            return
        arende, _ = validate(path, shown, located, Arende) if located is not None else (None, [])
        if arende is not None and located is not None:
            limit = self.profile.granser.bilaga_bytes
            files, problems = check_bilagor(shown, located, arende, self.root, limit)
            arende = None if problems else arende
        if arende is not None:
            self._add(LoadedArende(path, arende, files))
        else:
            self._add_broken(path, located)

    def _scan(self) -> None:
        """Every file of the project's decisions/, once, when something is not found."""
        if not self._scanned:
            self._scanned = True
            for found in find_arende_files([self.folder], None)[0] if self.folder.is_dir() else []:
                self._read_file(found)

    def find(self, ref: str, base: Path) -> LoadedArende | Path | None:
        """The case `ref` names; the file if it names one with problems; None if nothing."""
        path = base / ref
        if ref not in self.by_dnr and ref not in self.broken_dnr and path.is_file():
            self._read_file(path)
            key = path.resolve()
            return self.by_path.get(key) or (path if key in self.broken_path else None)
        if ref not in self.by_dnr and ref not in self.broken_dnr:
            self._scan()
        return self.by_dnr.get(ref) or self.broken_dnr.get(ref)

    def delegation(self, dnr: str) -> tuple[Path, DelegationsbeslutFil] | None:
        """The delegationsbeslut file with diarienummer `dnr`, among this run's files and
        the project's decisions/."""
        if dnr not in self.delegations:
            self._scan()
        return self.delegations.get(dnr)

    def guess(self, ref: str) -> str | None:
        """A known dnr that differs from `ref` only in separators or case, or in one or two
        characters ("RS 552-2024" for "RS 552-2025"); not merely one of similar shape."""
        bare = _DNR_SEPARATORS.sub("", ref).casefold()
        for dnr in self.by_dnr:
            if _DNR_SEPARATORS.sub("", dnr).casefold() == bare:
                return dnr
        found = difflib.get_close_matches(ref, list(self.by_dnr), n=1, cutoff=0.9)
        return found[0] if found else None
