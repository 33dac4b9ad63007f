"""The command line: parse arguments, call the library, print (the longer reports and the
errors through `report`). Exit codes are decided in this package only.

One module per group of commands: `documents` (validate, render, meeting,
handlingar), `expediering` (distribute), `arkiv` (sign, archive, verify), `webb`
(publish), `projekt` (schema, new, init); `options` holds what they share. The library
below never reads the clock or the environment: the commands pass them in.
"""

from __future__ import annotations

import click


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


def _register() -> None:
    """Add every command to the group, in the order `--help` lists them."""
    from beslutsgen.cli import arkiv, documents, expediering, projekt, webb

    for command in (
        documents.validate,
        documents.render,
        documents.meeting,
        documents.handlingar,
        expediering.distribute,
        arkiv.sign,
        arkiv.archive_command,
        arkiv.verify_command,
        webb.publish,
        projekt.schema_command,
        projekt.new,
        projekt.init,
    ):
        main.add_command(command)


_register()
