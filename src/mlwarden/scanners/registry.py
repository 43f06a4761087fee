"""The registry: built-in scanners as one explicit list, plus third-party entry points.

Built-ins are listed as import strings so ``mlwarden --help`` imports no scanner. The policy file
may enable, disable or configure scanners by *name*, but never names code to import: a file in
the scanned repository must not be able to run code.
"""

from __future__ import annotations

import importlib
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from importlib.metadata import EntryPoint, entry_points
from typing import Protocol

from mlwarden.artifacts.artifact import Artifact
from mlwarden.artifacts.formats import Format
from mlwarden.artifacts.rules import ARTIFACT_RULES
from mlwarden.core.errors import RegistryError
from mlwarden.core.findings import Finding, ScanError, ScanErrorKind
from mlwarden.core.rules import Rule, RuleSet
from mlwarden.scanners.base import ScanContext, Scanner

__all__ = [
    "BUILTIN_DECLARATIONS",
    "BUILTIN_SCANNERS",
    "ENTRY_POINT_GROUP",
    "LazyScanner",
    "Registry",
    "ScannerHandle",
    "load_registry",
]

ENTRY_POINT_GROUP = "mlwarden.scanners"

# One line per built-in scanner: "module:attribute". Order is the order scanners run in.
BUILTIN_SCANNERS: tuple[str, ...] = (
    "mlwarden.scanners.config_files:ConfigSecretsScanner",
    "mlwarden.scanners.dataset:DatasetScanner",
    "mlwarden.scanners.source:SourceScanner",
    "mlwarden.scanners.notebook:NotebookScanner",
    "mlwarden.scanners.safetensors:SafetensorsScanner",
    "mlwarden.scanners.onnx_model:OnnxScanner",
    "mlwarden.scanners.keras:KerasScanner",
    "mlwarden.scanners.gguf:GgufScanner",
    "mlwarden.scanners.hf_folder:HuggingFaceConfigScanner",
    "mlwarden.scanners.tf_savedmodel:TfSavedModelScanner",
    "mlwarden.scanners.pytorch:PyTorchScanner",
    "mlwarden.scanners.numpy_files:NumpyScanner",
    "mlwarden.scanners.pickle.scanner:PickleScanner",
    "mlwarden.scanners.deps.scanner:DependencyScanner",
    "mlwarden.scanners.platform:PlatformScanner",
)


_F = Format
# What each built-in declares, so it can be imported only when a file of its formats is met (a scan of
# one checkpoint imports two scanners, not fifteen). A test checks these against the classes themselves.
BUILTIN_DECLARATIONS: dict[str, tuple[str, frozenset[Format]]] = {
    "mlwarden.scanners.config_files:ConfigSecretsScanner": (
        "config-secrets",
        frozenset({_F.DOTENV, _F.INI, _F.JSON, _F.TEXT, _F.TOML, _F.YAML}),
    ),
    "mlwarden.scanners.dataset:DatasetScanner": (
        "dataset",
        frozenset({_F.CSV, _F.EXCEL, _F.JSONL, _F.PARQUET, _F.TSV}),
    ),
    "mlwarden.scanners.source:SourceScanner": ("source", frozenset({_F.PYTHON})),
    "mlwarden.scanners.notebook:NotebookScanner": ("notebook", frozenset({_F.NOTEBOOK})),
    "mlwarden.scanners.safetensors:SafetensorsScanner": ("safetensors", frozenset({_F.SAFETENSORS})),
    "mlwarden.scanners.onnx_model:OnnxScanner": ("onnx", frozenset({_F.ONNX})),
    "mlwarden.scanners.keras:KerasScanner": ("keras", frozenset({_F.HDF5, _F.JSON, _F.KERAS_V3})),
    "mlwarden.scanners.gguf:GgufScanner": ("gguf", frozenset({_F.GGUF})),
    "mlwarden.scanners.hf_folder:HuggingFaceConfigScanner": ("hf-config", frozenset({_F.JSON})),
    "mlwarden.scanners.tf_savedmodel:TfSavedModelScanner": ("tf-savedmodel", frozenset({_F.TF_SAVEDMODEL})),
    "mlwarden.scanners.pytorch:PyTorchScanner": ("pytorch", frozenset({_F.PYTORCH_LEGACY, _F.PYTORCH_ZIP})),
    "mlwarden.scanners.numpy_files:NumpyScanner": ("numpy", frozenset({_F.NUMPY, _F.NUMPY_NPZ})),
    "mlwarden.scanners.pickle.scanner:PickleScanner": ("pickle", frozenset({_F.JOBLIB, _F.PICKLE})),
    "mlwarden.scanners.deps.scanner:DependencyScanner": (
        "dependencies",
        frozenset({_F.INI, _F.JSON, _F.REQUIREMENTS, _F.TEXT, _F.TOML, _F.YAML}),
    ),
    "mlwarden.scanners.platform:PlatformScanner": ("platform", frozenset({_F.DOCKERFILE, _F.TEXT, _F.YAML})),
}


