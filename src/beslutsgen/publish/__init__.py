"""The digital anslagstavla (KL 8 kap. 9–12 §§): a static site of HTML pages, a style
sheet, an Atom feed and the published PDFs, made from the same model as the documents.
`notices` decides what is up on a day, `documents` renders the PDFs linked, `site` the
pages; `anslagstavla` puts them together. Nothing here writes files."""

from beslutsgen.publish.anslagstavla import anslagstavla

__all__ = ["anslagstavla"]
