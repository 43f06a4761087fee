"""Hugging Face model folders: ``auto_map`` entries that make ``trust_remote_code=True`` import code.

``config.json`` and ``tokenizer_config.json`` may map Auto classes to ``module.Class`` names;
transformers then downloads and imports ``module.py`` from the repository (or, with
``other/repo--module.Class``, from another repository) when the caller passes
``trust_remote_code=True``. That is arbitrary code shipped with the model. The scanner is
registered for every JSON file, so it returns at once unless the file name matches.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any, ClassVar

from mlwarden.artifacts.artifact import Artifact
from mlwarden.artifacts.formats import Format
from mlwarden.core.findings import Finding, Severity, Stage
from mlwarden.core.rules import Rule
from mlwarden.scanners.base import ScanContext
from mlwarden.scanners.structured import FindingMaker, MalformedError, load_json, mask

__all__ = ["HF_RULES", "HuggingFaceConfigScanner"]

CONFIG_NAMES = frozenset({"config.json", "tokenizer_config.json"})
_MAX_CONFIG_BYTES = 8 << 20

REMOTE_CODE = Rule(
    id="MW-HF-001",
    title="Hugging Face config maps classes to custom code (trust_remote_code)",
    severity=Severity.HIGH,
    risk_ids=("MODEL-04", "MODEL-07"),
    stage=Stage.MODEL,
    help=(
        "auto_map names Python modules in the repository. Loading with trust_remote_code=True imports "
        "and runs them with the caller's privileges; without it the load fails."
    ),
    remediation=(
        "Review every named module before passing trust_remote_code=True, pin the revision (commit hash), "
        "or use a natively supported architecture instead."
    ),
    cwe="CWE-829",
)
CROSS_REPO_CODE = Rule(
    id="MW-HF-002",
    title="Hugging Face auto_map loads code from another repository",
    severity=Severity.HIGH,
    risk_ids=("MODEL-04", "MODEL-07"),
    stage=Stage.MODEL,
    help=(
        "An auto_map value of the form 'owner/repo--module.Class' makes transformers fetch and import "
        "code from a different repository, whose owner can change it at any time."
    ),
    remediation="Do not load with trust_remote_code=True unless that repository is pinned and reviewed.",
    cwe="CWE-829",
)
CUSTOM_CODE_FILE = Rule(
    id="MW-HF-003",
    title="Python file next to the model is imported by trust_remote_code",
    severity=Severity.HIGH,
    risk_ids=("MODEL-04",),
    stage=Stage.MODEL,
    help="This module file sits beside config.json and is named by auto_map, so remote-code loading runs it.",
    remediation="Read the file; only load the model with trust_remote_code=True if it is code you accept.",
    cwe="CWE-829",
)
HF_RULES: tuple[Rule, ...] = (REMOTE_CODE, CROSS_REPO_CODE, CUSTOM_CODE_FILE)


def _references(auto_map: dict[str, Any]) -> Iterator[tuple[str, str]]:
    """(auto class, 'module.Class' or 'repo--module.Class') pairs; tokenizer entries may be lists."""
    for auto_class, value in auto_map.items():
        for item in value if isinstance(value, list) else [value]:
            if isinstance(item, str) and item:
                yield str(auto_class), item


class HuggingFaceConfigScanner:
    """Flags auto_map custom code in Hugging Face config.json / tokenizer_config.json."""

    name: ClassVar[str] = "hf-config"
    version: ClassVar[int] = 1
    formats: ClassVar[frozenset[Format]] = frozenset({Format.JSON})
    extra: ClassVar[str | None] = None
    rules: ClassVar[tuple[Rule, ...]] = HF_RULES

    def scan(self, artifact: Artifact, ctx: ScanContext) -> Iterator[Finding]:
        """Yield findings for a config.json or tokenizer_config.json; nothing for other JSON."""
        if artifact.basename not in CONFIG_NAMES:
            return
        limit = min(ctx.budget.max_text_bytes, _MAX_CONFIG_BYTES)
        with artifact.open() as stream:
            raw = stream.read(limit + 1)
        if len(raw) > limit:
            return  # NOTE: not a real HF config; the JSON config scanner reports oversized files
        try:
            document = load_json(raw.decode("utf-8", "replace"), ctx.budget, where=artifact.basename)
        except MalformedError:
            return  # NOTE: malformed JSON is the config-file scanner's finding, not a second one here
        auto_map = document.value.get("auto_map") if isinstance(document.value, dict) else None
        if isinstance(auto_map, dict):
            yield from _auto_map(FindingMaker(artifact, self.name, self.version), artifact, auto_map)


def _auto_map(make: FindingMaker, artifact: Artifact, auto_map: dict[str, Any]) -> Iterator[Finding]:
    local: dict[str, list[str]] = {}
    for auto_class, reference in _references(auto_map):
        repo, sep, target = reference.rpartition("--")
        module = target.rsplit(".", 1)[0] if "." in target else target
        if sep:
            yield make(
                CROSS_REPO_CODE,
                f"auto_map {mask(auto_class)!r} imports {mask(target)!r} from repository {mask(repo)!r}",
                key=f"cross:{reference}",
                evidence=reference,
            )
        else:
            local.setdefault(module, []).append(auto_class)
    if not local:
        return
    files = sorted(f"{module.replace('.', '/')}.py" for module in local)
    yield make(
        REMOTE_CODE,
        f"auto_map needs trust_remote_code=True and imports {', '.join(mask(f, 60) for f in files[:10])}",
        key="auto_map:" + ",".join(files),
        evidence=", ".join(sorted({c for classes in local.values() for c in classes})),
    )
    base = artifact.fs_path.parent if artifact.fs_path is not None else None
    for module in sorted(local):
        yield from _module_file(make, base, module)


def _module_file(make: FindingMaker, base: Path | None, module: str) -> Iterator[Finding]:
    relative = f"{module.replace('.', '/')}.py"
    if ".." in module.split(".") or module.startswith(("/", "\\")) or "/" in module or "\\" in module:
        yield make(
            CROSS_REPO_CODE, f"auto_map module {mask(module)!r} is not a plain module name", key=f"path:{module}"
        )
        return
    if base is None:
        return
    path = base / relative
    if path.is_file():
        yield make(
            CUSTOM_CODE_FILE,
            f"{relative} is present next to the config and runs on trust_remote_code=True",
            key=f"file:{relative}",
            evidence=relative,
        )
