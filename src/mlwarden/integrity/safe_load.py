"""``safe_load``: verify, scan, and only then hand the file to the framework's *safe* loader.

The three gates, in order, each failing closed:

1. with a public key: the file (or the signed directory ``root`` that holds it) verifies against its
   signature, so these are the bytes that were reviewed;
2. ``mlwarden.scan`` finds nothing at or above ``fail_on`` and had no error looking at the file;
3. the framework's restricted loader: ``torch.load(weights_only=True)``, safetensors, or
   ``numpy.load(allow_pickle=False)``. None of them runs code from the file, even if the gates missed.
"""

from __future__ import annotations

from pathlib import Path
from types import ModuleType
from typing import Any, Literal

from mlwarden.core.errors import MissingExtraError, UsageError, VerificationError
from mlwarden.core.extras import require
from mlwarden.core.findings import ScanResult, Severity
from mlwarden.core.policy import gate
from mlwarden.integrity.verify import verify

__all__ = ["LoadRefusedError", "safe_load"]

Loader = Literal["torch", "safetensors", "numpy"]


class LoadRefusedError(VerificationError):
    """The file did not pass the scan gate, so it was not loaded; ``result`` holds the scan."""

    def __init__(self, message: str, result: ScanResult) -> None:
        super().__init__(message, hint="run 'mlwarden scan' on the file to see the findings; do not load it")
        self.result = result


def _module(name: str, extra: str) -> ModuleType:
    try:
        return require(name, extra=extra)
    except MissingExtraError:
        package = name.split(".", 1)[0]
        raise UsageError(f"this loader needs the '{package}' package", hint=f"pip install {package}") from None


def _load_torch(path: Path) -> Any:
    torch = require("torch", extra="torch")
    # The one justified loader call in src/: weights_only=True restricts unpickling to tensors and
    # plain containers, and it runs only after the verify and scan gates passed.
    return torch.load(path, weights_only=True)


def _load(path: Path, loader: Loader) -> Any:
    if loader == "torch":
        return _load_torch(path)
    if loader == "safetensors":
        _module("numpy", "safetensors")
        return _module("safetensors.numpy", "safetensors").load_file(str(path))
    if loader == "numpy":
        return _module("numpy", "numpy").load(path, allow_pickle=False)
    raise UsageError(f"unknown loader {loader!r}", hint="use torch, safetensors or numpy")


def _scan_gate(path: Path, fail_on: Severity) -> None:
    from mlwarden.api import scan

    result = scan([path])
    outcome = gate(result, fail_on=fail_on)
    if outcome.exit_code != 0:
        raise LoadRefusedError(f"refusing to load {path}: {outcome.reason}", result)
    if result.errors:
        first = result.errors[0]
        raise LoadRefusedError(f"refusing to load {path}: it could not be fully scanned ({first.message})", result)


def safe_load(
    path: str | Path,
    *,
    public_key: str | Path | None = None,
    signature: str | Path | None = None,
    root: str | Path | None = None,
    fail_on: Severity | str = Severity.HIGH,
    loader: Loader = "torch",
) -> Any:
    """Load ``path`` only if it verifies (when ``public_key`` is given) and scans clean at ``fail_on``.

    ``root`` is the signed directory when the signature covers a whole model folder; the file must lie
    inside it. Raises ``VerificationError`` (``IntegrityError`` or ``LoadRefusedError``) instead of loading.
    """
    target = Path(path)
    threshold = Severity.parse(fail_on) if isinstance(fail_on, str) else fail_on
    if loader not in ("torch", "safetensors", "numpy"):
        raise UsageError(f"unknown loader {loader!r}", hint="use torch, safetensors or numpy")
    if public_key is not None:
        signed_root = Path(root) if root is not None else target
        if root is not None and not target.resolve().is_relative_to(signed_root.resolve()):
            raise UsageError(f"{target} is not inside the signed root {signed_root}", hint="pass the right root")
        verify(signed_root, public_key=Path(public_key), signature=signature)
    _scan_gate(target, threshold)
    return _load(target, loader)
