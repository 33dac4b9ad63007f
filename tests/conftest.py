"""Shared fixtures: the repository, and every sample in decisions/ rendered once per session.

A test that takes `sample` runs once per case file in decisions/ (parametrized at
collection time); `samples` is the whole set, keyed by the file's stem. Both come from
one render of all of decisions/ through the library (`pipeline.render`, one process),
so the many checks of the output cost one render.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import pytest
import yaml
from markdown_it import MarkdownIt
from markdown_it.token import Token

from beslutsgen import pipeline
from beslutsgen.build.tjanssteskrivelse import Built
from beslutsgen.load.project import load_project
from beslutsgen.load.schema import SKELETONS
from beslutsgen.model.arende import Arende, Signatory

ROOT = Path(__file__).resolve().parent.parent
DECISIONS = ROOT / "decisions"


def _name(path: Path) -> str:
    return path.relative_to(DECISIONS).with_suffix("").as_posix()


# The case files the pipeline picks up from decisions/ (not the meetings there), known at
# collection time.
SAMPLE_NAMES = [_name(case.path) for case in load_project([DECISIONS], ROOT).arenden]


@dataclass(frozen=True)
class Sample:
    """One rendered case: its bytes per format (`sample["pdf"]`) and what it was made from."""

    name: str
    path: Path
    case: Arende
    organisation: str
    signatories: tuple[Signatory, ...]
    stem: str
    docx: bytes
    pdf: bytes

    def __getitem__(self, fmt: str) -> bytes:
        return {"docx": self.docx, "pdf": self.pdf}[fmt]


@pytest.fixture(scope="session")
def eark_python() -> Path:
    """The official E-ARK validator's interpreter: its own venv (it pins an lxml that
    beslutsgen cannot share), made by `make test`."""
    python = ROOT / ".venv-eark" / "bin" / "python"
    if not python.exists():
        pytest.fail(
            "eark-validator's virtualenv is missing (.venv-eark); "
            "create it with: make .venv-eark/.installed",
            pytrace=False,
        )
    return python


@pytest.fixture(scope="session")
def repo_root() -> Path:
    return ROOT


@pytest.fixture(scope="session")
def samples_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """All of decisions/ rendered (DOCX and PDF) by `pipeline.render`, one process."""
    out = tmp_path_factory.mktemp("samples")
    if SAMPLE_NAMES:
        written = pipeline.render([DECISIONS], pipeline.Settings(ROOT, out), jobs=1)
        assert len(set(written)) == 2 * len(SAMPLE_NAMES), "two samples share an output name"
    return out


@pytest.fixture(scope="session")
def samples(samples_dir: Path) -> dict[str, Sample]:
    """name (the YAML file's stem) → Sample, for every case in decisions/."""
    if not SAMPLE_NAMES:
        return {}
    project = load_project([DECISIONS], ROOT)
    built: list[Built] = pipeline.build_all(project)[: len(project.arenden)]  # cases first
    found: dict[str, Sample] = {}
    for loaded, one in zip(project.arenden, built, strict=True):
        arende = loaded.arende
        found[_name(loaded.path)] = Sample(
            name=_name(loaded.path),
            path=loaded.path,
            case=arende,
            organisation=arende.organisation or project.profile.organisation,
            signatories=tuple(arende.i_tjansten or project.profile.i_tjansten),
            stem=one.stem,
            docx=(samples_dir / f"{one.stem}.docx").read_bytes(),
            pdf=(samples_dir / f"{one.stem}.pdf").read_bytes(),
        )
    return found


def pytest_generate_tests(metafunc: pytest.Metafunc) -> None:
    """A test with a `sample_name` argument (or the `sample` fixture) runs per sample."""
    if "sample_name" in metafunc.fixturenames:
        params = SAMPLE_NAMES or [
            pytest.param(None, marks=pytest.mark.skip(reason="decisions/ has no case files"))
        ]
        metafunc.parametrize("sample_name", params)


@pytest.fixture
def sample(samples: dict[str, Sample], sample_name: str) -> Sample:
    return samples[sample_name]


def section_headings(sample: Sample) -> list[str]:
    """The Heading 2 sections the bundled template gives this case, in order."""
    case = sample.case
    return [
        "Ärendebeskrivning",
        *(block.rubrik for block in case.forslagen),
        "I tjänsten",
        *(["Beslutsunderlag"] if case.beslutsunderlag else []),
        *(["Bilagor"] if case.bilagor else []),
        *(["Utdrag till"] if case.utdrag_till else []),
    ]


def markdown_tokens(text: str) -> list[Token]:
    """Block tokens of a rich-text field, parsed as the schema promises (lists, tables,
    emphasis, line breaks; nothing else), independently of beslutsgen's own parser."""
    md = MarkdownIt("zero").enable(["list", "table", "newline", "emphasis"])
    return md.parse(text)


def skeleton_case(**changes: object) -> dict[str, object]:
    """The `beslutsgen new arende` skeleton as a dict, with `changes` applied (YAML keys)."""
    case: dict[str, object] = yaml.safe_load(SKELETONS["arende"])
    case.update(changes)
    return case


def write_project(root: Path, cases: dict[str, dict[str, object]]) -> Path:
    """A project in `root`: a profile and decisions/<name>.yaml per case. Returns decisions/."""
    profile = {
        "organisation": "Region Provland",
        "i_tjänsten": [{"namn": "Sara Lewerentz", "titel": "Regiondirektör"}],
    }
    (root / "beslutsgen.yaml").write_text(yaml.safe_dump(profile, allow_unicode=True), "utf-8")
    decisions = root / "decisions"
    decisions.mkdir(exist_ok=True)
    for name, case in cases.items():
        text = yaml.safe_dump(case, allow_unicode=True, sort_keys=False)
        (decisions / f"{name}.yaml").write_text(text, "utf-8")
    return decisions


def render_project(root: Path, *paths: Path, jobs: int = 1) -> list[Path]:
    """Render `paths` of the project in `root` into root/output; the files written."""
    settings = pipeline.Settings(root, root / "output")
    return pipeline.render(list(paths), settings, jobs)


# A small valid case for tests that build their own project around it.
MINIMAL_CASE = """\
typ: tjänsteskrivelse
organ: Regionstyrelsen
diarienummer: RS/100/2026
datum: 2026-01-15
avdelning: Sekretariatet Regionstyrelsen
handläggare: Sandra Hedman
rubrik: Inköp av kontorsmaterial
ärendebeskrivning: |
  Kontorsmaterialet behöver köpas in för 2026.
förslag:
  rubrik: Regiondirektörens förslag
  punkter:
    - Inköpet godkänns.
i_tjänsten:
  - {namn: Sara Lewerentz, titel: Regiondirektör}
utdrag_till: [Regionstabschef]
"""


def read_expected(path: Path) -> dict[str, list[str]]:
    """An expected.txt of a bad-input corpus → {file name: its stderr lines}. Blocks are
    headed "## <file>"; other '#' lines and blank lines are comments and separators."""
    blocks: dict[str, list[str]] = {}
    current: list[str] | None = None
    for line in path.read_text("utf-8").splitlines():
        if line.startswith("## "):
            name = line[3:].strip()
            assert name not in blocks, f"{path.name} names {name} twice"
            current = blocks[name] = []
        elif line.startswith("#") or not line.strip():
            continue
        else:
            assert current is not None, f"{path.name}: line outside a block: {line!r}"
            current.append(line)
    return blocks
