"""WordprocessingML elements built directly with lxml.

python-docx's high-level API looks styles up by name on every paragraph (about a
millisecond each); building the few element kinds we need by hand is ~50× faster and
leaves the XML exactly as we intend.
"""

from __future__ import annotations

from lxml import etree

from beslutsgen.build.document import Runs

# The OOXML namespaces, named here only (fontembed.py and docx.py use these).
W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
R = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
XML_SPACE = "{http://www.w3.org/XML/1998/namespace}space"


def w(tag: str) -> str:
    return f"{{{W}}}{tag}"


def sub(parent: etree._Element, tag: str, **attrs: str) -> etree._Element:
    """A w: child with w: attributes: sub(p, "pStyle", val="Heading1")."""
    child = etree.SubElement(parent, w(tag))
    for key, value in attrs.items():
        child.set(w(key), value)
    return child


def paragraph(
    parent: etree._Element,
    style_id: str,
    runs: Runs = (),
    *,
    num: tuple[int, str] | None = None,
    indent: int | None = None,
    align: str | None = None,
    before: etree._Element | None = None,
) -> etree._Element:
    """A w:p with style, optional list numbering (level, numId), indent and alignment."""
    p = etree.Element(w("p"))
    if before is not None:
        before.addprevious(p)
    else:
        parent.append(p)
    ppr = sub(p, "pPr")
    sub(ppr, "pStyle", val=style_id)
    if num is not None:
        num_pr = sub(ppr, "numPr")
        sub(num_pr, "ilvl", val=str(num[0]))
        sub(num_pr, "numId", val=num[1])
    if indent is not None:
        sub(ppr, "ind", left=str(indent), hanging="0")
    if align is not None:
        sub(ppr, "jc", val=align)
    for run in runs:
        text_run(p, run.text, bold=run.bold, italic=run.italic)
    return p


def text_run(p: etree._Element, text: str, *, bold: bool = False, italic: bool = False) -> None:
    """A w:r; "\\n" becomes a line break and "\\t" a tab, as Word expects them."""
    r = sub(p, "r")
    if bold or italic:
        rpr = sub(r, "rPr")
        if bold:
            sub(rpr, "b")
        if italic:
            sub(rpr, "i")
    run_text(r, text)


def run_text(r: etree._Element, text: str) -> None:
    """`text` appended to the run `r` as w:t (lxml escapes it), w:tab and w:br."""
    for index, line in enumerate(text.split("\n")):
        if index:
            sub(r, "br")
        for tab_index, piece in enumerate(line.split("\t")):
            if tab_index:
                sub(r, "tab")
            if piece:
                t = sub(r, "t")
                t.text = piece
                t.set(XML_SPACE, "preserve")


def field(p: etree._Element, instruction: str, placeholder: str) -> None:
    """A live field (PAGE, NUMPAGES): Word and LibreOffice compute it when they lay out."""
    sub(sub(p, "r"), "fldChar", fldCharType="begin")
    instr = sub(sub(p, "r"), "instrText")
    instr.text = f" {instruction} "
    instr.set(XML_SPACE, "preserve")
    sub(sub(p, "r"), "fldChar", fldCharType="separate")
    text_run(p, placeholder)
    sub(sub(p, "r"), "fldChar", fldCharType="end")


def table(
    parent: etree._Element,
    before: etree._Element | None,
    widths: list[int],
    style_id: str | None,
    header_row: bool,
    *,
    align: str | None = None,
    borders: bool = False,
) -> etree._Element:
    """An empty w:tbl with fixed column widths (twips); rows are added with `row`.
    Without a style the table is borderless unless `borders` draws thin lines."""
    tbl = etree.Element(w("tbl"))
    if before is not None:
        before.addprevious(tbl)
    else:
        parent.append(tbl)
    tbl_pr = sub(tbl, "tblPr")
    if style_id:
        sub(tbl_pr, "tblStyle", val=style_id)
    sub(tbl_pr, "tblW", w=str(sum(widths)), type="dxa")
    if align is not None:
        sub(tbl_pr, "jc", val=align)
    if borders:
        lines = sub(tbl_pr, "tblBorders")
        for edge in ("top", "left", "bottom", "right"):
            sub(lines, edge, val="single", sz="4", space="0", color="787878")
    sub(tbl_pr, "tblLayout", type="fixed")
    sub(
        tbl_pr,
        "tblLook",
        val="04A0",
        firstRow="1" if header_row else "0",
        lastRow="0",
        firstColumn="0",
        lastColumn="0",
        noHBand="0",
        noVBand="1",
    )
    grid = sub(tbl, "tblGrid")
    for width in widths:
        sub(grid, "gridCol", w=str(width))
    return tbl


def row(
    tbl: etree._Element, widths: list[int], header: bool = False, height: int | None = None
) -> list[etree._Element]:
    """A w:tr (repeated on each page when `header`, at least `height` twips high);
    returns its cells."""
    tr = sub(tbl, "tr")
    if header or height is not None:
        tr_pr = sub(tr, "trPr")
        if height is not None:
            sub(tr_pr, "trHeight", val=str(height), hRule="atLeast")
        if header:
            sub(tr_pr, "tblHeader")
    cells = []
    for width in widths:
        tc = sub(tr, "tc")
        sub(sub(tc, "tcPr"), "tcW", w=str(width), type="dxa")
        cells.append(tc)
    return cells
