"""Bytes of a document -> str: UTF-8, then the declared charset, then cp1252 when it is clean
(a few stray control characters are removed; many mean binary).

Raises BinaryInputError for NUL bytes and InputError for bytes no candidate decodes as text.
"""

from __future__ import annotations

import codecs
import re

from ..errors import BinaryInputError, InputError

_DECLARED = re.compile(
    rb"""(?:<meta[^>]+charset\s*=\s*["']?|<\?xml[^>]+encoding\s*=\s*["'])([A-Za-z0-9_.:-]{1,40})""",
    re.IGNORECASE,
)
_BOMS = ((codecs.BOM_UTF8, "utf-8-sig"), (codecs.BOM_UTF16_LE, "utf-16"), (codecs.BOM_UTF16_BE, "utf-16"))
# C0 controls other than tab, newline, carriage return and form feed do not occur in text
# (a character class body, shared with the HTML reader, which also drops what XML cannot hold).
C0_CONTROLS = "\x00-\x08\x0b\x0e-\x1f"
_CONTROL = re.compile(f"[{C0_CONTROLS}\x7f]")


def declared_charset(data: bytes, header: str | None = None) -> str | None:
    """The charset a Content-Type header or the document's own head declares."""
    if header:
        match = re.search(r"charset\s*=\s*[\"']?([A-Za-z0-9_.:-]+)", header, re.IGNORECASE)
        if match:
            return match.group(1)
    found = _DECLARED.search(data[:4096])
    return found.group(1).decode("ascii") if found else None


def _try(data: bytes, encoding: str) -> str | None:
    """``data`` as text in ``encoding``, stray control characters removed; None when it does
    not decode or control characters are dense (binary that happens to decode)."""
    try:
        text = data.decode(encoding)
    except (UnicodeDecodeError, LookupError):
        return None
    # real articles carry the odd stray control (an escape pasted from a terminal)
    cleaned, controls = _CONTROL.subn("", text)
    return cleaned if controls <= max(4, len(text) // 1000) else None


def decode_text(data: bytes, *, subject: str, charset: str | None = None) -> str:
    """Text of ``data``; ``charset`` is the one declared outside the bytes (an HTTP header)."""
    for bom, encoding in _BOMS:
        if data.startswith(bom):
            text = _try(data, encoding)
            if text is not None:
                return text
    if b"\x00" in data:
        raise BinaryInputError("binary content (NUL bytes), not text", subject=subject)
    for candidate in ("utf-8", declared_charset(data, charset), "cp1252"):
        decoded = _try(data, candidate) if candidate else None
        if decoded is not None:
            return decoded
    raise InputError("not valid UTF-8 and no declared charset decodes it", subject=subject)
