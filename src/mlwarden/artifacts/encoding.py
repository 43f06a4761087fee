"""Which text encoding a file uses: UTF-8 (with or without BOM), UTF-16 with BOM, or Windows-1251.

Russian CSV exports and configs from older Windows tools are often in Windows-1251; read as UTF-8
they become replacement characters, and every Cyrillic name, address or passport label in them
would pass unseen. A UTF-8 file with a few broken bytes is still UTF-8.
"""

from __future__ import annotations

__all__ = ["decode_bytes", "guess_encoding"]

_MAX_INVALID_PERCENT = 1
_CP1251_CYRILLIC = frozenset(range(0xC0, 0x100)) | {0xA8, 0xB8}  # А..я, Ё, ё


def _invalid_utf8_percent(sample: bytes) -> float:
    text = sample.decode("utf-8", "replace")
    bad = text.count("\ufffd") - sample.decode("utf-8", "ignore").count("\ufffd")
    return 100.0 * bad / max(len(text), 1)


def _looks_cp1251(sample: bytes) -> bool:
    """Most high bytes are Cyrillic letters of Windows-1251 and there is enough of them to judge."""
    high = [byte for byte in sample if byte >= 0x80]
    if len(high) < 8:
        return False
    cyrillic = sum(1 for byte in high if byte in _CP1251_CYRILLIC)
    return cyrillic * 100 >= len(high) * 90


def guess_encoding(sample: bytes, *, truncated: bool = True) -> str:
    """A Python codec name for ``sample`` (the first bytes of a file); ``utf-8`` unless evidence says otherwise."""
    if sample.startswith(b"\xef\xbb\xbf"):
        return "utf-8-sig"
    if sample.startswith((b"\xff\xfe", b"\xfe\xff")):
        return "utf-16"
    body = sample[:-3] if truncated else sample  # a multi-byte character may be cut at the end
    try:
        body.decode("utf-8")
    except UnicodeDecodeError:
        if _invalid_utf8_percent(body) > _MAX_INVALID_PERCENT and _looks_cp1251(body):
            return "cp1251"
    return "utf-8"


def decode_bytes(data: bytes, *, encoding: str | None = None) -> str:
    """``data`` as text in its guessed (or the given) encoding; undecodable bytes become U+FFFD."""
    return data.decode(encoding or guess_encoding(data, truncated=False), "replace")
