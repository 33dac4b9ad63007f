"""validate, render and meeting: the commands that read decisions/ and write documents."""

from __future__ import annotations

from pathlib import Path

import click

from beslutsgen import pipeline
from beslutsgen.cli import report
from beslutsgen.cli.options import (
    clock,
    echo_paths,
    formats_wanted,
    jobs_option,
    named_paths,
    output_dir_option,
    output_options,
)
from beslutsgen.cli.report import reports_errors
from beslutsgen.load.project import project_root
from beslutsgen.render.register import REGISTER_NAME


@click.command()
@click.argument("paths", nargs=-1, type=click.Path(path_type=Path))
@reports_errors
def validate(paths: tuple[Path, ...]) -> None:
    """Kontrollera alla filer och lista alla problem (exit 1 om något är fel).

    \b
    Exempel:
      beslutsgen validate                      # hela decisions/
      beslutsgen validate decisions/rs-595-2023.yaml
    """
    named = named_paths(paths)
    project = pipeline.validate(named, project_root(named, Path.cwd()), Path.cwd())
    report.warn(project.warnings)
    meetings = f" och {len(project.meetings)} sammanträde(n)" if project.meetings else ""
    warned = f" ({len(project.warnings)} varning(ar))" if project.warnings else ""
    click.echo(f"{len(project.arenden)} ärende(n){meetings} utan problem{warned}.")


@click.command()
@click.argument("paths", nargs=-1, type=click.Path(path_type=Path))
@output_options("Mapp för de färdiga dokumenten.")
@jobs_option
@reports_errors
def render(paths: tuple[Path, ...], out_dir: Path, formats: str, jobs: int) -> None:
    """Rendera ärenden till DOCX och PDF. Skriver inget om någon fil har fel.

    Sammanträdesfiler bland filerna kontrolleras men renderas med beslutsgen meeting.

    \b
    Exempel:
      beslutsgen render                        # decisions/ → output/
      beslutsgen render decisions/rs-595-2023.yaml --format pdf -o /tmp/ut
    """
    named = named_paths(paths)
    root = project_root(named, Path.cwd())
    settings = pipeline.Settings(
        root=root, out_dir=out_dir, formats=formats_wanted(formats), cwd=Path.cwd()
    )
    echo_paths(pipeline.render(named, settings, jobs))


@click.command()
@click.argument("paths", nargs=-1, required=True, type=click.Path(path_type=Path))
@output_options("Mapp där varje sammanträde får en egen mapp.")
@jobs_option
@reports_errors
def meeting(paths: tuple[Path, ...], out_dir: Path, formats: str, jobs: int) -> None:
    """Kallelse, protokoll, protokollsutdrag per § och anslagsbevis för ett sammanträde.

    Skriver en mapp per sammanträde, t.ex. output/regionstyrelsen-2025-11-25/, och
    inget alls om någon fil har fel. Tidsgränser som inte hålls blir varningar.

    \b
    Exempel:
      beslutsgen meeting decisions/rs-2025-11-25-sammantrade.yaml
      beslutsgen meeting decisions/rs-2025-11-25-sammantrade.yaml -o /tmp/ut --format pdf
    """
    root = project_root(list(paths), Path.cwd())
    settings = pipeline.Settings(
        root=root,
        out_dir=out_dir,
        formats=formats_wanted(formats),
        register=root / REGISTER_NAME,
        rendered_at=clock(),
        cwd=Path.cwd(),
    )
    written, project = pipeline.render_sammantraden(list(paths), settings, jobs)
    report.warn(project.warnings)
    echo_paths(written)


@click.command()
@click.argument("paths", nargs=-1, required=True, type=click.Path(path_type=Path))
@output_dir_option("Mapp med en mapp per sammanträde; handlingarna skrivs i dess handlingar/.")
@click.option(
    "--med-bilagor",
    is_flag=True,
    help="Skriv också handlingar-med-bilagor.pdf: ett läsexemplar med PDF-bilagorna "
    "insatta efter sina ärenden (vanlig PDF, inte PDF/A).",
)
@reports_errors
def handlingar(paths: tuple[Path, ...], out_dir: Path, med_bilagor: bool) -> None:
    """Sammanträdeshandlingarna: kallelse, föredragningslista och varje ärendes
    tjänsteskrivelse i en PDF/A med innehållsförteckning och bokmärken; bilagorna som
    filer bredvid.

    Ärenden vars handlingar inte lämnas ut (handlingar: utelämnas) står i innehållet med
    skälet och inget annat. Skriver inget om någon fil har fel.

    \b
    Exempel:
      beslutsgen handlingar decisions/rs-2026-06-16-sammantrade.yaml
      beslutsgen handlingar decisions/rs-2026-06-16-sammantrade.yaml --med-bilagor
    """
    root = project_root(list(paths), Path.cwd())
    settings = pipeline.Settings(root=root, out_dir=out_dir, formats=("pdf",), cwd=Path.cwd())
    written, project = pipeline.render_handlingar(list(paths), settings, med_bilagor)
    report.warn(project.warnings)
    echo_paths(written)
