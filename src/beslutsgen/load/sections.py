"""What a tjänsteskrivelse must contain beyond its schema: some text to decide on, and
the headings the organisation's profile requires (`tjänsteskrivelse.obligatoriska_avsnitt`).
Both are read from the located data, so they are reported with every other mistake in
the file, also when the file has schema errors of its own."""

from __future__ import annotations

from typing import Any

from beslutsgen.errors import Problem
from beslutsgen.load.yamlsource import Located
from beslutsgen.model.profile import PROFILE_NAME, Profile, fold_heading

TEXT_KEYS = ("ärendebeskrivning", "sammanfattning", "avsnitt")


def missing_text(shown: str, located: Located) -> list[Problem]:
    """A case needs an ärendebeskrivning, a sammanfattning or avsnitt (one is enough)."""
    data: dict[str, Any] = located.data
    if "ärendebeskrivning" in data or "sammanfattning" in data or data.get("avsnitt"):
        return []
    line, col = located.position(())
    return [
        Problem(
            shown,
            line,
            col,
            "ärendebeskrivning",
            "obligatorisk nyckel saknas; skriv ärendebeskrivning: (eller sammanfattning: "
            "eller avsnitt:)",
        )
    ]


def missing_sections(shown: str, located: Located, profile: Profile) -> list[Problem]:
    """Each heading the profile requires must be the rubrik of one of the case's avsnitt
    (compared without regard to case or runs of white space)."""
    required = profile.tjanssteskrivelse.obligatoriska_avsnitt
    data: dict[str, Any] = located.data
    sections = data.get("avsnitt")
    if not required or (sections is not None and not isinstance(sections, list)):
        return []  # a wrong type under avsnitt: is reported by the schema
    present = {
        fold_heading(item["rubrik"])
        for item in sections or []
        if isinstance(item, dict) and isinstance(item.get("rubrik"), str)
    }
    line, col = located.position(("avsnitt",) if sections is not None else ())
    return [
        Problem(
            shown,
            line,
            col,
            "avsnitt",
            f"avsnittet {heading!r} saknas men krävs av {PROFILE_NAME} "
            "(tjänsteskrivelse.obligatoriska_avsnitt); lägg till "
            f"- {{rubrik: {heading}, text: ...}} under avsnitt:",
        )
        for heading in required
        if fold_heading(heading) not in present
    ]
