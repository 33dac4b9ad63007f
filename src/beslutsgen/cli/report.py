"""What the commands print: problems and warnings, and the reports of distribute,
archive and verify. Exit codes are decided here and in cli only.

Nothing heavy is imported at the top: the types of what is printed are for the type
checker only, so `beslutsgen render` does not wait for smtplib or pyHanko.
"""

from __future__ import annotations

import sys
from collections.abc import Callable
from functools import wraps
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar

import click

from beslutsgen.errors import (
    BeslutsgenError,
    InputError,
    NotIntact,
    Problem,
    TemplateError,
    Undelivered,
    Unfinished,
    printable,
    relative,
)

if TYPE_CHECKING:
    from beslutsgen.archive.audit import Verification
    from beslutsgen.archive.ingest import Archived
    from beslutsgen.distribute.expediering import DistributeRun

F = TypeVar("F", bound=Callable[..., Any])


def reports_errors(func: F) -> F:
    """Turn our exceptions into messages and exit codes; a user never sees a traceback."""

    @wraps(func)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        try:
            return func(*args, **kwargs)
        except InputError as exc:
            for problem in exc.problems:
                click.echo(str(problem), err=True)
            files = len({p.path for p in exc.problems})
            click.echo(f"{len(exc.problems)} problem i {files} fil(er); inget skrevs.", err=True)
            sys.exit(exc.exit_code)
        except TemplateError as exc:
            click.echo(str(exc), err=True)
            click.echo("1 problem i en mall; inget skrevs.", err=True)
            sys.exit(exc.exit_code)
        except Unfinished as exc:
            click.echo(str(exc), err=True)
            sys.exit(exc.exit_code)
        except BeslutsgenError as exc:
            lines = f"fel: {exc}".split("\n")  # a control character in a name is shown
            click.echo("\n".join(printable(line) for line in lines), err=True)
            sys.exit(exc.exit_code)

    return wrapper  # type: ignore[return-value]


def warn(warnings: list[Problem]) -> None:
    """Warnings go to stderr like problems, but the command goes on and exits 0."""
    for warning in warnings:
        click.echo(str(warning), err=True)


def distributed(run: DistributeRun, resend: bool) -> None:
    """The §§ not justerade yet and the utdrag (or kallelse) changed since (stderr), the
    expedieringslista as a table and the files written; Undelivered if something did not
    go through."""
    outcome = run.outcome
    for nummer in outcome.not_justerade:
        click.echo(
            f"§ {nummer}: inte justerad; expedieras när protokollet är justerat "
            "(justering: justerat: true)",
            err=True,
        )
    again = "skickas om" if resend else "skickas om först med --resend"
    for delivery, numbers in outcome.changed:
        if run.kallelse:
            what = "kallelsen har ändrats sedan den skickades"
        else:
            shown = ", ".join(f"§ {n}" for n in numbers)
            what = f"{shown} har ändrats sedan utdraget skickades"
        click.echo(f"{delivery.recipient.namn}: {what}; {again}", err=True)
    if run.kallelse and not (outcome.sent or outcome.failed or outcome.changed):
        click.echo(
            f"Inget nytt att skicka: alla {len(outcome.skipped)} mottagare har redan fått "
            "kallelsen.",
            err=True,
        )
    click.echo("\t".join(run.columns))
    for row in run.rows:
        click.echo("\t".join(row))
    for written in (*outcome.written, *run.lista):
        click.echo(printable(relative(written, Path.cwd())))
    if outcome.failed:
        then = (
            "kör igen när servern svarar; det som gått fram skickas inte igen"
            if outcome.retry_later
            else "rätta adressen i adressboken och kör igen"
        )
        raise Undelivered(f"{len(outcome.failed)} meddelande(n) gick inte fram; {then}.")


def archived(done: Archived) -> None:
    """The package, whether it is new, and each signature that was examined."""
    state = "arkiverat" if done.new else "redan arkiverat (samma fil); inget ändrat"
    click.echo(f"{relative(done.folder, Path.cwd())}: {state} ({done.object_id})")
    if done.examination is not None:
        for report in done.examination.signatures:
            click.echo(
                f"  signatur {report.field!r}: {report.signer}, "
                f"{report.signing_time:%Y-%m-%d %H:%M} UTC, {report.signature_mechanism}"
            )


def verified(done: Verification, register_name: str) -> None:
    """One line per package, what is wrong with it, the register's chain and head;
    NotIntact when anything no longer matches."""
    reports = done.reports
    broken = 0
    for report in reports:
        if report.findings:
            broken += 1
            click.echo(f"{printable(report.folder)}: FEL")
            for finding in report.findings:
                click.echo(f"  {printable(finding)}")
        else:
            click.echo(
                f"{report.folder}: intakt ({report.checked_files} filer, "
                "sigillet och signaturen giltiga)"
            )
    if done.chain:
        click.echo(f"{register_name}: FEL")
        for finding in done.chain:
            click.echo(f"  {printable(finding)}")
    # The head, recorded outside the archive (the diary), shows the register unrewritten.
    click.echo(f"registrets huvud: {done.head}")
    said = [f"{broken} av {len(reports)} paket är inte intakta."] if broken else []
    said += ["Registrets hashkedja är bruten."] if done.chain else []
    if said:
        raise NotIntact("\n".join(said))
    click.echo(f"{len(reports)} paket intakta.")
