"""The dependency scanner: recognise a dependency file by name (or content), parse it, check it.

It subscribes to every text format a dependency file can be sniffed as, and returns at once for any
other file, so it costs a string comparison on the rest of the tree.
"""

from __future__ import annotations

import fnmatch
import os
import posixpath
from collections.abc import Iterator
from pathlib import Path
from typing import ClassVar

from mlwarden.artifacts.artifact import Artifact
from mlwarden.artifacts.formats import Format
from mlwarden.core.findings import Finding
from mlwarden.core.rules import Rule
from mlwarden.scanners.base import ScanContext
from mlwarden.scanners.deps.checks import Reporter, dependency_findings, vulnerability_findings
from mlwarden.scanners.deps.model import ParsedFile, Ticker
from mlwarden.scanners.deps.parsers.conda_env import parse_conda_env
from mlwarden.scanners.deps.parsers.pipfile_lock import parse_pipfile_lock
from mlwarden.scanners.deps.parsers.poetry_lock import parse_poetry_lock
from mlwarden.scanners.deps.parsers.pyproject import parse_pyproject
from mlwarden.scanners.deps.parsers.requirements import Included, IncludeReader, IncludeRefused, parse_requirements
from mlwarden.scanners.deps.parsers.setup_cfg import parse_setup_cfg
from mlwarden.scanners.deps.parsers.uv_lock import parse_uv_lock
from mlwarden.scanners.deps.rules import DEP_RULES
from mlwarden.scanners.deps.sources import vuln_source

__all__ = ["DependencyScanner", "identify"]

_BY_NAME = {
    "pyproject.toml": "pyproject",
    "poetry.lock": "poetry.lock",
    "uv.lock": "uv.lock",
    "pipfile.lock": "pipfile.lock",
    "setup.cfg": "setup.cfg",
}
_CONDA_NAMES = ("environment*.yml", "environment*.yaml", "conda*.yml", "conda*.yaml")
_REQ_NAMES = ("*requirements*.txt", "*requirements*.in", "*constraints*.txt")
_ROOT_MARKERS = (".git", "mlwarden.yaml")


def identify(artifact: Artifact, head: bytes = b"") -> str | None:
    """The dependency-file kind of an artifact, or None: by base name, then (YAML only) by content."""
    base = artifact.basename.lower()
    if base in _BY_NAME:
        return _BY_NAME[base]
    if any(fnmatch.fnmatchcase(base, p) for p in _CONDA_NAMES):
        return "conda"
    if artifact.format is Format.REQUIREMENTS or (
        artifact.format is Format.TEXT and any(fnmatch.fnmatchcase(base, p) for p in _REQ_NAMES)
    ):
        return "requirements"
    if artifact.format is Format.YAML and head and b"\ndependencies:" in b"\n" + head:
        return "conda" if b"channels:" in head or b"- pip:" in head else None
    return None


def _root(artifact: Artifact, option: object) -> Path | None:
    """Where includes may be read from: the ``include_root`` option, else the nearest project root."""
    if artifact.fs_path is None:
        return None
    if option:
        return Path(str(option)).resolve()
    here = artifact.fs_path.resolve().parent
    for folder in (here, *here.parents):
        if any((folder / marker).exists() for marker in _ROOT_MARKERS):
            return folder
    return here


def _reader(artifact: Artifact, root: Path, limit: int) -> IncludeReader:
    start_dir = artifact.path.replace("\\", "/").rsplit("/", 1)[0] if "/" in artifact.path else ""
    anchor = artifact.fs_path.resolve().parent if artifact.fs_path else root

    def read(ref: str, parent: str) -> Included:
        target = (Path(parent).parent / ref).resolve()
        if target != root and root not in target.parents:
            raise IncludeRefused("include-outside", f"{ref} resolves outside the scan root {root}; it was not read")
        if not target.is_file():
            raise IncludeRefused("include-missing", f"included file {ref} does not exist")
        if target.stat().st_size > limit:
            raise IncludeRefused("include-depth", f"included file {ref} is larger than {limit} bytes; not read")
        relative = os.path.relpath(target, anchor).replace(os.sep, "/")
        display = posixpath.normpath(f"{start_dir}/{relative}" if start_dir else relative)
        return Included(display, str(target), target.read_text(encoding="utf-8", errors="replace"))

    return read


class DependencyScanner:
    """requirements*.txt, pyproject.toml, poetry.lock, uv.lock, Pipfile.lock, environment.yml, setup.cfg."""

    name: ClassVar[str] = "dependencies"
    version: ClassVar[int] = 1
    formats: ClassVar[frozenset[Format]] = frozenset(
        {Format.REQUIREMENTS, Format.TOML, Format.YAML, Format.INI, Format.JSON, Format.TEXT}
    )
    extra: ClassVar[str | None] = None
    rules: ClassVar[tuple[Rule, ...]] = DEP_RULES

    def scan(self, artifact: Artifact, ctx: ScanContext) -> Iterator[Finding]:
        """Parse the file if it is a dependency file, and yield its findings."""
        head = b""
        if artifact.format is Format.YAML and artifact.basename.lower() not in _BY_NAME:
            with artifact.open() as stream:
                head = stream.read(4096)
        kind = identify(artifact, head)
        if kind is None:
            return
        limit = ctx.budget.max_text_bytes
        with artifact.open() as stream:
            raw = stream.read(limit + 1)
        ctx.budget.check("text_bytes", len(raw), where=artifact.display)
        text = raw.decode("utf-8", errors="replace").removeprefix("\ufeff")
        parsed = self._parse(kind, text, artifact, ctx)
        report = Reporter(artifact, self.name, self.version)
        yield from dependency_findings(parsed, report, typosquats=bool(ctx.option("typosquat", True)))
        source = vuln_source(ctx.options)
        if source is not None:
            yield from vulnerability_findings(parsed, source, report)

    def _parse(self, kind: str, text: str, artifact: Artifact, ctx: ScanContext) -> ParsedFile:
        ticker = Ticker(
            deadline=ctx.deadline, where=artifact.display, max_entries=int(ctx.option("max_entries", 200_000))
        )
        source = artifact.path
        if kind in {"requirements", "conda"}:
            root = _root(artifact, ctx.option("include_root"))
            reader = _reader(artifact, root, ctx.budget.max_text_bytes) if root is not None else None
            identity = str(artifact.fs_path.resolve()) if artifact.fs_path else artifact.display
            if kind == "conda":
                return parse_conda_env(text, source=source, identity=identity, reader=reader, ticker=ticker)
            return parse_requirements(text, source=source, identity=identity, reader=reader, ticker=ticker)
        parsers = {
            "pyproject": parse_pyproject,
            "poetry.lock": parse_poetry_lock,
            "uv.lock": parse_uv_lock,
            "pipfile.lock": parse_pipfile_lock,
            "setup.cfg": parse_setup_cfg,
        }
        return parsers[kind](text, source=source, ticker=ticker)
