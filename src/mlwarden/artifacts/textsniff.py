"""Telling text formats apart: content first, the file name only as a tiebreak.

Bytes alone cannot separate a ``requirements.txt`` from a list of words, or a ``.env`` from a TOML
file, so after the unambiguous content checks (notebook, JSON, JSONL) a recognised *name* decides
among the text formats, and only then the weaker content heuristics. Every pattern here is anchored
and free of nested quantifiers, so it runs in linear time on untrusted input.
"""

from __future__ import annotations

import configparser
import csv
import fnmatch
import json
import re
import tomllib
import unicodedata

from mlwarden.artifacts.encoding import guess_encoding
from mlwarden.artifacts.formats import Format

__all__ = ["decode_text", "name_hint", "sniff_text"]

_NAME_HINTS: tuple[tuple[str, Format], ...] = (
    ("*.ipynb", Format.NOTEBOOK),
    ("*.py", Format.PYTHON),  # before "dockerfile*": dockerfile.py is Python
    ("*.pyw", Format.PYTHON),
    ("requirements*.txt", Format.REQUIREMENTS),
    ("requirements*.in", Format.REQUIREMENTS),
    ("constraints*.txt", Format.REQUIREMENTS),
    ("dockerfile*", Format.DOCKERFILE),
    ("*.dockerfile", Format.DOCKERFILE),
    ("containerfile*", Format.DOCKERFILE),
    (".env", Format.DOTENV),
    (".env.*", Format.DOTENV),
    ("*.env", Format.DOTENV),
    ("*.jsonl", Format.JSONL),
    ("*.ndjson", Format.JSONL),
    ("*.json", Format.JSON),
    ("*.yaml", Format.YAML),
    ("*.yml", Format.YAML),
    ("*.toml", Format.TOML),
    ("*.ini", Format.INI),
    ("*.cfg", Format.INI),
    ("*.conf", Format.INI),
    ("*.csv", Format.CSV),
    ("*.tsv", Format.TSV),
)

_PY_LINE = re.compile(r"^(?:import [\w.]+|from [\w.]+ import |def \w+\(|class \w+[(:]|if __name__ ==|@\w)")
_DOTENV_LINE = re.compile(r"^(?:export )?[A-Za-z_][A-Za-z0-9_]*=")
_YAML_LINE = re.compile(r"^ *(?:- |[\w\"'][\w.\"' -]*: |[\w\"'][\w.\"' -]*:$|#|---|\.\.\.)")
_REQ_LINE = re.compile(
    r"^(?:-[rcei] |--[a-z-]+|[A-Za-z0-9][A-Za-z0-9._-]*(?:\[[\w,. -]*\])? *(?:[=<>!~]=|[<>]|@ |;|$))"
)
_INSTRUCTION = re.compile(r"^[A-Z]+ ")
_DOCKER_FROM = re.compile(r"^(?:FROM|ARG) \S", re.IGNORECASE)
_NOTEBOOK_START = re.compile(r'\{\s*"cells"\s*:\s*\[\s*(?:\{|\])')
_NOT_TEXT = frozenset({"Cc", "Cn", "Co", "Cs"})  # controls, unassigned, private use, lone surrogates
_CONTROL = bytes(sorted(set(range(32)) - {9, 10, 12, 13, 27})) + b"\x7f"


def name_hint(name: str) -> Format | None:
    """The text format a file name suggests (case-insensitive), or None."""
    base = name.replace("\\", "/").rsplit("/", 1)[-1].lower()
    for pattern, fmt in _NAME_HINTS:
        if fnmatch.fnmatchcase(base, pattern):
            return fmt
    return None


def _decode_utf16(head: bytes, *, truncated: bool) -> str | None:
    """A file that starts with a UTF-16 BOM (Windows editors, PowerShell redirects): its text, or None."""
    data = head[: len(head) - len(head) % 2] if truncated else head
    try:
        text = data.decode("utf-16")
    except UnicodeDecodeError as exc:
        if not truncated or exc.start < len(data) - 4:  # only a surrogate pair cut at the end is forgiven
            return None
        text = data[: exc.start].decode("utf-16")
    # Any byte pairs decode as UTF-16, so the plausibility test is on characters: random bytes after a
    # BOM give ~14% controls, unassigned, private-use or broken code points; real text almost none.
    sample = text[:4096]
    odd = sum(1 for ch in sample if unicodedata.category(ch) in _NOT_TEXT and ch not in "\t\n\r\f\x1b")
    return text if odd * 100 <= 3 * max(len(sample), 1) else None


