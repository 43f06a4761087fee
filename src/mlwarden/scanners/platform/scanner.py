"""The platform scanner: Dockerfiles, Kubernetes manifests, docker-compose files and CI pipelines.

It is registered for every YAML file, so it decides from the path and the first 64 KiB, without parsing,
whether a YAML file is one it knows and returns at once otherwise. Known files are read whole (up to
``max_yaml_bytes``), split into documents and parsed with the bounded loader: a malformed or alias-bomb
document is a finding and the other documents are still checked. Unrendered Helm templates (text with
``{{``) that do not parse are not manifests yet: they are skipped with one informational note per file.
TorchServe ``*.properties`` files (text) are read for the management API settings only.

Text is decoded the way every other text scanner decodes it (UTF-8 with or without BOM, UTF-16 with BOM,
Windows-1251), so a BOM or a Cyrillic comment does not hide a manifest.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import ClassVar

from mlwarden.artifacts.artifact import Artifact
from mlwarden.artifacts.encoding import decode_bytes
from mlwarden.artifacts.formats import Format
from mlwarden.core.errors import BudgetExceeded
from mlwarden.core.findings import Finding, Severity
from mlwarden.core.rules import Rule
from mlwarden.scanners.base import ScanContext
from mlwarden.scanners.platform import rules as R
from mlwarden.scanners.platform.ci import is_github, scan_github
from mlwarden.scanners.platform.ci_gitlab import scan_gitlab
from mlwarden.scanners.platform.common import Emit
from mlwarden.scanners.platform.compose import is_compose, scan_compose
from mlwarden.scanners.platform.dockerfile import scan_dockerfile
from mlwarden.scanners.platform.kubernetes import scan_kubernetes
from mlwarden.scanners.platform.mlserve import scan_properties
from mlwarden.scanners.platform.yaml_docs import Doc, DocError, YamlKind, iter_documents, yaml_kind

__all__ = ["PlatformScanner"]

_HEAD = 64 * 1024
_MAX_YAML_BYTES = 16 * 1024 * 1024
_MAX_DOCKERFILE_BYTES = 4 * 1024 * 1024
_MALFORMED: dict[YamlKind, Rule] = {
    YamlKind.KUBERNETES: R.K8S_MALFORMED,
    YamlKind.COMPOSE: R.COMPOSE_MALFORMED,
    YamlKind.GITHUB: R.CI_MALFORMED,
    YamlKind.GITLAB: R.CI_MALFORMED,
}


def _read(artifact: Artifact, limit: int) -> str:
    with artifact.open() as stream:
        raw = stream.read(limit + 1)
    if len(raw) > limit:
        raise BudgetExceeded("platform_file_bytes", limit, artifact.size or len(raw), where=artifact.display)
    return decode_bytes(raw).removeprefix("\ufeff")


def _is_properties(artifact: Artifact) -> bool:
    return artifact.format is Format.TEXT and artifact.basename.lower().endswith(".properties")


class PlatformScanner:
    """Container, deployment and CI configuration checks for the code around a model."""

    name: ClassVar[str] = "platform"
    version: ClassVar[int] = 1
    formats: ClassVar[frozenset[Format]] = frozenset({Format.DOCKERFILE, Format.YAML, Format.TEXT})
    extra: ClassVar[str | None] = None
    rules: ClassVar[tuple[Rule, ...]] = R.PLATFORM_RULES

    def scan(self, artifact: Artifact, ctx: ScanContext) -> Iterator[Finding]:
        """Yield the findings for one Dockerfile or known YAML file."""
        emit = Emit(artifact, self.name, self.version)
        if artifact.format is Format.DOCKERFILE:
            text = _read(artifact, int(ctx.option("max_dockerfile_bytes", _MAX_DOCKERFILE_BYTES)))
            yield from scan_dockerfile(text, emit, check=lambda: ctx.deadline.check(artifact.display))
            return
        if artifact.format is Format.TEXT:
            if _is_properties(artifact):
                yield from scan_properties(_read(artifact, _HEAD * 16), emit)
            return
        with artifact.open() as stream:
            head = decode_bytes(stream.read(_HEAD)).removeprefix("\ufeff")
        kind = yaml_kind(artifact.member or artifact.path, head)
        if kind is None:
            return
        text = _read(artifact, int(ctx.option("max_yaml_bytes", _MAX_YAML_BYTES)))
        docs: list[Doc] = []
        noted = False
        for item in iter_documents(text, source=artifact.display):
            ctx.deadline.check(artifact.display)
            if isinstance(item, Doc):
                docs.append(item)
                yield from self._duplicates(emit, kind, item)
            elif not item.templated and (kind is not YamlKind.COMPOSE or _compose_name(artifact.basename)):
                yield self._malformed(emit, kind, item)
            elif item.templated and kind is YamlKind.KUBERNETES and not noted:
                noted = True
                yield emit(
                    R.K8S_TEMPLATE,
                    f"template syntax (line {item.line}) makes this file invalid YAML until it is rendered; "
                    "render it and scan the output",
                    line=item.line,
                    key="template",
                )
        yield from _dispatch(kind, docs, emit)

    @staticmethod
    def _duplicates(emit: Emit, kind: YamlKind, doc: Doc) -> Iterator[Finding]:
        for line, key in doc.duplicates[:20]:
            yield emit(
                _MALFORMED[kind],
                f"duplicate key '{key}' at line {line}: kubectl, docker compose and GitHub reject the document, "
                "other tools keep the first or the last value; checked with the last one",
                line=line,
                key=f"duplicate:{key}:{line}",
                severity=Severity.LOW,
            )

    @staticmethod
    def _malformed(emit: Emit, kind: YamlKind, error: DocError) -> Finding:
        return emit(
            _MALFORMED[kind],
            f"document at line {error.line} was not checked: {error.message}",
            line=error.line,
            key=f"malformed:{'bomb' if error.bomb else 'syntax'}:{error.line}",
            severity=Severity.HIGH if error.bomb else Severity.LOW,
        )


def _compose_name(basename: str) -> bool:
    """Only a file named like a compose file is reported as a broken one (``services:`` alone is too weak)."""
    return basename.lower().startswith(("docker-compose", "compose"))


def _dispatch(kind: YamlKind, docs: list[Doc], emit: Emit) -> Iterator[Finding]:
    if kind is YamlKind.KUBERNETES:
        yield from scan_kubernetes(docs, emit)
        return
    for doc in docs:
        if kind is YamlKind.COMPOSE and is_compose(doc.data):
            yield from scan_compose(doc, emit)
        elif kind is YamlKind.GITHUB and is_github(doc.data):
            yield from scan_github(doc, emit)
        elif kind is YamlKind.GITLAB:
            yield from scan_gitlab(doc, emit)
