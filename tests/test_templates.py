"""The Jinja side: a project's templates/ overrides the bundled template by name, may extend it,
and a broken template is an error naming the template file and line; nothing is written."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner, Result

from beslutsgen.build.templates import Templates
from beslutsgen.cli import main
from beslutsgen.errors import RenderError, TemplateError
from tests.conftest import MINIMAL_CASE as CASE
from tests.textutil import docx_body_text

NAME = "tjanssteskrivelse.md.j2"
STEM = "RS-100-2026_tjanssteskrivelse"


BUNDLED_TEXT = [
    "Inköp av kontorsmaterial",
    "Ärendebeskrivning",
    "Kontorsmaterialet behöver köpas in för 2026.",
    "Regiondirektörens förslag",
    "1. Inköpet godkänns.",
    "I tjänsten",
    "Sara Lewerentz",
    "Regiondirektör",
    "Utdrag till",
    "Regionstabschef",
]


@pytest.fixture
def project(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A project with one good case in decisions/ and an empty templates/; cwd is its root."""
    (tmp_path / "decisions").mkdir()
    (tmp_path / "decisions" / "x.yaml").write_text(CASE, "utf-8")
    (tmp_path / "templates").mkdir()
    monkeypatch.chdir(tmp_path)
    return tmp_path


def override(project: Path, text: str) -> None:
    (project / "templates" / NAME).write_text(text, "utf-8")


def run(*args: str) -> Result:
    return CliRunner().invoke(main, list(args))


def render_docx_text(project: Path) -> list[str]:
    result = run("render", "--format", "docx")
    assert result.exit_code == 0, result.output
    return docx_body_text((project / "output" / f"{STEM}.docx").read_bytes()).splitlines()


def assert_template_error(project: Path, expected: str) -> None:
    """validate and render both stop with exactly `expected` on stderr; nothing is written."""
    for args in (["validate"], ["render"]):
        result = run(*args)
        assert "Traceback" not in result.stderr + result.stdout
        assert isinstance(result.exception, SystemExit), result.exception
        assert result.exit_code == 1
        assert result.stderr.splitlines() == [expected, "1 problem i en mall; inget skrevs."]
        assert result.stdout == ""
    assert not (project / "output").exists()


def test_without_override_the_bundled_template_is_used(project: Path) -> None:
    assert render_docx_text(project) == BUNDLED_TEXT


def test_project_template_replaces_the_bundled_one(project: Path) -> None:
    override(project, "# {{ rubrik }}\n\nEgen mall för {{ organ }}, dnr {{ diarienummer }}.\n")
    assert render_docx_text(project) == [
        "Inköp av kontorsmaterial",
        "Egen mall för Regionstyrelsen, dnr RS/100/2026.",
    ]


def test_override_can_extend_the_bundled_template_and_replace_one_block(project: Path) -> None:
    override(
        project,
        '{% extends "bundled/tjanssteskrivelse.md.j2" %}\n'
        "{% block rubrik %}\n"
        "# Ärende: {{ rubrik }}\n\n"
        "Diarienummer {{ diarienummer }}\n\n"
        "{% endblock %}\n",
    )
    assert render_docx_text(project) == [
        "Ärende: Inköp av kontorsmaterial",
        "Diarienummer RS/100/2026",
        *BUNDLED_TEXT[1:],
    ]


def test_an_extending_override_can_keep_the_block_with_super(project: Path) -> None:
    override(
        project,
        '{% extends "bundled/tjanssteskrivelse.md.j2" %}\n'
        "{% block utdrag %}\n{{ super() }}\nFör kännedom: Ekonomichef\n{% endblock %}\n",
    )
    assert render_docx_text(project) == [*BUNDLED_TEXT, "För kännedom: Ekonomichef"]


