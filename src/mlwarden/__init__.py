"""mlwarden: MLSecOps checks that run, gates that block and a guard that acts.

The public library API is small and stable::

    import mlwarden
    result = mlwarden.scan(["models/"])          # a ScanResult; suppressions from mlwarden.yaml applied
    outcome = mlwarden.gate(result, fail_on=mlwarden.Severity.HIGH)

Names are imported lazily so that ``import mlwarden`` stays cheap.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

__version__ = "0.1.0"

__all__ = [
    "Finding",
    "Location",
    "Policy",
    "ScanResult",
    "Severity",
    "__version__",
    "gate",
    "load_policy",
    "safe_load",
    "scan",
    "sign",
    "verify",
]

_LAZY = {
    "scan": "mlwarden.api",
    "Finding": "mlwarden.core.findings",
    "Location": "mlwarden.core.findings",
    "ScanResult": "mlwarden.core.findings",
    "Severity": "mlwarden.core.findings",
    "Policy": "mlwarden.core.config",
    "load_policy": "mlwarden.core.config",
    "gate": "mlwarden.core.policy",
    "sign": "mlwarden.integrity.sign",
    "verify": "mlwarden.integrity.verify",
    "safe_load": "mlwarden.integrity.safe_load",
}

if TYPE_CHECKING:
    from mlwarden.api import scan
    from mlwarden.core.config import Policy, load_policy
    from mlwarden.core.findings import Finding, Location, ScanResult, Severity
    from mlwarden.core.policy import gate
    from mlwarden.integrity.safe_load import safe_load
    from mlwarden.integrity.sign import sign
    from mlwarden.integrity.verify import verify


def __getattr__(name: str) -> Any:
    module_name = _LAZY.get(name)
    if module_name is None:
        raise AttributeError(f"module 'mlwarden' has no attribute {name!r}")
    import importlib

    return getattr(importlib.import_module(module_name), name)
