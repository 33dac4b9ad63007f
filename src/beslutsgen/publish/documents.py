"""The PDFs the anslagstavla links to: each meeting's publication renditions (tagged
PDF/A-2a + PDF/UA-1, personnummer and e-mail masked, §§ not to be published reduced to
their heading), rendered only for the notices shown."""

from __future__ import annotations

from collections.abc import Iterable

from beslutsgen.build.sammantrade import KALLELSE, PROTOKOLL, UTDRAG, build_sammantrade
from beslutsgen.build.templates import Templates
from beslutsgen.build.tjanssteskrivelse import Built
from beslutsgen.load.project import Project
from beslutsgen.publish.notices import Notis, site_folder


def wanted(notices: Iterable[Notis]) -> set[str]:
    """The file names of every document the notices link to."""
    return {name for notis in notices for name, _ in notis.dokument}


def publication_documents(
    project: Project, names: set[str], templates: Templates
) -> dict[str, Built]:
    """The documents named `names` (as <meeting>-<stem>.pdf), built for publication."""
    found: dict[str, Built] = {}
    for loaded in project.meetings:
        prefix = f"{site_folder(loaded.meeting)}-"
        if not any(name.startswith(prefix) for name in names):
            continue
        kinds = (KALLELSE, PROTOKOLL, UTDRAG)
        docs = build_sammantrade(loaded, project.profile, templates, kinds, publicering=True)
        for built in docs.documents:
            name = f"{prefix}{built.stem}.pdf"
            if name in names:
                found[name] = built
    missing = names - set(found)
    if missing:  # a notice names a document no meeting makes: a bug, not bad input
        raise AssertionError(f"no document for {sorted(missing)}")
    return found
