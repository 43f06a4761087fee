"""Shared plumbing for the benchmark scripts: where each tool lives, how to run it, how to print tables.

Every tool runs as a subprocess of its own environment: mlwarden from the project venv, the peers from
``benchmarks/.venv-peers`` (modelscan from its nested ``modelscan`` venv). Paths are resolved from this file.
"""

from __future__ import annotations

import os
import platform
import subprocess
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

BENCH = Path(__file__).resolve().parent
REPO = BENCH.parent
WORK = BENCH / "work"
PEERS = BENCH / ".venv-peers"
MLWARDEN = REPO / ".venv" / "bin" / "mlwarden"
MODELSCAN = PEERS / "modelscan" / "bin" / "modelscan"
PICKLESCAN = PEERS / "bin" / "picklescan"
PEERS_PYTHON = PEERS / "bin" / "python"
FICKLING_DRIVER = BENCH / "peers" / "fickling_scan.py"
MEDIUM_OR_HIGHER = frozenset({"medium", "high", "critical"})


@dataclass(frozen=True)
class Completed:
    """What a subprocess left behind."""

    returncode: int | None
    stdout: str
    stderr: str
    timed_out: bool


def run(cmd: list[str], timeout: float, cwd: Path | None = None) -> Completed:
    """Run a command, never raising on failure or timeout."""
    try:
        proc = subprocess.run(cmd, capture_output=True, text=True, timeout=timeout, cwd=cwd, check=False)
    except subprocess.TimeoutExpired as exc:
        return Completed(None, _text(exc.stdout), _text(exc.stderr), True)
    except OSError as exc:
        return Completed(None, "", str(exc), False)
    return Completed(proc.returncode, proc.stdout, proc.stderr, False)


def _text(value: bytes | str | None) -> str:
    if value is None:
        return ""
    return value.decode(errors="replace") if isinstance(value, bytes) else value


def mlwarden_available() -> bool:
    """True when the project's CLI exists and offers ``scan`` (it lands while these benchmarks are written)."""
    if not MLWARDEN.exists():
        return False
    done = run([str(MLWARDEN), "scan", "--help"], timeout=60)
    return done.returncode == 0


def tool_version(cmd: list[str]) -> str:
    done = run(cmd, timeout=60)
    lines = (done.stdout or done.stderr).strip().splitlines()
    return lines[-1].strip() if lines else "unknown"


def machine() -> dict[str, str]:
    """The facts a reader needs to weigh the numbers."""
    cpu = "unknown"
    cpuinfo = Path("/proc/cpuinfo")
    if cpuinfo.exists():
        for line in cpuinfo.read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    return {
        "nproc": str(os.cpu_count()),
        "cpu": cpu,
        "python": platform.python_version(),
        "kernel": platform.release(),
        "date": datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC"),
        "load_average_1_5_15": " ".join(f"{x:.1f}" for x in os.getloadavg()),
    }


def git_revision() -> str:
    """The commit mlwarden was measured at (the venv installs the work tree in editable mode)."""
    head = run(["git", "-C", str(REPO), "rev-parse", "--short", "HEAD"], timeout=30).stdout.strip() or "unknown"
    dirty = run(["git", "-C", str(REPO), "status", "--porcelain", "--untracked-files=no", "src"], timeout=30)
    return head + ("+uncommitted src changes" if dirty.stdout.strip() else "")


def markdown_table(header: list[str], rows: list[list[str]]) -> str:
    """A GitHub-flavoured Markdown table."""
    lines = ["| " + " | ".join(header) + " |", "|" + "|".join("---" for _ in header) + "|"]
    lines += ["| " + " | ".join(row) + " |" for row in rows]
    return "\n".join(lines)
