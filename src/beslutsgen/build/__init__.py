"""Loaded models → documents as block trees, through the Jinja templates.

In: a `LoadedArende` or `LoadedSammantrade` (load/), the `Profile`, the `Templates`
(the project's templates/ over the bundled ones).
Out: `Built` documents — a block tree (`document`: headings, paragraphs, lists, tables,
fields, signatures, with the page furniture in `Meta`), its style and its stem: the
tjänsteskrivelse of an ärende, and a meeting's kallelse, protokoll, protokollsutdrag per §
and anslagsbevis (`SammantradeDokument`, whose kinds, stems and folder names are decided in
`sammantrade` only). Also the template context of a meeting (`context`), the appeal
texts (`overklagande`) and the publication rendition with personnummer masked
(`publication`). No file format is written here.
"""

from beslutsgen.build.document import Document, Meta
from beslutsgen.build.sammantrade import SammantradeDokument, build_sammantrade, folder_name
from beslutsgen.build.templates import Templates
from beslutsgen.build.tjanssteskrivelse import Built, build_tjanssteskrivelse

# The name before issue 14, until benchmarks/meeting.py imports build_sammantrade.

__all__ = [
    "Built",
    "Document",
    "Meta",
    "SammantradeDokument",
    "Templates",
    "build_sammantrade",
    "build_tjanssteskrivelse",
    "folder_name",
]
