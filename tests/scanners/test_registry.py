"""The scanner registry: built-ins, third-party entry points, broken plugins, duplicate names."""

from __future__ import annotations

import sys
import textwrap
from collections.abc import Iterator
from pathlib import Path

import pytest

from mlwarden.core.errors import RegistryError
from mlwarden.scanners.config_files import ConfigSecretsScanner
from mlwarden.scanners.registry import BUILTIN_SCANNERS, Registry, load_registry

PLUGIN_SOURCE = """
from typing import ClassVar
from mlwarden.artifacts.formats import Format
from mlwarden.core.findings import Severity, Stage
from mlwarden.core.rules import Rule

RULE = Rule(id="MW-ACME-001", title="Acme", severity=Severity.LOW, risk_ids=("PLAT-01",),
            stage=Stage.PLATFORM, help="h", remediation="r")

class AcmeScanner:
    name: ClassVar[str] = "acme"
    version: ClassVar[int] = 3
    formats: ClassVar[frozenset[Format]] = frozenset({Format.TEXT})
    extra: ClassVar[str | None] = None
    rules: ClassVar[tuple[Rule, ...]] = (RULE,)

    def scan(self, artifact, ctx):
        yield RULE.finding(location=artifact.location(), message="acme", scanner=self.name,
                           scanner_version=self.version, match_key="acme")
"""


@pytest.fixture
def plugin_path(tmp_path: Path) -> Iterator[Path]:
    """A fake installed distribution exposing scanners through the mlwarden.scanners group."""
    (tmp_path / "acme_scanner.py").write_text(PLUGIN_SOURCE, encoding="utf-8")
    dist = tmp_path / "acme_scanner-1.0.dist-info"
    dist.mkdir()
    (dist / "METADATA").write_text("Metadata-Version: 2.1\nName: acme-scanner\nVersion: 1.0\n", encoding="utf-8")
    (dist / "entry_points.txt").write_text(
        textwrap.dedent(
            """
            [mlwarden.scanners]
            acme = acme_scanner:AcmeScanner
            broken = acme_scanner:DoesNotExist
            """
        ),
        encoding="utf-8",
    )
    sys.path.insert(0, str(tmp_path))
    try:
        yield tmp_path
    finally:
        sys.path.remove(str(tmp_path))
        sys.modules.pop("acme_scanner", None)


def test_builtins_load_and_have_unique_names() -> None:
    registry = load_registry(plugins=False)
    assert len(registry.scanners) == len(BUILTIN_SCANNERS)
    assert len(set(registry.names())) == len(registry.names())


def test_third_party_scanner_registers_through_entry_point(plugin_path: Path) -> None:
    registry = load_registry()
    assert "acme" in registry.names()
    assert "MW-ACME-001" in registry.rules()
    # The broken entry point becomes a ScanError instead of stopping the scan.
    assert any("broken" in error.message for error in registry.errors)

    from mlwarden.scanners.engine import run_scan

    note = plugin_path / "notes.txt"
    note.write_text("hello\n", encoding="utf-8")
    result = run_scan([note], registry=registry)
    assert [f.rule_id for f in result.findings] == ["MW-ACME-001"]


def test_duplicate_names_are_refused() -> None:
    with pytest.raises(RegistryError, match="config-secrets"):
        Registry((ConfigSecretsScanner(), ConfigSecretsScanner()))


def test_unknown_scanner_name_in_policy_is_an_error() -> None:
    registry = Registry((ConfigSecretsScanner(),))
    with pytest.raises(RegistryError, match="nope"):
        registry.only(["nope"])
    assert registry.only(None, ["config-secrets"]).scanners == ()


def test_builtin_declarations_match_the_scanner_classes() -> None:
    from mlwarden.scanners.registry import BUILTIN_DECLARATIONS, LazyScanner

    assert set(BUILTIN_DECLARATIONS) == set(BUILTIN_SCANNERS)
    for scanner in load_registry(plugins=False).scanners:
        assert isinstance(scanner, LazyScanner)
        real = scanner.scanner
        assert (real.name, real.formats) == (scanner.name, scanner.formats), scanner.spec


def test_a_scan_imports_only_the_scanners_it_needs(tmp_path: Path) -> None:
    import subprocess
    import sys

    (tmp_path / "params.json").write_text('{"lr": 0.1}', encoding="utf-8")
    code = (
        "import sys\n"
        "from mlwarden.scanners.engine import run_scan\n"
        "from mlwarden.scanners.registry import load_registry\n"
        "registry = load_registry(plugins=False)\n"
        "result = run_scan([sys.argv[1]], registry=registry)\n"
        "print(sorted(m for m in sys.modules if m.startswith('mlwarden.scanners.') and m.count('.') == 2))\n"
        "print(sorted(run.name for run in result.scanners_run))\n"
    )
    out = subprocess.run(
        [sys.executable, "-c", code, str(tmp_path)], capture_output=True, text=True, check=True, timeout=60
    ).stdout.splitlines()
    assert "mlwarden.scanners.pytorch" not in out[0]
    assert "mlwarden.scanners.gguf" not in out[0]
    assert out[1] == str(sorted(["config-secrets", "dependencies", "hf-config", "keras"]))
