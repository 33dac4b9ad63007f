"""sign, archive and verify: the signed protocol into the archive, and proof it is intact."""

from __future__ import annotations

import os
from pathlib import Path

import click

from beslutsgen.cli import report
from beslutsgen.cli.options import clock
from beslutsgen.cli.report import reports_errors
from beslutsgen.errors import printable, relative
from beslutsgen.load.project import project_root
from beslutsgen.output import write_atomic

# pyHanko and pypdf are imported inside the commands: rendering should not wait for them.

P12_PASSWORD_VARIABLE = "BESLUTSGEN_P12_PASSWORD"


@click.command()
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


@click.command("archive")
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
    report.archived(done)


@click.command("verify")
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

    report.verified(archive.verify(archive_dir), archive.ARCHIVE_REGISTER)
