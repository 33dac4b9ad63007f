"""The stages are layers: a lower one never imports a higher one.

Read from the source with `ast`, nothing is imported, so a cycle that Python would
tolerate at run time (an import inside a function) still fails here. The picture is the
one docs/design.md draws:

    errors, inputfiles, output          the ground: any module may use them
    model ← law ← load ← build ← render the stages, each using only those to its left
    distribute, archive, publish        on top of render, none using another
    pipeline ← cli                      the order of steps and the face; nothing outside
                                        cli imports cli
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parent.parent / "src" / "beslutsgen"

# The package itself (its version) and the modules every stage may use.
GROUND = {"beslutsgen", "errors", "inputfiles", "output"}
# The rank of each layer; a module may import a lower rank, or its own layer.
# distribute, archive and publish share a rank, so none may import another.
RANKS = {
    "ground": 0,
    "model": 1,
    "law": 2,
    "load": 3,
    "build": 4,
    "render": 5,
    "distribute": 6,
    "archive": 6,
    "publish": 6,
    "pipeline": 7,
    "scaffold": 7,  # beslutsgen init writes a new project; beside pipeline, under cli
    "cli": 8,
    "__main__": 9,
}


def _module_name(path: Path, package: Path) -> str:
    parts = path.relative_to(package.parent).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def _layer(module: str) -> str:
    """beslutsgen.load.project → load; beslutsgen.errors → ground; beslutsgen → ground."""
    parts = module.split(".")
    name = parts[1] if len(parts) > 1 else parts[0]
    return "ground" if name in GROUND else name


def _imports(path: Path, root: Path) -> list[tuple[int, str]]:
    """Every beslutsgen module `path` imports (at any depth of the file), with its line."""
    tree = ast.parse(path.read_text("utf-8"), str(path))
    own = _module_name(path, root)
    package = own if path.name == "__init__.py" else own.rpartition(".")[0]
    found: list[tuple[int, str]] = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found += [(node.lineno, alias.name) for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            if node.level:  # relative: resolve against the module's package
                base = package.split(".")[: len(package.split(".")) - node.level + 1]
                target = ".".join([*base, *([node.module] if node.module else [])])
            else:
                target = node.module or ""
            if target == "beslutsgen":
                # `from beslutsgen import pipeline` imports the module beslutsgen.pipeline.
                found += [
                    (node.lineno, f"beslutsgen.{a.name}")
                    if (root / a.name).is_dir() or (root / f"{a.name}.py").is_file()
                    else (node.lineno, "beslutsgen")
                    for a in node.names
                ]
            else:
                found.append((node.lineno, target))
    return [(line, name) for line, name in found if name.split(".")[0] == "beslutsgen"]


def _violations(root: Path = PACKAGE) -> list[str]:
    problems = []
    for path in sorted(root.rglob("*.py")):
        shown = path.relative_to(root)
        own = _layer(_module_name(path, root))
        if own not in RANKS:
            problems.append(f"{shown}: {own} is in no layer")
            continue
        for line, target in _imports(path, root):
            theirs = _layer(target)
            where = f"{shown}:{line}: {target}"
            if theirs not in RANKS:
                problems.append(f"{where} is in no layer")
            elif theirs == "cli" and own not in ("cli", "__main__"):
                problems.append(f"{where}: nothing imports cli")
            elif theirs != own and RANKS[theirs] >= RANKS[own]:
                problems.append(f"{where}: {own} may not import {theirs}")
    return problems


def test_no_stage_imports_a_higher_one() -> None:
    assert _violations() == []


def test_every_stage_is_a_package_with_its_contract() -> None:
    """Each stage's __init__.py says what goes in and what comes out."""
    for stage in ("model", "law", "load", "build", "render", "distribute", "archive"):
        init = PACKAGE / stage / "__init__.py"
        doc = ast.get_docstring(ast.parse(init.read_text("utf-8")))
        assert doc, f"{stage}/__init__.py has no docstring"
        assert "In:" in doc and "Out:" in doc, f"{stage}/__init__.py: say In: and Out:"


@pytest.mark.parametrize(
    ("source", "expected"),
    [
        ("from beslutsgen.build.templates import Templates\n", "model may not import build"),
        ("from beslutsgen import cli\n", "nothing imports cli"),
        ("def f():\n    from beslutsgen.archive import ingest\n", "model may not import archive"),
        ("from ..render.pdf import PdfRenderer\n", "model may not import render"),
        ("import beslutsgen.pipeline\n", "model may not import pipeline"),
    ],
)
def test_the_check_sees_an_upward_import(source: str, expected: str, tmp_path: Path) -> None:
    """The checker itself: a model module importing upwards is caught, even in a function."""
    fake = tmp_path / "beslutsgen"
    (fake / "model").mkdir(parents=True)
    (fake / "cli.py").write_text("", "utf-8")
    (fake / "model" / "bad.py").write_text(source, "utf-8")
    found = _violations(fake)
    assert len(found) == 1 and found[0].endswith(expected), found
