"""``setup.cfg``: setuptools ``install_requires``, ``extras_require``, ``setup_requires`` and ``tests_require``."""

from __future__ import annotations

import configparser

from mlwarden.scanners.deps.model import Dependency, ParsedFile, Ticker
from mlwarden.scanners.deps.parsers.common import from_pep508, line_of, unparsable

__all__ = ["parse_setup_cfg"]

_KEYS = ("install_requires", "setup_requires", "tests_require")


def parse_setup_cfg(text: str, *, source: str, ticker: Ticker | None = None) -> ParsedFile:
    """Abstract dependencies of a setuptools project configured in ``setup.cfg``."""
    ticker = ticker or Ticker(where=source)
    out = ParsedFile(kind="setup.cfg")
    parser = configparser.ConfigParser(interpolation=None, strict=False)
    try:
        parser.read_string(text, source=source)
    except (configparser.Error, ValueError) as exc:
        out.issues.append(unparsable(source, getattr(exc, "lineno", None), "setup.cfg", str(exc).splitlines()[0]))
        return out
    values: list[str] = []
    if parser.has_section("options"):
        values += [parser.get("options", key) for key in _KEYS if parser.has_option("options", key)]
    if parser.has_section("options.extras_require"):
        values += [value for _, value in parser.items("options.extras_require")]
    lines = text.splitlines()
    for value in values:
        for item in (v.strip() for v in value.splitlines()):
            if not item or item.startswith("#"):
                continue
            ticker.tick()
            got = from_pep508(item, source=source, line=line_of(lines, item), abstract=True)
            if isinstance(got, Dependency):
                out.dependencies.append(got)
            else:
                out.issues.append(got)
    return out
