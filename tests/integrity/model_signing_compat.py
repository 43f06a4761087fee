"""Import OpenSSF model-signing (a test-only dependency) for the interoperability tests.

model-signing 1.1.1 imports pyOpenSSL at module level for its certificate method, but does not declare
the dependency. We use only its private-key method, so when pyOpenSSL is absent a stub module stands
in for it; the stub is never called.
"""

from __future__ import annotations

import sys
import types
from typing import Any


def load_model_signing() -> Any:
    """The ``model_signing`` package, importable with or without pyOpenSSL."""
    try:
        import OpenSSL  # noqa: F401
    except ImportError:
        stub = types.ModuleType("OpenSSL")
        stub.crypto = types.ModuleType("OpenSSL.crypto")  # type: ignore[attr-defined]
        sys.modules.setdefault("OpenSSL", stub)
        sys.modules.setdefault("OpenSSL.crypto", stub.crypto)  # type: ignore[attr-defined]
    import model_signing

    return model_signing
