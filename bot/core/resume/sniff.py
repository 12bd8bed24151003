"""Recognise what a file really is from its first bytes, and decode plain text.

Extensions and MIME types come from the user's device and are only hints: a résumé
renamed to `.pdf` must be caught here, before any parser sees the bytes.
"""

from __future__ import annotations

import codecs

# (kind, human label) for binary formats we recognise but cannot read.
IMAGE_LABELS = {
    "png": "PNG image",
    "jpeg": "JPEG photo",
    "gif": "GIF image",
    "webp": "WebP image",
    "bmp": "BMP image",
    "tiff": "TIFF image",
    "heic": "HEIC photo",
    "ico": "icon image",
}
OTHER_LABELS = {
    "ole": "legacy Word (.doc) or other old Office file",
    "rtf": "Rich Text (.rtf) file",
    "gzip": "compressed archive",
    "rar": "RAR archive",
    "7z": "7-Zip archive",
    "exe": "program file",
    "binary": "binary file",
}


def sniff_kind(data: bytes) -> str:
    """Return "empty", "pdf", "zip", "text", an IMAGE_LABELS key or an OTHER_LABELS key."""
    if not data or not data.strip():
        return "empty"
    head = data[:32]
    if head.startswith(b"\x89PNG\r\n\x1a\n"):
        return "png"
    if head.startswith(b"\xff\xd8\xff"):
        return "jpeg"
    if head.startswith((b"GIF87a", b"GIF89a")):
        return "gif"
    if head.startswith(b"RIFF") and head[8:12] == b"WEBP":
        return "webp"
    if head.startswith(b"BM") and len(data) > 26 and head[6:10] == b"\0\0\0\0":
        return "bmp"
    if head.startswith((b"II*\x00", b"MM\x00*")):
        return "tiff"
    if head[4:8] == b"ftyp" and head[8:12] in (
        b"heic",
        b"heix",
        b"mif1",
        b"msf1",
        b"avif",
        b"hevc",
    ):
        return "heic"
    if head.startswith(b"\x00\x00\x01\x00") and len(data) > 22 and head[4:6] != b"\0\0":
        return "ico"
    # The PDF spec tolerates junk before the header, so look a little further in.
    if b"%PDF-" in data[:1024]:
        return "pdf"
    if head.startswith((b"PK\x03\x04", b"PK\x05\x06")):
        return "zip"
    if head.startswith(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"):
        return "ole"
    if head.startswith(b"{\\rtf"):
        return "rtf"
    if head.startswith(b"\x1f\x8b"):
        return "gzip"
    if head.startswith(b"Rar!"):
        return "rar"
    if head.startswith(b"7z\xbc\xaf\x27\x1c"):
        return "7z"
    if head.startswith((b"MZ", b"\x7fELF")):
        return "exe"
    return "text" if decode_text(data) is not None else "binary"


def _looks_like_text(text: str) -> bool:
    if not text.strip():
        return False
    sample = text[:20000]
    bad = sum(1 for ch in sample if (ord(ch) < 32 and ch not in "\n\r\t\f") or ch == "\ufffd")
    return bad <= max(2, len(sample) // 200)


def _utf16_without_bom(data: bytes) -> str | None:
    # ASCII-heavy UTF-16 has a zero in every other byte; pick the side the zeros are on.
    sample = data[:4000]
    if len(sample) < 4:
        return None
    even_zeros = sample[0::2].count(0) / max(1, len(sample[0::2]))
    odd_zeros = sample[1::2].count(0) / max(1, len(sample[1::2]))
    if odd_zeros > 0.3 and even_zeros < 0.05:
        encoding = "utf-16-le"
    elif even_zeros > 0.3 and odd_zeros < 0.05:
        encoding = "utf-16-be"
    else:
        return None
    try:
        return data.decode(encoding)
    except UnicodeDecodeError:
        return None


def decode_text(data: bytes) -> str | None:
    """Decode plain text: BOMs first, then UTF-8, UTF-16 without BOM, then Windows-1252."""
    candidates: list[str | None] = []
    if data.startswith(codecs.BOM_UTF8):
        candidates.append(_try(data[3:], "utf-8"))
    elif data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        candidates.append(_try(data, "utf-16"))
    else:
        candidates.append(_try(data, "utf-8"))
        candidates.append(_utf16_without_bom(data))
        if b"\x00" not in data[:4000]:
            # cp1252 maps almost every byte, so only accept it when the result reads as text.
            candidates.append(_try(data, "cp1252"))
    for text in candidates:
        if text is not None and _looks_like_text(text):
            return text.replace("\r\n", "\n").replace("\r", "\n")
    return None


def _try(data: bytes, encoding: str) -> str | None:
    try:
        return data.decode(encoding)
    except UnicodeDecodeError:
        return None
