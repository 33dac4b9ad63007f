"""What several commands share: the clock, the default paths, -o/--format/-j, and
printing the files written."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, TypeVar

import click

from beslutsgen import pipeline
from beslutsgen.errors import printable, relative

F = TypeVar("F", bound=Callable[..., Any])
DEFAULT_PATHS = ("decisions",)


def clock() -> datetime:
    """The time, for whatever the library records or dates: the only clock it is given."""
    return datetime.now(UTC)


def named_paths(paths: tuple[Path, ...]) -> list[Path]:
    """The paths a command was given, or decisions/ when none."""
    return list(paths or map(Path, DEFAULT_PATHS))


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
        return output_dir_option(where)(func)

    return decorate


def output_dir_option(
    where: str, default: str = "output", file_okay: bool = True
) -> Callable[[F], F]:
    """-o: the folder a command writes into."""
    return click.option(
        "-o",
        "--output",
        "out_dir",
        type=click.Path(path_type=Path, file_okay=file_okay),
        default=Path(default),
        show_default=True,
        help=where,
    )


jobs_option = click.option(
    "-j",
    "--jobs",
    default=1,
    show_default=True,
    type=click.IntRange(1, 64),
    help="Antal processer som renderar parallellt.",
)


def formats_wanted(formats: str) -> tuple[str, ...]:
    """--format as a tuple of known formats, or a usage error naming the unknown ones."""
    wanted = tuple(f.strip().lower() for f in formats.split(",") if f.strip())
    unknown = [f for f in wanted if f not in pipeline.FORMATS]
    if unknown or not wanted:
        raise click.BadParameter(
            f"okänt format {', '.join(unknown) or formats!r}; välj docx, pdf", param_hint="--format"
        )
    return wanted


def echo_paths(paths: Iterable[Path]) -> None:
    """One written file per line, relative to where the command was run."""
    for path in paths:
        click.echo(printable(relative(path, Path.cwd())))
