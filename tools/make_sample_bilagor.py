"""Write the sample bilagor of decisions/rs-88-2026.yaml: the files a handläggare attaches
(a PDF from another system, a Word document). Run once; the files are committed, so the
samples do not depend on this script, and running it again gives the same bytes.

    .venv/bin/python tools/make_sample_bilagor.py bilagor/rs-88-2026
"""

from __future__ import annotations

import io
import sys
import zipfile
from datetime import UTC, datetime
from pathlib import Path

import docx
import typst

PDF_SOURCE = """
#set document(title: "Nulägesanalys av regionens minoritetspolitiska arbete 2025")
#set text(lang: "sv", size: 11pt)
#set page(paper: "a4", numbering: "1")
= Nulägesanalys av regionens minoritetspolitiska arbete 2025
#for (i, rubrik) in ("Uppdraget", "Förvaltningsområdena", "Samråd", "Språk och kultur",
    "Vård och omsorg", "Slutsatser").enumerate() [
  == #(i + 1). #rubrik
  #lorem(180)
]
"""


def pdf() -> bytes:
    """A bilaga as another system makes it: not PDF/A, several pages."""
    stamp = datetime(2025, 12, 1, 12, 0, tzinfo=UTC)
    out = typst.compile(PDF_SOURCE.encode(), format="pdf", timestamp=stamp)
    assert isinstance(out, bytes)
    return out


def word() -> bytes:
    """A bilaga written in Word; saved with fixed zip times so the bytes are stable."""
    document = docx.Document()
    document.core_properties.created = datetime(2025, 12, 1, 12, 0)
    document.core_properties.modified = datetime(2025, 12, 1, 12, 0)
    document.add_heading("Minnesanteckningar från samråd vid Gaaltije den 14 oktober 2025", 1)
    for punkt in ("Närvarande", "Regionens minoritetspolitiska mål", "Frågor från samrådet"):
        document.add_heading(punkt, 2)
        document.add_paragraph("Anteckningarna justeras vid nästa samråd.")
    raw = io.BytesIO()
    document.save(raw)
    return _fixed_times(raw.getvalue())


def _fixed_times(package: bytes) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(package)) as source, zipfile.ZipFile(out, "w") as target:
        for info in source.infolist():
            fixed = zipfile.ZipInfo(info.filename, date_time=(2025, 12, 1, 12, 0, 0))
            fixed.compress_type = zipfile.ZIP_DEFLATED
            target.writestr(fixed, source.read(info.filename))
    return out.getvalue()


def main(folder: Path) -> None:
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "nulagesanalys-2025.pdf").write_bytes(pdf())
    (folder / "minnesanteckningar-samrad-2025-10-14.docx").write_bytes(word())


if __name__ == "__main__":
    main(Path(sys.argv[1]))