def decode_text(head: bytes, *, truncated: bool) -> str | None:
    """``head`` as text when it is UTF-8 (or UTF-16 with a BOM, or Windows-1251) with few control characters."""
    if head.startswith((b"\xff\xfe", b"\xfe\xff")):
        return _decode_utf16(head, truncated=truncated)
    if b"\x00" in head:
        return None
    data = head.removeprefix(b"\xef\xbb\xbf")
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        if truncated and exc.start >= len(data) - 3:
            text = data[: exc.start].decode("utf-8", "replace")
        else:
            encoding = guess_encoding(data, truncated=truncated)
            text = data.decode(encoding, "replace")
            if encoding == "utf-8" and text.count("\ufffd") * 100 > max(len(text), 1):
                return None
    sample = data[:8192]
    controls = len(sample) - len(sample.translate(None, _CONTROL))
    return text if controls * 100 <= max(len(sample), 1) else None


def _json_kind(text: str, lines: list[str], *, truncated: bool) -> Format | None:
    stripped = text.lstrip()
    if not stripped.startswith(("{", "[")):
        return None
    if stripped.startswith("{") and '"cells"' in text and ('"nbformat"' in text or _NOTEBOOK_START.match(stripped)):
        return Format.NOTEBOOK  # Jupyter writes "nbformat" last: a large notebook starts with its cells
    if not truncated and _loads(stripped):
        return Format.JSON
    records = [line for line in lines if line.strip()]
    if len(records) >= 2 and all(_loads(line) for line in records[:50]):
        return Format.JSONL
    return Format.JSON if truncated else None


def _loads(text: str) -> bool:
    try:
        json.loads(text)
    except (ValueError, RecursionError):
        return False
    return True


def _significant(lines: list[str]) -> list[str]:
    return [line for line in lines[:400] if line.strip() and not line.lstrip().startswith("#")][:200]


def _share(lines: list[str], pattern: re.Pattern[str]) -> float:
    return sum(1 for line in lines if pattern.match(line)) / len(lines) if lines else 0.0


def _config_kind(text: str, lines: list[str], *, truncated: bool) -> Format | None:
    if not truncated and any("=" in line for line in lines):
        try:
            tomllib.loads(text)
        except (tomllib.TOMLDecodeError, RecursionError, ValueError):
            pass
        else:
            return Format.TOML if any(line.startswith("[") for line in lines) else None
    if lines and lines[0].startswith("[") and lines[0].rstrip().endswith("]"):
        parser = configparser.ConfigParser(interpolation=None, strict=False)
        try:
            parser.read_string(text if not truncated else "\n".join(lines[:-1]))
        except (configparser.Error, ValueError):
            return None
        return Format.INI if parser.sections() else None
    return None


def _table_kind(lines: list[str]) -> Format | None:
    rows = [line for line in lines[:50] if line.strip()]
    if len(rows) < 2:
        return None
    for delimiter, fmt in (("\t", Format.TSV), (",", Format.CSV), (";", Format.CSV)):
        widths = {len(row) for row in csv.reader(rows, delimiter=delimiter)}
        if len(widths) == 1 and widths.pop() > 1:
            return fmt
    return None


def _line_kind(lines: list[str]) -> Format | None:
    sig = _significant(lines)
    if not sig:
        return None
    joined = "".join(sig[:20])
    if _DOCKER_FROM.match(sig[0]) and _share(sig, _INSTRUCTION) > 0.5:
        return Format.DOCKERFILE
    if _share(sig, _PY_LINE) >= 0.2:
        return Format.PYTHON
    if _share(sig, _DOTENV_LINE) == 1.0 and all(line.split("=", 1)[0].isupper() for line in sig):
        return Format.DOTENV
    if len(sig) >= 2 and ": " in joined and _share(sig, _YAML_LINE) >= 0.6:
        return Format.YAML
    if any(op in joined for op in ("==", ">=", "~=")) and _share(sig, _REQ_LINE) == 1.0:
        return Format.REQUIREMENTS
    return None


def sniff_text(head: bytes, *, name: str, truncated: bool) -> Format | None:
    """The text format of ``head``, or None when it is not text at all."""
    text = decode_text(head, truncated=truncated)
    if text is None:
        return None
    lines = text.splitlines()
    if truncated and len(lines) > 1:
        lines = lines[:-1]
    strong = _json_kind(text, lines, truncated=truncated)
    if strong is not None:
        return strong
    hint = name_hint(name)
    if hint is not None and hint not in (Format.JSON, Format.NOTEBOOK):
        return hint
    if text.startswith("#!") and "python" in lines[0]:
        return Format.PYTHON
    return _config_kind(text, lines, truncated=truncated) or _line_kind(lines) or _table_kind(lines) or Format.TEXT