def test_values_stay_text_in_an_override(project: Path) -> None:
    """An organisation's template prints values; a value that looks like markup stays text."""
    (project / "decisions" / "x.yaml").write_text(
        CASE.replace("rubrik: Inköp av kontorsmaterial", 'rubrik: "**Inköp** {{ 7*7 }} # <w:p>"'),
        "utf-8",
    )
    override(project, "Rubriken är {{ rubrik }}\n")
    assert render_docx_text(project) == ["Rubriken är **Inköp** {{ 7*7 }} # <w:p>"]


def test_missing_variable_names_template_and_line(project: Path) -> None:
    override(project, "# {{ rubrik }}\n\nBeslutas av {{ organ }}.\n\n{{ sammanträdesdatum }}\n")
    assert_template_error(
        project,
        f"templates/{NAME}:5: mallfel: odefinierat värde: 'sammanträdesdatum' finns inte",
    )


def test_missing_attribute_names_template_and_line(project: Path) -> None:
    override(project, "# {{ rubrik }}\n\n{{ förslag.beslutsdatum }}\n")
    assert_template_error(
        project,
        f"templates/{NAME}:3: mallfel: odefinierat värde: fältet 'beslutsdatum' finns inte",
    )


def test_missing_variable_in_an_extending_override_names_its_line(project: Path) -> None:
    override(
        project,
        '{% extends "bundled/tjanssteskrivelse.md.j2" %}\n'
        "{% block rubrik %}\n"
        "# {{ rubrik }}\n"
        "\n"
        "{{ ärendetyp }}\n"
        "{% endblock %}\n",
    )
    assert_template_error(
        project, f"templates/{NAME}:5: mallfel: odefinierat värde: 'ärendetyp' finns inte"
    )


def test_template_syntax_error_names_file_and_line(project: Path) -> None:
    override(project, "# {{ rubrik }}\n\n{% if %}\n{{ förslag.rubrik }}\n{% endif %}\n")
    assert_template_error(
        project,
        f"templates/{NAME}:3: mallfel: Expected an expression, got 'end of statement block'",
    )


def test_unknown_filter_names_file_and_line(project: Path) -> None:
    override(project, "# {{ rubrik }}\n\n{{ datum|kort_datum }}\n")
    assert_template_error(project, f"templates/{NAME}:3: mallfel: No filter named 'kort_datum'.")


def test_templates_api_prefers_the_project_and_escapes_values(tmp_path: Path) -> None:
    (tmp_path / NAME).write_text("# {{ rubrik }}\n", "utf-8")
    text, _ = Templates(tmp_path).render(NAME, {"rubrik": "a*b_[c]"})
    assert text == "# a\\*b\\_\\[c\\]\n"


def test_templates_api_reports_file_and_line(tmp_path: Path) -> None:
    (tmp_path / NAME).write_text("rad ett\n{{ rubrik }}\n{{ saknas }}\n", "utf-8")
    with pytest.raises(TemplateError) as caught:
        Templates(tmp_path).render(NAME, {"rubrik": "x"})
    assert (caught.value.template, caught.value.line) == (f"templates/{NAME}", 3)
    assert (
        str(caught.value) == f"templates/{NAME}:3: mallfel: odefinierat värde: 'saknas' finns inte"
    )


# Known gaps: each test says what a user should get. strict=True makes a fix show up as
# XPASS (a failure), so the marker is removed together with the bug.


@pytest.mark.parametrize(
    ("body", "line"),
    [("{{ 1 / 0 }}", 3), ("{{ rubrik|belopp }}", 3)],
    ids=["zero-division", "filter-on-wrong-value"],
)
def test_runtime_error_in_template_names_file_and_line(project: Path, body: str, line: int) -> None:
    override(project, f"# {{{{ rubrik }}}}\n\n{body}\n")
    result = run("render")
    assert isinstance(result.exception, SystemExit), result.exception
    assert result.exit_code == 1
    message = {
        "{{ 1 / 0 }}": "ZeroDivisionError: division by zero",
        "{{ rubrik|belopp }}": (
            "'Inköp av kontorsmaterial' är inget tal (skriv decimaler med punkt, t.ex. 5.5)"
        ),
    }[body]
    assert result.stderr.splitlines() == [
        f"templates/{NAME}:{line}: mallfel: {message}",
        "1 problem i en mall; inget skrevs.",
    ]
    assert result.stdout == ""
    assert not (project / "output").exists()


