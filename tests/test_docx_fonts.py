"""The DOCX carries the bundled family, as Word embeds fonts (ECMA-376 Part 1, §17.8.1,
§17.8.3.3): four obfuscated faces related from the font table, which names them with a
key; a font beslutsgen does not ship is named and not embedded. The font parts are made
once per process, not per document. (That LibreOffice draws the DOCX with the embedded
faces on a machine without them is in test_libreoffice.py.)"""

from __future__ import annotations

import io
import posixpath
import re
import zipfile
from dataclasses import replace

import pytest
from lxml import etree

from beslutsgen.build.tjanssteskrivelse import Built
from beslutsgen.model import fonts
from beslutsgen.model.arende import Arende
from beslutsgen.render import fontembed, ooxml
from beslutsgen.render.docx import BUNDLED_REFERENCE, DocxRenderer
from tests.conftest import SAMPLE_NAMES, Sample
from tests.test_escaping import base_case, build

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
R_ID = "{http://schemas.openxmlformats.org/officeDocument/2006/relationships}id"
REL = "{http://schemas.openxmlformats.org/package/2006/relationships}"
CT = "{http://schemas.openxmlformats.org/package/2006/content-types}"
FONT_REL = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/font"
OBFUSCATED = "application/vnd.openxmlformats-officedocument.obfuscatedFont"
SLOTS = {"embedRegular": "Regular", "embedBold": "Bold", "embedItalic": "It"}
SLOTS["embedBoldItalic"] = "BoldIt"
GUID = re.compile(r"\{[0-9A-F]{8}-[0-9A-F]{4}-[0-9A-F]{4}-[0-9A-F]{4}-[0-9A-F]{12}\}")
FACE_FILES = dict(zip(fonts.DOCX_FACES, fonts.docx_face_files(), strict=True))


def xml(data: bytes, name: str) -> etree._Element:
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        return etree.fromstring(archive.read(name))


def embedded_faces(data: bytes) -> dict[str, tuple[str, str, bytes]]:
    """slot → (font name, part name, the font file recovered with its key), for every
    embedded face the font table names."""
    table = xml(data, "word/fontTable.xml")
    found = {}
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        rels_name = "word/_rels/fontTable.xml.rels"
        listed = rels_name in archive.namelist()
        rels_root = etree.fromstring(archive.read(rels_name)) if listed else etree.Element("x")
        rels = {r.get("Id"): r for r in rels_root.iter(f"{REL}Relationship")}
        for font in table.iter(f"{W}font"):
            for slot in SLOTS:
                embed = font.find(f"{W}{slot}")
                if embed is None:
                    continue
                rel = rels[embed.get(R_ID)]
                assert rel.get("Type") == FONT_REL
                part = posixpath.normpath(posixpath.join("word", rel.get("Target")))
                key = embed.get(f"{W}fontKey")
                assert GUID.fullmatch(key), key
                recovered = fontembed.obfuscate(archive.read(part), key)
                found[slot] = (font.get(f"{W}name"), part, recovered)
    return found


def test_key_and_obfuscation_follow_the_spec_example() -> None:
    """§17.8.1's example: the GUID 001B70DC-AA60-4AD5-90EC-18A0948E1EAE XORs its bytes in
    reverse order, AE1E8E94-A018-EC90-D54A-60AADC701B00, into bytes 0–15 and 16–31."""
    key = "{001B70DC-AA60-4AD5-90EC-18A0948E1EAE}"
    reversed_guid = bytes.fromhex("AE1E8E94A018EC90D54A60AADC701B00")
    assert fontembed.key_bytes(key) == reversed_guid
    font = bytes(range(40))
    obfuscated = fontembed.obfuscate(font, key)
    assert obfuscated[:16] == bytes(a ^ b for a, b in zip(font[:16], reversed_guid, strict=True))
    assert obfuscated[16:32] == bytes(
        a ^ b for a, b in zip(font[16:32], reversed_guid, strict=True)
    )
    assert obfuscated[32:] == font[32:]
    assert fontembed.obfuscate(obfuscated, key) == font


def test_font_keys_come_from_the_font_files() -> None:
    """Deterministic: the same file gets the same key in every process; different files
    get different keys."""
    keys = [fontembed.font_key(path.read_bytes()) for path in fonts.docx_face_files()]
    assert [face.key for face in fontembed.bundled_family().faces] == keys
    assert all(GUID.fullmatch(key) for key in keys)
    assert len(set(keys)) == len(keys)
    assert fontembed.font_key(b"x") == fontembed.font_key(b"x") != fontembed.font_key(b"y")