class LazyScanner:
    """A built-in scanner that is imported the first time it is needed (same interface as the scanner)."""

    def __init__(self, spec: str, name: str, formats: frozenset[Format]) -> None:
        self.spec = spec
        self.name = name
        self.formats = formats
        self._scanner: Scanner | None = None

    @property
    def loaded(self) -> bool:
        """Whether the scanner module has been imported."""
        return self._scanner is not None

    @property
    def scanner(self) -> Scanner:
        """The real scanner, imported on first use."""
        if self._scanner is None:
            self._scanner = _load_builtin(self.spec)
        return self._scanner

    @property
    def version(self) -> int:
        """The scanner's version (imports it)."""
        return self.scanner.version

    @property
    def extra(self) -> str | None:
        """The optional extra the scanner's deeper checks need (imports it)."""
        return self.scanner.extra

    @property
    def rules(self) -> tuple[Rule, ...]:
        """The scanner's rules (imports it)."""
        return self.scanner.rules

    def scan(self, artifact: Artifact, ctx: ScanContext) -> Iterator[Finding]:
        """Delegate to the real scanner."""
        return self.scanner.scan(artifact, ctx)


class ScannerHandle(Protocol):
    """What the registry and the engine need of a scanner, loaded or not."""

    @property
    def name(self) -> str:
        """The scanner's unique name."""

    @property
    def formats(self) -> frozenset[Format]:
        """The sniffed formats it reads."""

    @property
    def version(self) -> int:
        """Its detection version."""

    @property
    def extra(self) -> str | None:
        """The extra its deeper checks need."""

    @property
    def rules(self) -> tuple[Rule, ...]:
        """Its rules."""

    def scan(self, artifact: Artifact, ctx: ScanContext) -> Iterator[Finding]:
        """Yield findings for one artifact."""
        ...


@dataclass(frozen=True, slots=True)
class Registry:
    """The scanners available to a scan, looked up by sniffed format."""

    scanners: tuple[ScannerHandle, ...]
    errors: tuple[ScanError, ...] = ()
    _by_format: dict[Format, tuple[ScannerHandle, ...]] = field(default_factory=dict, repr=False)

    def __post_init__(self) -> None:
        seen: set[str] = set()
        for scanner in self.scanners:
            if scanner.name in seen:
                raise RegistryError(f"two scanners are named '{scanner.name}'", hint="rename one of the plugins")
            seen.add(scanner.name)
        for fmt in Format:
            self._by_format[fmt] = tuple(s for s in self.scanners if fmt in s.formats)

    def for_format(self, fmt: Format) -> tuple[ScannerHandle, ...]:
        """The scanners that read ``fmt``, in registry order."""
        return self._by_format.get(fmt, ())

    def names(self) -> tuple[str, ...]:
        """Every scanner's name."""
        return tuple(s.name for s in self.scanners)

    def only(self, enabled: Iterable[str] | None, disabled: Iterable[str] = ()) -> Registry:
        """A registry restricted to ``enabled`` (all when ``None``) minus ``disabled``."""
        keep = set(self.names()) if enabled is None else set(enabled)
        keep -= set(disabled)
        unknown = keep - set(self.names())
        if unknown:
            raise RegistryError(
                f"unknown scanner name(s): {', '.join(sorted(unknown))}",
                hint=f"known scanners: {', '.join(self.names())}",
            )
        return Registry(tuple(s for s in self.scanners if s.name in keep), self.errors)

    def rules(self, *, loaded_only: bool = False) -> RuleSet:
        """Every rule the scanners declare (``loaded_only``: only scanners already imported, as after a scan)."""
        collected: list[Rule] = list(ARTIFACT_RULES)
        for scanner in self.scanners:
            if loaded_only and isinstance(scanner, LazyScanner) and not scanner.loaded:
                continue
            collected.extend(scanner.rules)
        return RuleSet(collected)


def _instantiate(target: object) -> Scanner:
    scanner = target() if isinstance(target, type) else target
    if not isinstance(scanner, Scanner):
        raise TypeError(f"{target!r} does not implement the Scanner protocol")
    return scanner


def _load_builtin(spec: str) -> Scanner:
    module_name, _, attribute = spec.partition(":")
    # NOTE: spec comes from the constant list above, never from an artifact or a policy file.
    module = importlib.import_module(module_name)
    return _instantiate(getattr(module, attribute))


def _plugins(points: Iterable[EntryPoint]) -> Iterator[Scanner | ScanError]:
    for point in points:
        try:
            yield _instantiate(point.load())
        except Exception as exc:  # noqa: BLE001 - a broken plugin must not stop the scan
            yield ScanError(
                path=f"entry point {point.name}",
                kind=ScanErrorKind.PLUGIN_LOAD,
                message=f"plugin '{point.name}' ({point.value}) failed to load: {exc}",
                hint="upgrade or uninstall the plugin package",
            )


def _builtin(spec: str) -> ScannerHandle:
    declared = BUILTIN_DECLARATIONS.get(spec)
    if declared is None:
        return _load_builtin(spec)
    name, formats = declared
    return LazyScanner(spec, name, formats)


def load_registry(*, builtins: Iterable[str] = BUILTIN_SCANNERS, plugins: bool = True) -> Registry:
    """Build the registry: built-ins first (imported lazily), then plugins from ``mlwarden.scanners``."""
    scanners: list[ScannerHandle] = [_builtin(spec) for spec in builtins]
    errors: list[ScanError] = []
    if plugins:
        for item in _plugins(entry_points(group=ENTRY_POINT_GROUP)):
            if isinstance(item, ScanError):
                errors.append(item)
            else:
                scanners.append(item)
    return Registry(tuple(scanners), tuple(errors))
