"""The service's dependencies (the `guard` and `redis` extras) stay out of everything else.

`import mlwarden`, `mlwarden scan` and `mlwarden audit verify` must work with starlette, uvicorn,
httpx, prometheus_client and redis absent; `mlwarden guard serve` must then say which extra to install.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[3]
SERVICE_MODULES = ("starlette", "uvicorn", "httpx", "prometheus_client", "redis")

_BLOCKER = f"""
import sys
class _Block:
    def find_spec(self, name, path=None, target=None):
        if name.split(".")[0] in {SERVICE_MODULES!r}:
            raise ImportError("blocked for the test: " + name)
        return None
sys.meta_path.insert(0, _Block())
from mlwarden.cli.main import main
main(sys.argv[1:])
"""


def _run(*args: str, cwd: Path = ROOT) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-c", _BLOCKER, *args], capture_output=True, text=True, cwd=cwd, timeout=120, check=False
    )


def test_cli_import_loads_no_service_module() -> None:
    code = "import sys, mlwarden.cli.main, mlwarden; print(sorted(m for m in sys.modules if m.split('.')[0] in %r))"
    out = subprocess.run(
        [sys.executable, "-c", code % (SERVICE_MODULES,)], capture_output=True, text=True, check=True, cwd=ROOT
    )
    assert out.stdout.strip() == "[]"


def test_scan_and_audit_verify_work_without_the_extras(tmp_path: Path) -> None:
    scan = _run("scan", "examples/guard/guard.yaml", "--no-progress")
    assert scan.returncode in (0, 1), scan.stderr
    verify = _run("audit", "verify", "--db", f"sqlite:///{tmp_path / 'none.db'}")
    assert verify.returncode == 2 and "no guard audit log" in verify.stderr


def test_serve_names_the_missing_extra() -> None:
    serve = _run("guard", "serve", "--config", "examples/guard/guard.yaml")
    assert serve.returncode == 2
    assert "'starlette' is not installed" in serve.stderr
    assert "pip install 'mlwarden[guard]'" in serve.stderr