@pytest.mark.skipif(not SAMPLE_NAMES, reason="decisions/ has no case files")
def test_the_docx_embeds_the_four_faces_it_names(sample: Sample) -> None:
    faces = embedded_faces(sample.docx)
    assert sorted(faces) == sorted(SLOTS)
    for slot, (name, part, recovered) in faces.items():
        assert name == "Source Sans Pro"
        assert re.fullmatch(r"word/fonts/font\d\.odttf", part), part
        assert recovered == FACE_FILES[SLOTS[slot]].read_bytes(), slot
    assert len({part for _, part, _ in faces.values()}) == 4
    types = xml(sample.docx, "[Content_Types].xml")
    overrides = {o.get("PartName"): o.get("ContentType") for o in types.iter(f"{CT}Override")}
    assert {overrides[f"/{part}"] for _, part, _ in faces.values()} == {OBFUSCATED}
    settings = xml(sample.docx, "word/settings.xml")
    assert settings.find(f"{W}embedTrueTypeFonts") is not None
    # Whole fonts, so whoever edits the document can type any character the family has.
    assert settings.find(f"{W}saveSubsetFonts") is None
    with zipfile.ZipFile(io.BytesIO(sample.docx)) as archive:
        assert archive.testzip() is None
        for name in archive.namelist():
            if name.endswith(".odttf"):
                assert archive.getinfo(name).compress_type == zipfile.ZIP_DEFLATED


def test_settings_keep_the_schema_order() -> None:
    """w:embedTrueTypeFonts sits where CT_Settings puts it: after w:zoom, before
    w:proofState (what the reference has around it)."""
    built = _one_built()
    settings = xml(DocxRenderer().render(built.document, built.style), "word/settings.xml")
    tags = [etree.QName(child).localname for child in settings]
    assert tags.index("zoom") + 1 == tags.index("embedTrueTypeFonts")
    assert tags.index("embedTrueTypeFonts") + 1 == tags.index("proofState")


def _one_built() -> Built:
    return build(Arende.model_validate(base_case()))


def test_a_font_beslutsgen_does_not_ship_is_named_and_not_embedded() -> None:
    renderer = DocxRenderer()
    built = _one_built()
    embedded = renderer.render(built.document, built.style)
    arial = replace(built.style, docx_font="Arial")
    named = renderer.render(built.document, arial)
    with zipfile.ZipFile(io.BytesIO(named)) as archive:
        names = archive.namelist()
        font_table = archive.read("word/fontTable.xml")
        table_rels = "word/_rels/fontTable.xml.rels" in names
    assert [n for n in names if n.startswith("word/fonts/")] == []
    assert not table_rels
    with zipfile.ZipFile(BUNDLED_REFERENCE) as reference:
        assert font_table == reference.read("word/fontTable.xml")
    assert xml(named, "word/settings.xml").find(f"{W}embedTrueTypeFonts") is None
    assert embedded_faces(named) == {}
    fonts_named = {
        value
        for part in ("word/styles.xml", "word/numbering.xml")
        for el in xml(named, part).iter(f"{W}rFonts")
        for key, value in el.attrib.items()
        if etree.QName(key).localname in ("ascii", "hAnsi", "cs", "eastAsia")
    }
    assert fonts_named == {"Arial"}
    # And the renderer is back to embedding for the next document, byte for byte.
    assert renderer.render(built.document, built.style) == embedded
    # A profile that names the bundled family (in any case) embeds it too.
    spelled = replace(built.style, docx_font="source sans pro")
    assert sorted(embedded_faces(renderer.render(built.document, spelled))) == sorted(SLOTS)


def test_font_parts_are_deflated_once_per_process(monkeypatch: pytest.MonkeyPatch) -> None:
    """The ~800 KB of fonts are obfuscated and deflated once (fontembed.bundled_family is
    cached); rendering a document deflates only its own XML parts."""
    built = _one_built()
    renderer = DocxRenderer()
    first = renderer.render(built.document, built.style)
    deflated: list[str] = []
    real = ooxml.deflate

    def counting(name: str, blob: bytes) -> ooxml.Member:
        deflated.append(name)
        return real(name, blob)

    monkeypatch.setattr(ooxml, "deflate", counting)
    again = DocxRenderer().render(built.document, built.style)  # a second renderer, too
    assert again == first
    assert deflated and not [name for name in deflated if name.endswith(".odttf")]
    assert fontembed.bundled_family() is fontembed.bundled_family()
