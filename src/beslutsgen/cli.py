"""The command line: parse arguments, call the library, print (the longer reports and the
errors through `cli_print`). Exit codes live here and there only."""

from __future__ import annotations

import os
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar

import click

from beslutsgen import cli_print, pipeline
from beslutsgen.cli_print import reports_errors
from beslutsgen.errors import printable, relative
from beslutsgen.load import schema
from beslutsgen.load.project import load_profile, project_root
from beslutsgen.model.profile import PROFILE_NAME
from beslutsgen.output import write_atomic
from beslutsgen.render.register import REGISTER_NAME

if TYPE_CHECKING:
    from beslutsgen.distribute.expediering import Options

# distribute, sign, archive and verify import their heavy libraries (pyHanko, pypdf,
# smtplib's email stack) inside the command: rendering should not wait for them.

F = TypeVar("F", bound=Callable[..., Any])
P12_PASSWORD_VARIABLE = "BESLUTSGEN_P12_PASSWORD"
SEND_LOG_NAME = "expediering.sqlite"  # the project's own, wherever distribute is run from
DEFAULT_PATHS = ("decisions",)


def clock() -> datetime:
    """The time, for whatever the library records or dates: the only clock it is given."""
    return datetime.now(UTC)


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(package_name="beslutsgen")
def main() -> None:
    """beslutsgen: ärenden och sammanträden i YAML blir tjänsteskrivelser, protokoll,
    protokollsutdrag, kallelser och anslagsbevis i DOCX och PDF/A.

    \b
    Exempel:
      beslutsgen validate decisions
      beslutsgen render decisions -o output
      beslutsgen meeting decisions/rs-2025-11-25-sammantrade.yaml -o output
    """


@main.command()
@click.argument("paths", nargs=-1, type=click.Path(path_type=Path))
@reports_errors
def validate(paths: tuple[Path, ...]) -> None:
    """Kontrollera alla filer och lista alla problem (exit 1 om något är fel).

    \b
    Exempel:
      beslutsgen validate                      # hela decisions/
      beslutsgen validate decisions/rs-595-2023.yaml
    """
    named = list(paths or map(Path, DEFAULT_PATHS))
    project = pipeline.validate(named, project_root(named, Path.cwd()), Path.cwd())
    cli_print.warn(project.warnings)
    meetings = f" och {len(project.meetings)} sammanträde(n)" if project.meetings else ""
    warned = f" ({len(project.warnings)} varning(ar))" if project.warnings else ""
    click.echo(f"{len(project.arenden)} ärende(n){meetings} utan problem{warned}.")


def output_options(where: str) -> Callable[[F], F]:
    """-o and --format, shared by the commands that write documents."""

    def decorate(func: F) -> F:
        func = click.option(
            "--format",
            "formats",
            default="docx,pdf",
            show_default=True,
            help="Kommaseparerade format: docx, pdf.",
        )(func)
        return click.option(
            "-o",
            "--output",
            "out_dir",
            type=click.Path(path_type=Path),
            default=Path("output"),
            show_default=True,
            help=where,
        )(func)

    return decorate


jobs_option = click.option(
    "-j",
    "--jobs",
    default=1,
    show_default=True,
    type=click.IntRange(1, 64),
    help="Antal processer som renderar parallellt.",
)


@main.command()
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
    named = list(paths or map(Path, DEFAULT_PATHS))
    root = project_root(named, Path.cwd())
    settings = pipeline.Settings(
        root=root, out_dir=out_dir, formats=_formats(formats), cwd=Path.cwd()
    )
    written = pipeline.render(named, settings, jobs)
    for path in written:
        click.echo(printable(relative(path, Path.cwd())))


@main.command()
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
        formats=_formats(formats),
        register=root / REGISTER_NAME,
        rendered_at=clock(),
        cwd=Path.cwd(),
    )
    written, project = pipeline.render_meetings(list(paths), settings, jobs)
    cli_print.warn(project.warnings)
    for path in written:
        click.echo(printable(relative(path, Path.cwd())))


def _formats(formats: str) -> tuple[str, ...]:
    wanted = tuple(f.strip().lower() for f in formats.split(",") if f.strip())
    unknown = [f for f in wanted if f not in pipeline.FORMATS]
    if unknown or not wanted:
        raise click.BadParameter(
            f"okänt format {', '.join(unknown) or formats!r}; välj docx, pdf", param_hint="--format"
        )
    return wanted


