"""The whole site as it stands on one day, as bytes by path."""

from __future__ import annotations

from datetime import date

from beslutsgen.build.templates import Templates
from beslutsgen.load.project import Project
from beslutsgen.publish.documents import publication_documents, render_documents, wanted
from beslutsgen.publish.notices import tillkannagivanden
from beslutsgen.publish.site import DOCUMENTS, pages, tavla
from beslutsgen.render.pdf import PdfRenderer


def anslagstavla(project: Project, day: date, renderer: PdfRenderer) -> dict[str, bytes]:
    """Every file of the anslagstavla on `day`, by its path in the site (with `/`)."""
    board = tavla(tillkannagivanden(project), day, project.profile)
    templates = Templates(project.root / "templates")
    documents = publication_documents(project, wanted(board.shown), templates)
    pdfs = render_documents(documents, renderer)
    files = pages(board, {name: len(data) for name, data in pdfs.items()})
    files.update({f"{DOCUMENTS}/{name}": data for name, data in pdfs.items()})
    return dict(sorted(files.items()))
