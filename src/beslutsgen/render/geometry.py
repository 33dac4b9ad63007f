"""The page measures both renderers place the furniture by, in millimetres, in one table.

The PDF gets the table in its JSON (memo.typ reads `geometry`, never a number of its
own); the DOCX converts the same values to Word's units. The DOCX takes its ordinary
margins from reference.docx, which an organisation may restyle; it sets only the two
that depend on the document (a logo, sign boxes).
"""

from __future__ import annotations

from typing import Final

GEOMETRY: Final = {
    "margin_left": 25,
    "margin_right": 25,
    "margin_top": 35,
    "margin_top_logo": 45,  # room for the logo above the header lines
    "margin_bottom": 25,
    "margin_bottom_sign": 42,  # room for the sign boxes above the footer line
    "logo_height": 9,
    "logo_below": 2,
    "sign_box_width": 38,
    "sign_box_height": 12,
    "sign_box_gap": 3,
    "sign_boxes_below": 3,  # boxes to the footer line
    "label_column": 42,  # the labels of a protocol head or an anslagsbevis
    "label_gutter": 4,
}

TWIPS_PER_MM: Final = 1440 / 25.4


def twips(mm: float) -> int:
    """Millimetres in Word's twentieths of a point, rounded to whole twips."""
    return round(mm * TWIPS_PER_MM)
