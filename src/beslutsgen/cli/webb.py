"""beslutsgen publish: the digital anslagstavla as a static site."""

from __future__ import annotations

from datetime import date, datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import click

from beslutsgen import pipeline
from beslutsgen.cli import report
from beslutsgen.cli.options import clock, named_paths, output_dir_option
from beslutsgen.cli.report import reports_errors
from beslutsgen.load.project import project_root

SWEDEN = ZoneInfo("Europe/Stockholm")


def today() -> date:
    """Today in Sweden, where the anslagstavla's days are counted."""
    return clock().astimezone(SWEDEN).date()


@click.command("publish")
@click.argument("paths", nargs=-1, type=click.Path(path_type=Path))
@output_dir_option(
    "Mappen som blir webbplatsen; den ersätts i sin helhet.", default="output/anslagstavla"
)
@click.option(
    "--datum",
    "day",
    type=click.DateTime(formats=["%Y-%m-%d"]),
    default=None,
    help="Dagen anslagstavlan visar, ÅÅÅÅ-MM-DD (standard: i dag).",
)
@reports_errors
def publish(paths: tuple[Path, ...], out_dir: Path, day: datetime | None) -> None:
    """Den digitala anslagstavlan (8 kap. 9–12 §§ kommunallagen) som en statisk
    webbplats: aktuella tillkännagivanden av justerade protokoll, fullmäktiges
    sammanträden och delegationsbeslut, en sida per tillkännagivande, arkiv,
    information om laglighetsprövning, Atom-flöde och de publicerade protokollen (PDF/UA,
    personnummer maskerade).

    Kopiera mappen till webbservern; den fungerar också direkt från disken.

    \b
    Exempel:
      beslutsgen publish
      beslutsgen publish -o /var/www/anslagstavla --datum 2025-12-03
    """
    found = named_paths(paths)
    root = project_root(found, Path.cwd())
    settings = pipeline.Settings(root=root, out_dir=out_dir, formats=("pdf",), cwd=Path.cwd())
    when = day.date() if day is not None else today()
    written, project = pipeline.publish(found, settings, when)
    report.warn(project.warnings)
    click.echo(f"{out_dir / 'index.html'}: anslagstavlan {when.isoformat()}, {len(written)} filer")