@main.command()
@click.argument("path", type=click.Path(path_type=Path))
@click.option(
    "-o",
    "--output",
    "out_dir",
    type=click.Path(path_type=Path),
    default=Path("output"),
    show_default=True,
    help="Mapp med sammanträdets mapp: .eml vid --dry-run, post och expedieringslista.",
)
@click.option("--dry-run", is_flag=True, help="Skriv meddelandena som .eml, skicka inget.")
@click.option("--resend", is_flag=True, help="Skicka om utdrag som ändrats sedan de skickades.")
@click.option(
    "--smtp",
    "smtp",
    metavar="[smtp://|smtps://]HOST:PORT",
    help="Annan e-postserver än profilens: smtp://HOST:PORT utan TLS (ett lokalt relä), "
    "smtps://HOST:PORT med TLS från början, HOST:PORT med profilens TLS-läge.",
)
@click.option(
    "--logg",
    "log_path",
    type=click.Path(path_type=Path),
    default=None,
    help="Sändloggen (SQLite): vad som gått till vem (standard: expediering.sqlite i "
    "projektets rot, mappen med beslutsgen.yaml).",
)
@reports_errors
def distribute(
    path: Path, out_dir: Path, dry_run: bool, resend: bool, smtp: str | None, log_path: Path | None
) -> None:
    """Expediera: skicka varje justerad paragrafs protokollsutdrag till mottagarna.

    Rollerna i expedieras_till (eller ärendets utdrag_till) slås upp i adressboken i
    beslutsgen.yaml. Varje mottagare får ett meddelande med utdragen från alla
    paragrafer som listar dem. Det som redan kommit fram skickas inte igen.
    Inloggning till servern läses bara från BESLUTSGEN_SMTP_USER och
    BESLUTSGEN_SMTP_PASSWORD. Bara en expediering av ett sammanträde åt gången: en
    andra avbryts med exit 3 utan att skicka något.

    \b
    Exempel:
      beslutsgen distribute decisions/rs-2025-11-25-sammantrade.yaml --dry-run
      beslutsgen distribute decisions/rs-2025-11-25-sammantrade.yaml
      beslutsgen distribute decisions/rs-2025-11-25-sammantrade.yaml --smtp smtp://127.0.0.1:25
    """
    options = _distribute_options(dry_run, resend, smtp)
    from beslutsgen.distribute import expediering as distribution

    root = project_root([path], Path.cwd())
    log = log_path or root / SEND_LOG_NAME
    run, warnings = distribution.run(path, root, out_dir, log, options, clock, Path.cwd())
    cli_print.warn(warnings)
    cli_print.distributed(run, resend)


def _distribute_options(dry_run: bool, resend: bool, smtp: str | None) -> Options:
    """What distribute may do: the flags, the server --smtp names, the login from the
    environment (never for a dry run)."""
    host, port, scheme = _server(smtp)
    from beslutsgen.distribute.expediering import Options
    from beslutsgen.distribute.mail import PASSWORD_VARIABLE, SCHEMES, USER_VARIABLE, credentials

    env = os.environ  # the library reads no environment; the login is passed in
    login = None if dry_run else credentials(env.get(USER_VARIABLE), env.get(PASSWORD_VARIABLE))
    tls = SCHEMES[scheme] if scheme else None
    return Options(
        dry_run=dry_run, resend=resend, smtp_host=host, smtp_port=port, smtp_tls=tls, login=login
    )


def _server(value: str | None) -> tuple[str | None, int | None, str | None]:
    """--smtp as host, port and scheme: smtp://HOST:PORT (no TLS), smtps://HOST:PORT (TLS
    from the start) or HOST:PORT (scheme None: the profile's mode); IPv6 in brackets."""
    from beslutsgen.distribute.mail import SCHEMES

    if value is None:
        return None, None, None
    scheme, sep, rest = value.partition("://")
    scheme = scheme.lower()
    forms = "skriv HOST:PORT, smtp://HOST:PORT (utan TLS) eller smtps://HOST:PORT (TLS)"
    if sep and scheme not in SCHEMES:
        raise click.BadParameter(
            f"{value!r}: okänt schema {scheme}://; {forms}", param_hint="--smtp"
        )
    host, _, port = (rest if sep else value).rpartition(":")
    if "@" in host:
        raise click.BadParameter(
            f"{value!r}: inloggningen hör inte hemma i --smtp; sätt BESLUTSGEN_SMTP_USER och "
            "BESLUTSGEN_SMTP_PASSWORD",
            param_hint="--smtp",
        )
    if host.startswith("[") and host.endswith("]"):
        host = host[1:-1]  # [::1]
    elif ":" in host:
        host = ""
    if not host or any(c in host for c in "/?# ") or not (port.isascii() and port.isdigit()):
        raise click.BadParameter(f"{value!r}: {forms}", param_hint="--smtp")
    if not 1 <= int(port) <= 65535:
        raise click.BadParameter(f"{value!r}: porten ska vara 1–65535", param_hint="--smtp")
    return host, int(port), scheme if sep else None