def test_override_extending_itself_is_a_clear_error(project: Path) -> None:
    override(project, '{% extends "tjanssteskrivelse.md.j2" %}\n')
    result = run("render")
    assert isinstance(result.exception, SystemExit), result.exception
    assert result.exit_code == 1
    assert result.stderr.splitlines() == [
        f"templates/{NAME}: mallfel: mallen ärver sig själv; skriv "
        '{% extends "bundled/tjanssteskrivelse.md.j2" %} för att bygga vidare på den '
        "medföljande mallen",
        "1 problem i en mall; inget skrevs.",
    ]
    assert result.stdout == ""
    assert not (project / "output").exists()


def test_missing_include_names_file_and_line(project: Path) -> None:
    override(project, '# {{ rubrik }}\n\n{% include "sidfot.md.j2" %}\n')
    result = run("render")
    assert result.exit_code == 1
    assert result.stderr.splitlines() == [
        f"templates/{NAME}:3: mallfel: mallen 'sidfot.md.j2' finns inte",
        "1 problem i en mall; inget skrevs.",
    ]
    assert result.stdout == ""
    assert not (project / "output").exists()


@pytest.mark.parametrize("jobs", ["1", "2"])
def test_a_failure_half_way_writes_nothing(project: Path, jobs: str) -> None:
    """Only the second case trips the template: the first case's files must not appear,
    and an output folder that already held files keeps exactly those."""
    second = CASE.replace("RS/100/2026", "RS/200/2026")
    (project / "decisions" / "y.yaml").write_text(second, "utf-8")
    override(
        project, '# {{ rubrik }}\n\n{% if diarienummer == "RS/200/2026" %}{{ x }}{% endif %}\n'
    )
    result = run("render", "-j", jobs)
    assert result.exit_code == 1
    assert result.stderr.splitlines() == [
        f"templates/{NAME}:3: mallfel: odefinierat värde: 'x' finns inte",
        "1 problem i en mall; inget skrevs.",
    ]
    assert result.stdout == ""
    assert not (project / "output").exists()
    (project / "output").mkdir()
    (project / "output" / "gammal.pdf").write_bytes(b"%PDF old")
    again = run("render", "-j", jobs)
    assert (again.exit_code, again.stdout, again.stderr) == (1, "", result.stderr)
    assert sorted(p.name for p in (project / "output").iterdir()) == ["gammal.pdf"]


def test_a_bug_in_beslutsgens_own_code_is_a_render_error_naming_it(tmp_path: Path) -> None:
    """A value the escaper cannot print is beslutsgen's bug, not the template's: it is
    reported as a RenderError naming the function, not as a mallfel in the user's file."""

    class Broken:
        def __str__(self) -> str:
            raise RuntimeError("trasig")

    (tmp_path / "x.md.j2").write_text("# {{ value }}\n", "utf-8")
    with pytest.raises(RenderError, match=r"fel i beslutsgen: escape_markdown \(build/templates"):
        Templates(tmp_path).render("x.md.j2", {"value": Broken()})


def test_a_filter_given_the_wrong_kind_of_value_is_the_templates_error(tmp_path: Path) -> None:
    (tmp_path / "x.md.j2").write_text("# x\n\n{{ 5|uppräkning }}\n", "utf-8")
    with pytest.raises(TemplateError, match=r"^templates/x.md.j2:3: mallfel: uppräkning vill"):
        Templates(tmp_path).render("x.md.j2", {})
