"""distribute: send each justerad §'s utdrag to those who must have it, or (--kallelse)
the kallelse and the sammanträdeshandlingar to the organ's ledamöter and ersättare."""

from __future__ import annotations

import os
from pathlib import Path
from typing import TYPE_CHECKING

import click

from beslutsgen.cli import report
from beslutsgen.cli.options import clock
from beslutsgen.cli.report import reports_errors
from beslutsgen.load.project import project_root

if TYPE_CHECKING:
    from beslutsgen.distribute.expediering import Options

# smtplib's email stack is imported inside the command: rendering should not wait for it.

SEND_LOG_NAME = "expediering.sqlite"  # the project's own, wherever distribute is run from


@click.command()
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
@click.option(
    "--kallelse",
    is_flag=True,
    help="Skicka kallelsen med sammanträdeshandlingarna (handlingar.pdf och bilagorna) till "
    "rollerna under kallas: för organet i beslutsgen.yaml, i stället för protokollsutdrag.",
)
@click.option(
    "--resend",
    is_flag=True,
    help="Skicka om utdrag (eller med --kallelse kallelsen) som ändrats sedan de skickades.",
)
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
    path: Path,
    out_dir: Path,
    dry_run: bool,
    kallelse: bool,
    resend: bool,
    smtp: str | None,
    log_path: Path | None,
) -> None:
    """Expediera: skicka varje justerad paragrafs protokollsutdrag till mottagarna, eller
    med --kallelse kallelsen och handlingarna till organets ledamöter och ersättare.

    Rollerna i expedieras_till (eller ärendets utdrag_till) slås upp i adressboken i
    beslutsgen.yaml. Varje mottagare får ett meddelande med utdragen från alla
    paragrafer som listar dem. Med --kallelse får varje mottagare i rollerna under
    organets kallas: ett meddelande med handlingar.pdf och bilagorna; listan blir
    kallelse-expedieringslista. Det som redan kommit fram skickas inte igen.
    Inloggning till servern läses bara från BESLUTSGEN_SMTP_USER och
    BESLUTSGEN_SMTP_PASSWORD. Bara en expediering av ett sammanträde åt gången (utdrag
    och kallelse räknas var för sig): en andra avbryts med exit 3 utan att skicka något.

    \b
    Exempel:
      beslutsgen distribute decisions/rs-2025-11-25-sammantrade.yaml --dry-run
      beslutsgen distribute decisions/rs-2025-11-25-sammantrade.yaml
      beslutsgen distribute decisions/rs-2025-11-25-sammantrade.yaml --smtp smtp://127.0.0.1:25
      beslutsgen distribute decisions/rs-2026-06-16-sammantrade.yaml --kallelse --dry-run
    """
    options = _distribute_options(dry_run, resend, smtp)
    from beslutsgen.distribute import expediering as distribution

    root = project_root([path], Path.cwd())
    log = log_path or root / SEND_LOG_NAME
    run, warnings = distribution.run(
        path, root, out_dir, log, options, clock, Path.cwd(), kallelse=kallelse
    )
    report.warn(warnings)
    report.distributed(run, resend)


def _distribute_options(dry_run: bool, resend: bool, smtp: str | None) -> Options:
    """What distribute may do: the flags, the server --smtp names, the login from the
    environment (never for a dry run)."""
    host, port, scheme = smtp_server(smtp)
    from beslutsgen.distribute.expediering import Options
    from beslutsgen.distribute.mail import PASSWORD_VARIABLE, SCHEMES, USER_VARIABLE, credentials

    env = os.environ  # the library reads no environment; the login is passed in
    login = None if dry_run else credentials(env.get(USER_VARIABLE), env.get(PASSWORD_VARIABLE))
    tls = SCHEMES[scheme] if scheme else None
    return Options(
        dry_run=dry_run, resend=resend, smtp_host=host, smtp_port=port, smtp_tls=tls, login=login
    )


def smtp_server(value: str | None) -> tuple[str | None, int | None, str | None]:
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
