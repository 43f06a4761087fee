"""Optional heavy dependencies are imported only here, on demand, with an install hint when absent."""

from __future__ import annotations

import importlib
import importlib.util
from types import ModuleType

from mlwarden.core.errors import MissingExtraError

__all__ = ["is_available", "require"]


def require(module: str, *, extra: str) -> ModuleType:
    """Import a fixed, known module name (never one taken from an artifact) or raise MissingExtraError."""
    try:
        return importlib.import_module(module)
    except ImportError as exc:
        raise MissingExtraError(module, extra) from exc


def is_available(module: str) -> bool:
    """Whether ``module`` could be imported, without importing it."""
    try:
        return importlib.util.find_spec(module) is not None
    except (ImportError, ValueError):
        return False