@main.command()
@click.argument("pdf", type=click.Path(path_type=Path, exists=True, dir_okay=False))
@click.option(
    "--p12",
    required=True,
    type=click.Path(path_type=Path, exists=True, dir_okay=False),
    help="Nyckel och certifikat (PKCS#12); lösenordet läses från BESLUTSGEN_P12_PASSWORD.",
)
@click.option(
    "-o",
    "--output",
    "out",
    type=click.Path(path_type=Path, dir_okay=False),
    help="Den signerade filen (standard: <namn>-signerad.pdf bredvid PDF:en).",
)
@reports_errors
def sign(pdf: Path, p12: Path, out: Path | None) -> None:
    """Signera en PDF (PAdES, inkrementellt): för test och små organisationer.

    Signaturen läggs till som en ny revision; det som signerades står kvar byte för
    byte. Lösenordet till PKCS#12-filen tas bara från miljövariabeln
    BESLUTSGEN_P12_PASSWORD, aldrig från kommandoraden.

    \b
    Exempel:
      export BESLUTSGEN_P12_PASSWORD=…
      beslutsgen sign output/regionstyrelsen-2025-11-25/protokoll.pdf --p12 ordf.p12
    """
    password = os.environ.get(P12_PASSWORD_VARIABLE)
    from beslutsgen.archive import signing

    signed = signing.sign(pdf.read_bytes(), p12, password.encode() if password else None)
    target = out or pdf.with_name(f"{pdf.stem}-signerad.pdf")
    write_atomic(target, signed)
    click.echo(printable(relative(target, Path.cwd())))


@main.command("archive")
@click.argument("signed", type=click.Path(path_type=Path, dir_okay=False))
@click.option(
    "--meeting",
    "meeting_file",
    required=True,
    type=click.Path(path_type=Path, dir_okay=False),
    help="Sammanträdesfilen protokollet hör till.",
)
@click.option(
    "-o",
    "--output",
    "archive_dir",
    type=click.Path(path_type=Path, file_okay=False),
    default=Path("arkiv"),
    show_default=True,
    help="Arkivet (skrivs en gång; registret arkiv.sqlite ligger där).",
)
@reports_errors
def archive_command(signed: Path, meeting_file: Path, archive_dir: Path) -> None:
    """Arkivera ett signerat protokoll som ett FGS/E-ARK-paket.

    Filen tas emot bara om varje signatur är intakt, inget ändrats efter signeringen
    utöver tillåtna tillägg, undertecknaren leder till en betrodd rot i profilen och
    certifikatet gällde vid signeringen, det signerade är byte för byte protokollet som
    beslutsgen skapade för sammanträdet, och det är PDF/A-2. Annars sägs vilken kontroll
    som fallerade.

    \b
    Exempel:
      beslutsgen archive protokoll-signerat.pdf \\
          --meeting decisions/rs-2025-11-25-sammantrade.yaml -o arkiv
    """
    from beslutsgen.archive import ingest as archive
    from beslutsgen.archive.seal import SIGILL_PASSWORD_VARIABLE

    root = project_root([meeting_file], Path.cwd())
    password = os.environ.get(SIGILL_PASSWORD_VARIABLE)
    done = archive.archive(
        signed,
        meeting_file,
        root,
        archive_dir,
        when=clock(),
        seal_password=password.encode() if password else None,
        cwd=Path.cwd(),
    )
    cli_print.archived(done)


@main.command("verify")
@click.argument("archive_dir", type=click.Path(path_type=Path, file_okay=False))
@reports_errors
def verify_command(archive_dir: Path) -> None:
    """Kontrollera hela arkivet: kontrollsummor, sigill, signaturer och METS, utan nätverk.

    Skriver en rad per paket och sist registrets huvud (SHA-256 för registrets sista rad;
    anteckna det utanför arkivet, t.ex. i diariet); exit 1 om något inte är intakt.

    \b
    Exempel:
      beslutsgen verify arkiv
    """
    from beslutsgen.archive import ingest as archive

    cli_print.verified(archive.verify(archive_dir), archive.ARCHIVE_REGISTER)


@main.command("schema")
@click.argument("kind", type=click.Choice(sorted(schema.MODELS)), default="arende")
def schema_command(kind: str) -> None:
    """Skriv ut JSON Schema för ärendefiler (eller profilen) till editorer.

    \b
    Exempel:
      beslutsgen schema > schema/arende.schema.json
      beslutsgen schema profil
    """
    click.echo(schema.json_schema_text(kind), nl=False)


@main.command()
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
        cli_print.warn(problems)  # a broken profile: the plain skeleton, and why
        profile = None if problems else profile
    click.echo(schema.skeleton(kind, profile), nl=False)


@main.command()
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
    for path in done.files:
        click.echo(printable(relative(path, Path.cwd())))
    click.echo("\nNästa steg:")
    for command in scaffold.next_commands(done, Path.cwd()):
        click.echo(f"  {printable(command)}")
