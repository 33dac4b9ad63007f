"""Renderers: the block tree to one file format each. Nothing here knows YAML.

In: a `Document` (build/: blocks and page furniture) and its resolved `Style`.
Out: bytes — a DOCX (`docx`, from reference.docx, fonts embedded by `fontembed`, the zip
written by `ooxml`, runs and tables by `wordml`) or a PDF/A (`pdf`, the document handed as
JSON to the fixed Typst file memo.typ). `geometry` is the one table of page measures both
renderers place the furniture by. `register` records which PDFs were generated, for
archive/ to recognise a signed copy.
"""

from beslutsgen.render.docx import DocxRenderer
from beslutsgen.render.pdf import PdfRenderer

__all__ = ["DocxRenderer", "PdfRenderer"]
