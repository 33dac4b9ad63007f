"""The whole site as it stands on one day, as bytes by path."""

from __future__ import annotations

from datetime import date

from beslutsgen.build.templates import Templates
from beslutsgen.load.project import Project
from beslutsgen.publish.cache import MANIFEST, Previous, content_key, manifest
from beslutsgen.publish.documents import publication_documents, wanted
from beslutsgen.publish.notices import tillkannagivanden
from beslutsgen.publish.site import DOCUMENTS, pages, tavla
from beslutsgen.render.pdf import PdfRenderer

CACHE_FOLDER = ".beslutsgen"


def anslagstavla(
    project: Project, day: date, renderer: PdfRenderer, previous: Previous | None = None
) -> dict[str, bytes]:
    """Every file of the anslagstavla on `day`, by its path in the site (with `/`). A
    PDF `previous` still has under the same content key is taken from there."""
    board = tavla(tillkannagivanden(project), day, project.profile)
    templates = Templates(project.root / "templates")
    documents = publication_documents(project, wanted(board.shown), templates)
    rendered: dict[str, tuple[str, bytes]] = {}
    for name, built in sorted(documents.items()):
        key = content_key(built)
        known = previous(name, key) if previous is not None else None
        data = known if known is not None else renderer.render(built.document, built.style)
        rendered[name] = (key, data)
    files = pages(board, {name: len(data) for name, (_, data) in rendered.items()})
    files.update({f"{DOCUMENTS}/{name}": data for name, (_, data) in rendered.items()})
    files[f"{CACHE_FOLDER}/{MANIFEST}"] = manifest(rendered)
    return dict(sorted(files.items()))
