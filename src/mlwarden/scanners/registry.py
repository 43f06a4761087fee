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

from mlwarden.artifacts.formats import Format
from mlwarden.artifacts.rules import ARTIFACT_RULES
from mlwarden.core.errors import RegistryError
from mlwarden.core.findings import ScanError, ScanErrorKind
from mlwarden.core.rules import Rule, RuleSet
from mlwarden.scanners.base import Scanner

__all__ = ["BUILTIN_SCANNERS", "ENTRY_POINT_GROUP", "Registry", "load_registry"]

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


@dataclass(frozen=True, slots=True)
class Registry:
    """The scanners available to a scan, looked up by sniffed format."""

    scanners: tuple[Scanner, ...]
    errors: tuple[ScanError, ...] = ()
    _by_format: dict[Format, tuple[Scanner, ...]] = field(default_factory=dict, repr=False)

    def __post_init__(self) -> None:
        seen: set[str] = set()
        for scanner in self.scanners:
            if scanner.name in seen:
                raise RegistryError(f"two scanners are named '{scanner.name}'", hint="rename one of the plugins")
            seen.add(scanner.name)
        for fmt in Format:
            self._by_format[fmt] = tuple(s for s in self.scanners if fmt in s.formats)

    def for_format(self, fmt: Format) -> tuple[Scanner, ...]:
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

    def rules(self) -> RuleSet:
        """Every rule any scanner in this registry declares."""
        collected: list[Rule] = list(ARTIFACT_RULES)
        for scanner in self.scanners:
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


def load_registry(*, builtins: Iterable[str] = BUILTIN_SCANNERS, plugins: bool = True) -> Registry:
    """Build the registry: built-ins first, then plugins from the ``mlwarden.scanners`` group."""
    scanners = [_load_builtin(spec) for spec in builtins]
    errors: list[ScanError] = []
    if plugins:
        for item in _plugins(entry_points(group=ENTRY_POINT_GROUP)):
            if isinstance(item, ScanError):
                errors.append(item)
            else:
                scanners.append(item)
    return Registry(tuple(scanners), tuple(errors))
