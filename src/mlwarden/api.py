"""The library face: ``mlwarden.scan()`` runs the same pipeline as ``mlwarden scan``.

It finds and applies the policy, builds the scanner registry the policy asks for, runs the
engine, and returns a ScanResult with suppressions applied. It never raises because of a bad
artifact; it raises ``MlwardenError`` for a bad policy or a target that does not exist.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace
from pathlib import Path

from mlwarden.artifacts.limits import Budget
from mlwarden.core.config import POLICY_FILENAME, Policy, load_policy
from mlwarden.core.errors import UsageError
from mlwarden.core.findings import ScanResult
from mlwarden.core.policy import apply_suppressions
from mlwarden.core.progress import Progress
from mlwarden.scanners.engine import ScanOptions, run_scan
from mlwarden.scanners.registry import Registry, load_registry

__all__ = ["find_policy", "resolve_policy", "scan"]


def find_policy(targets: Sequence[str | Path]) -> Path | None:
    """The ``mlwarden.yaml`` at the root of the first target (the directory, or a file's folder)."""
    if not targets:
        return None
    first = Path(targets[0])
    root = first if first.is_dir() else first.parent
    candidate = root / POLICY_FILENAME
    return candidate if candidate.is_file() else None


def resolve_policy(targets: Sequence[str | Path], policy_path: Path | None) -> Policy:
    """The explicit policy when given, else the one found at the scan root, else the defaults."""
    path = policy_path or find_policy(targets)
    return load_policy(path) if path is not None else Policy()


def scan(
    targets: Sequence[str | Path],
    *,
    policy: Policy | None = None,
    registry: Registry | None = None,
    progress: Progress | None = None,
    hash_artifacts: bool = True,
) -> ScanResult:
    """Scan files and directories (and the archives inside them) and apply the policy's suppressions."""
    if not targets:
        raise UsageError("nothing to scan", hint="give one or more files or directories")
    for target in targets:
        if not Path(target).exists() and not Path(target).is_symlink():
            raise UsageError(f"path does not exist: {target}", hint="check the path and try again")
    policy = policy if policy is not None else resolve_policy(targets, None)
    registry = registry if registry is not None else load_registry()
    registry = registry.only(policy.scanners.enabled, policy.scanners.disabled)
    budget = replace(Budget(), **policy.limits.overrides())
    options = ScanOptions(
        budget=budget,
        scanner_options=policy.scanners.options,
        hash_artifacts=hash_artifacts,
        exclude=tuple(policy.exclude),
    )
    result = run_scan(targets, registry=registry, options=options, progress=progress)
    return apply_suppressions(result, policy)
