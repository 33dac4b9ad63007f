"""schema, new and init: what a project starts from and what editors check it with."""

from __future__ import annotations

from pathlib import Path

import click

from beslutsgen.cli import report
from beslutsgen.cli.options import echo_paths
from beslutsgen.cli.report import reports_errors
from beslutsgen.errors import printable
from beslutsgen.load import schema
from beslutsgen.load.project import load_profile, project_root
from beslutsgen.model.profile import PROFILE_NAME


@click.command("schema")
@click.argument("kind", type=click.Choice(sorted(schema.MODELS)), default="arende")
def schema_command(kind: str) -> None:
    """Skriv ut JSON Schema för ärendefiler (eller profilen) till editorer.

    \b
    Exempel:
      beslutsgen schema > schema/arende.schema.json
      beslutsgen schema profil
    """
    click.echo(schema.json_schema_text(kind), nl=False)


@click.command()
@click.argument("kind", type=click.Choice(sorted(schema.SKELETONS)))
def new(kind: str) -> None:
    """Skriv ut ett kommenterat skelett att fylla i.

    I ett projekt (en mapp med beslutsgen.yaml, eller under en) med profilens organ,
    undertecknare och adressbok; annars med exempeltext.

    \b
    Exempel:
      beslutsgen new arende > decisions/rs-1-2026.yaml
      beslutsgen new meeting > decisions/rs-2026-01-27-sammantrade.yaml
    """
    root = project_root([Path.cwd()], Path.cwd())
    profile = None
    if (root / PROFILE_NAME).is_file():
        profile, problems = load_profile(root, Path.cwd())
        report.warn(problems)  # a broken profile: the plain skeleton, and why
        profile = None if problems else profile
    click.echo(schema.skeleton(kind, profile), nl=False)


@click.command()
@click.argument("directory", type=click.Path(path_type=Path))
@click.option(
    "--organisation",
    required=True,
    help='Organisationens namn, t.ex. "Tyresö kommun" eller "Region Gotland".',
)
@reports_errors
def init(directory: Path, organisation: str) -> None:
    """Skapa ett nytt projekt: profil, ett exempelärende och ett exempelsammanträde.

    Organen och förslagets rubrik följer organisationen (kommun, region eller annan).
    Skriver också JSON Schema och VS Code-inställningar, templates/ och .gitignore.
    Skriver inte över något: finns någon av filerna redan skrivs ingenting (exit 2).

    \b
    Exempel:
      beslutsgen init tyreso --organisation "Tyresö kommun"
    """
    from beslutsgen import scaffold

    done = scaffold.init(directory, organisation, Path.cwd())
    echo_paths(done.files)
    click.echo("\nNästa steg:")
    for command in scaffold.next_commands(done, Path.cwd()):
        click.echo(f"  {printable(command)}")
