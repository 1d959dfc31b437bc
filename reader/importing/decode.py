"""Turn the bytes of an uploaded file or a fetched page into text, or refuse them.

The order follows what browsers do: a byte order mark wins, then the charset the
server declared, then a ``<meta charset>`` near the top of an HTML page, then
strict UTF-8. Undeclared legacy bytes are read as Windows-1252 (which browsers
also use for "Latin-1") unless the result is clearly not Western text, in which
case charset_normalizer gets to guess.
"""

from __future__ import annotations

import codecs
import re
import unicodedata

from reader.importing.types import ImportFailed

_BOMS = (
    (codecs.BOM_UTF8, "utf-8"),
    (codecs.BOM_UTF32_LE, "utf-32-le"),  # before UTF-16 LE: it starts with the same two bytes
    (codecs.BOM_UTF32_BE, "utf-32-be"),
    (codecs.BOM_UTF16_LE, "utf-16-le"),
    (codecs.BOM_UTF16_BE, "utf-16-be"),
)

_BINARY_SIGNATURES = (
    (b"%PDF-", "a PDF document"),
    (b"PK\x03\x04", "a ZIP archive (or a Word/ODF/EPUB document)"),
    (b"PK\x05\x06", "a ZIP archive"),
    (b"\x89PNG\r\n\x1a\n", "a PNG image"),
    (b"\xff\xd8\xff", "a JPEG image"),
    (b"GIF87a", "a GIF image"),
    (b"GIF89a", "a GIF image"),
    (b"\x1f\x8b", "a gzip archive"),
    (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1", "an old Microsoft Office document"),
    (b"{\\rtf", "an RTF document"),
    (b"Rar!\x1a\x07", "a RAR archive"),
    (b"7z\xbc\xaf\x27\x1c", "a 7-Zip archive"),
    (b"\x7fELF", "a program"),
    (b"II*\x00", "a TIFF image"),
    (b"MM\x00*", "a TIFF image"),
    (b"OggS", "an Ogg media file"),
    (b"fLaC", "a FLAC audio file"),
    (b"\x00\x00\x01\x00", "an icon"),
    (b"wOFF", "a web font"),
    (b"wOF2", "a web font"),
    (b"SQLite format 3\x00", "an SQLite database"),
)

# Windows-1252 leaves five bytes undefined; browsers map them to the C1 controls
# of the same value, and so do we instead of failing.
_WINDOWS_1252_TABLE = "".join(
    bytes([byte]).decode("cp1252", errors="ignore") or chr(byte) for byte in range(256)
)
# Labels that browsers read as Windows-1252 because real pages mislabel it so.
_WINDOWS_1252_ALIASES = {"latin_1", "iso8859_1", "ascii", "cp1252"}

_META_CHARSET = re.compile(
    rb"""<meta\b[^>]*?\bcharset\s*=\s*["']?\s*([A-Za-z0-9._:\-]+)""", re.IGNORECASE
)
_XML_ENCODING = re.compile(rb"""^<\?xml\b[^>]*?\bencoding\s*=\s*["']([A-Za-z0-9._\-]+)["']""")
_HTML_START = re.compile(
    r"^\s*(?:<!--.*?-->\s*)*<(?:!doctype\s+html|html|head|body)\b", re.I | re.S
)
_HTML_TAG = re.compile(
    r"</?(?:html|head|body|title|meta|link|script|style|p|div|span|article|section|main|header|"
    r"footer|nav|h[1-6]|br|hr|a|em|strong|b|i|ul|ol|li|table|tr|td|img|figure|figcaption|"
    r"blockquote)(?:\s[^<>]*)?/?>",
    re.IGNORECASE,
)
_PERMITTED_CONTROLS = {"\t", "\n", "\r", "\f", "\v", "\x1b"}
# Typographic characters that sit inside words in ordinary Western text ("don’t").
_WORD_INNER_PUNCTUATION = set("’'‑-·")
_SNIFF_BYTES = 8192
_META_SCAN_BYTES = 2048


def decode_bytes(data: bytes, *, declared_charset: str | None = None, filename: str = "") -> str:
    """Decode an input file or page to text with ``\\n`` line endings, or raise ImportFailed."""
    name = f"“{filename}”" if filename else "The file"
    if not data.strip():
        raise ImportFailed(f"{name} is empty." if filename else "The file is empty.")

    encoding = _bom_encoding(data)
    if encoding is None:
        kind = binary_kind(
            data, wide=(_codec_name(declared_charset) or "").startswith(("utf_16", "utf_32"))
        )
        if kind:
            raise ImportFailed(
                f"{name} looks like {kind}, not a text or HTML file; "
                "save the article as HTML or plain text and import that."
            )
    text = _decode(data, encoding, declared_charset, filename)
    text = text.removeprefix("\ufeff").replace("\r\n", "\n").replace("\r", "\n")
    if not text.strip():
        raise ImportFailed(f"{name} is empty." if filename else "The file is empty.")
    if _control_share(text) > 0.05:
        raise ImportFailed(
            f"{name} does not look like a text or HTML file "
            "(it is full of control characters); import the article as HTML or plain text."
        )
    return text


def looks_like_html(text: str) -> bool:
    """Whether text is an HTML document or fragment rather than plain prose."""
    head = text[:_SNIFF_BYTES].lstrip("\ufeff")
    if _HTML_START.match(head):
        return True
    if re.match(r"^\s*<\?xml\b", head) and re.search(r"<html\b", head, re.I):
        return True
    return len(_HTML_TAG.findall(head)) >= 2


def _decode(data: bytes, bom_encoding: str | None, declared: str | None, filename: str) -> str:
    if bom_encoding:
        return data.decode(bom_encoding, errors="replace")
    for label in (declared, _in_document_charset(data, filename)):
        encoding = _codec_name(label)
        if encoding is None:
            continue
        try:
            return _decode_with(data, encoding)
        except UnicodeDecodeError:
            continue  # a wrong declaration is common; fall through to sniffing
    utf16 = _bomless_utf16(data) if b"\x00" in data[:_SNIFF_BYTES] else None
    if utf16 is not None:
        return utf16
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        pass
    return _decode_legacy(data)


def _bom_encoding(data: bytes) -> str | None:
    for bom, encoding in _BOMS:
        if data.startswith(bom):
            return encoding
    return None


def binary_kind(data: bytes, *, wide: bool = False) -> str | None:
    """What binary format data is in, or None for text. ``wide``: declared UTF-16/32."""
    for signature, kind in _BINARY_SIGNATURES:
        if data.startswith(signature):
            return kind
    head = data[:_SNIFF_BYTES]
    if wide:
        return None  # NUL bytes are expected; the decoded text is checked instead
    if b"\x00" in head:
        return None if _bomless_utf16(data) is not None else "a binary file"
    controls = sum(1 for byte in head if byte < 0x20 and byte not in b"\t\n\r\f\v\x1b")
    if controls > len(head) * 0.05:
        return "a binary file"
    return None


def _bomless_utf16(data: bytes) -> str | None:
    """UTF-16 without a byte order mark: NUL in every other byte of mostly-ASCII text."""
    head = data[: _SNIFF_BYTES - _SNIFF_BYTES % 2]
    if len(head) < 4 or len(data) % 2:
        return None
    even_nuls = head[0::2].count(0)
    odd_nuls = head[1::2].count(0)
    half = len(head) // 2
    if odd_nuls > half * 0.6 and even_nuls == 0:
        encoding = "utf-16-le"
    elif even_nuls > half * 0.6 and odd_nuls == 0:
        encoding = "utf-16-be"
    else:
        return None
    try:
        text = data.decode(encoding)
    except UnicodeDecodeError:
        return None
    return text if _control_share(text) <= 0.05 else None


def _in_document_charset(data: bytes, filename: str) -> str | None:
    head = data[:_META_SCAN_BYTES]
    xml = _XML_ENCODING.match(head.lstrip())
    is_html = filename.lower().endswith((".html", ".htm", ".xhtml")) or looks_like_html(
        head.decode("latin-1")
    )
    if not (xml or is_html):
        return None
    label = xml.group(1) if xml else None
    meta = _META_CHARSET.search(head) if is_html else None
    if meta:
        label = meta.group(1)
    if label is None:
        return None
    name = label.decode("ascii", errors="ignore")
    # Bytes we could read as ASCII cannot be UTF-16; the HTML standard reads this as UTF-8.
    if (_codec_name(name) or "").startswith(("utf_16", "utf_32")):
        return "utf-8"
    return name


def _codec_name(label: str | None) -> str | None:
    if not label:
        return None
    try:
        return codecs.lookup(label.strip().strip("\"'")).name.replace("-", "_")
    except LookupError:
        return None


def _decode_with(data: bytes, codec: str) -> str:
    if codec in _WINDOWS_1252_ALIASES:
        # Servers often label UTF-8 pages with their default "ISO-8859-1"; valid
        # multi-byte UTF-8 almost never occurs in real Windows-1252 text.
        try:
            return data.decode("utf-8")
        except UnicodeDecodeError:
            return _decode_windows_1252(data)
    return data.decode(codec)


def _decode_windows_1252(data: bytes) -> str:
    return codecs.charmap_decode(data, "strict", _WINDOWS_1252_TABLE)[0]


def _decode_legacy(data: bytes) -> str:
    western = _decode_windows_1252(data)
    if _plausible_western(western):
        return western
    try:
        from charset_normalizer import from_bytes
    except ImportError:
        return western
    best = from_bytes(data).best()
    if best is None or not best.encoding:
        return western
    return str(best)


def _plausible_western(text: str) -> bool:
    """Whether text read as Windows-1252 looks like a Western language and not mojibake.

    Cyrillic, Greek or Central European bytes read as Windows-1252 give words made
    mostly of accented letters, or symbols such as ³ and ¹ inside words.
    """
    letters = [char for char in text if char.isalpha()]
    if not letters:
        return True
    non_ascii = sum(1 for char in letters if not char.isascii())
    if non_ascii > len(letters) * 0.3:
        return False
    inside_word_symbols = 0
    for before, char, after in zip(text, text[1:], text[2:], strict=False):
        if (
            not char.isascii()
            and not char.isalpha()
            and char not in _WORD_INNER_PUNCTUATION
            and before.isalpha()
            and after.isalpha()
        ):
            inside_word_symbols += 1
    return inside_word_symbols <= max(1, non_ascii // 20)


def _control_share(text: str) -> float:
    sample = text[:_SNIFF_BYTES]
    if not sample:
        return 0.0
    controls = sum(
        1
        for char in sample
        if char not in _PERMITTED_CONTROLS and unicodedata.category(char) in ("Cc", "Cs")
    )
    if "\x00" in sample:
        return 1.0
    return controls / len(sample)
