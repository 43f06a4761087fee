"""Dependency files: pinning, hashes, package indexes, typosquats, known-malicious names and known vulnerabilities.

A typosquatted or vulnerable library runs inside training and serving with full access to data, models
and credentials (MODEL-04); unmanaged advisories (PLAT-02) and loose pins (PLAT-06) are how it gets there.
"""

from __future__ import annotations

__all__: list[str] = []
