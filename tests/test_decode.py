from __future__ import annotations

import codecs

import pytest

from reader.importing.decode import decode_bytes, looks_like_html
from reader.importing.types import ImportFailed

WESTERN = "“Smart quotes” at the café cost 5 € – naïve déjà vu, don’t."


def test_decodes_utf8() -> None:
    assert decode_bytes("Zürich — 東京 — Москва".encode()) == "Zürich — 東京 — Москва"


def test_decodes_utf8_with_bom_and_drops_the_bom() -> None:
    assert decode_bytes(codecs.BOM_UTF8 + "café".encode()) == "café"


@pytest.mark.parametrize("encoding", ["utf-16", "utf-16-le", "utf-16-be", "utf-32"])
def test_decodes_utf16_and_utf32_with_bom(encoding: str) -> None:
    bom = {"utf-16-le": codecs.BOM_UTF16_LE, "utf-16-be": codecs.BOM_UTF16_BE}.get(encoding, b"")
    data = bom + "Привет, café €\n".encode(encoding)
    assert decode_bytes(data) == "Привет, café €\n"


@pytest.mark.parametrize("encoding", ["utf-16-le", "utf-16-be"])
def test_decodes_utf16_without_bom(encoding: str) -> None:
    assert decode_bytes("A plain English article.\n".encode(encoding)) == (
        "A plain English article.\n"
    )


def test_decodes_windows_1252_without_declaration() -> None:
    assert decode_bytes(WESTERN.encode("cp1252")) == WESTERN


@pytest.mark.parametrize(
    "text",
    ["Il était une fois à Paris, l’été dernier.", "Müller sagte: Das Café ist groß.", "naïve"],
)
def test_decodes_short_western_text_as_windows_1252(text: str) -> None:
    assert decode_bytes(text.encode("cp1252")) == text


def test_decodes_latin1_without_declaration() -> None:
    text = "Señor Ñúñez paid £5 for crème brûlée; ¿qué? «oui» ±1°"
    assert decode_bytes(text.encode("latin-1")) == text


def test_reads_declared_latin1_as_windows_1252_like_browsers() -> None:
    assert decode_bytes(WESTERN.encode("cp1252"), declared_charset="ISO-8859-1") == WESTERN


def test_declared_charset_wins_over_guessing() -> None:
    text = "Привет, как дела?"
    assert decode_bytes(text.encode("koi8-r"), declared_charset="koi8-r") == text


@pytest.mark.parametrize("declared", ["us-ascii", "iso-8859-1", "windows-1252"])
def test_utf8_mislabelled_with_a_server_default_charset_is_read_as_utf8(declared: str) -> None:
    assert decode_bytes("café €".encode(), declared_charset=declared) == "café €"


def test_wrong_declared_charset_falls_back_to_the_content() -> None:
    assert decode_bytes(WESTERN.encode("cp1252"), declared_charset="utf-8") == WESTERN


def test_unknown_declared_charset_is_ignored() -> None:
    assert decode_bytes("café".encode(), declared_charset="no-such-charset") == "café"


def test_byte_order_mark_wins_over_declared_charset() -> None:
    data = codecs.BOM_UTF8 + "café".encode()
    assert decode_bytes(data, declared_charset="windows-1252") == "café"


def test_decodes_meta_charset_of_html() -> None:
    page = '<html><head><meta charset="windows-1251"></head><body><p>Привет, мир</p></body></html>'
    assert decode_bytes(page.encode("cp1251")) == page


def test_decodes_http_equiv_content_type_of_html() -> None:
    page = (
        '<html><head><meta http-equiv="Content-Type" content="text/html; charset=koi8-r">'
        "</head><body><p>Привет, мир</p></body></html>"
    )
    assert decode_bytes(page.encode("koi8-r")) == page


def test_meta_charset_is_ignored_in_plain_text() -> None:
    text = "Notes: the page used charset=koi8-r\nand café."
    assert decode_bytes(text.encode()) == text


def test_decodes_undeclared_cyrillic_legacy_text() -> None:
    text = "Министерство иностранных дел России заявило, что переговоры продолжатся."
    assert decode_bytes(text.encode("cp1251")) == text


def test_normalizes_line_endings() -> None:
    assert decode_bytes(b"one\r\ntwo\rthree\n") == "one\ntwo\nthree\n"


@pytest.mark.parametrize(
    "data", [b"", b"   ", b" \r\n\t\n", codecs.BOM_UTF8, codecs.BOM_UTF8 + b"\n"]
)
def test_refuses_empty_or_whitespace_only_input(data: bytes) -> None:
    with pytest.raises(ImportFailed, match="empty"):
        decode_bytes(data, filename="article.txt")


@pytest.mark.parametrize(
    ("data", "kind"),
    [
        (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", "PNG image"),
        (b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj", "PDF document"),
        (b"PK\x03\x04\x14\x00\x06\x00", "ZIP archive"),
        (b"\xff\xd8\xff\xe0\x00\x10JFIF", "JPEG image"),
        (b"GIF89a\x01\x00\x01\x00", "GIF image"),
        (b"The text\x00with a NUL\x00byte in\x00it\x01", "binary file"),
        (bytes(range(32)) * 20, "binary file"),
    ],
)
def test_refuses_binary_input(data: bytes, kind: str) -> None:
    with pytest.raises(ImportFailed, match=f"{kind}.*, not a text or HTML file"):
        decode_bytes(data, filename="upload.html")


def test_refusal_names_the_file() -> None:
    with pytest.raises(ImportFailed, match="“scan.html”"):
        decode_bytes(b"%PDF-1.4", filename="scan.html")


@pytest.mark.parametrize(
    "text",
    [
        "<!DOCTYPE html><html><body><p>x</p></body></html>",
        "\n  <html lang='en'><p>x</p></html>",
        "<!-- saved page --><html><body>x</body></html>",
        "<div><p>A fragment of an article.</p></div>",
        '<?xml version="1.0"?><html xmlns="http://www.w3.org/1999/xhtml"></html>',
    ],
)
def test_recognizes_html(text: str) -> None:
    assert looks_like_html(text)


@pytest.mark.parametrize(
    "text",
    [
        "Just an article.\n\nWith two paragraphs.",
        "If a < b and b > c then a <> c.",
        "Use the <p> element for paragraphs.",
    ],
)
def test_recognizes_plain_text(text: str) -> None:
    assert not looks_like_html(text)
