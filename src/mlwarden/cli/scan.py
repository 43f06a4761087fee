"""``mlwarden scan``: scan paths, write the report, and exit by the policy gate."""

from __future__ import annotations

import shutil
import sys
from dataclasses import dataclass
from pathlib import Path

import typer
from rich.console import Console

from mlwarden.api import resolve_policy, scan
from mlwarden.cli.progress import RichProgress
from mlwarden.core.errors import UsageError
from mlwarden.core.files import write_atomic
from mlwarden.core.findings import ScanResult, Severity
from mlwarden.core.policy import EXIT_OK, Outcome, gate
from mlwarden.core.progress import NullProgress, Progress
from mlwarden.report.base import Format, ReportOptions, render
from mlwarden.scanners.registry import load_registry

__all__ = ["scan_command"]


@dataclass(frozen=True, slots=True)
class _ScanRequest:
    paths: list[Path]
    fmt: Format
    output: Path | None
    fail_on: str | None
    exit_zero: bool
    policy: Path | None
    progress: bool
    hash_artifacts: bool
    db: str | None = None  # None: do not store; "": the default store


def scan_command(
    paths: list[Path] = typer.Argument(..., help="Files or directories to scan (archives are opened)."),
    output_format: Format = typer.Option(Format.CONSOLE, "--format", "-f", help="Report format."),
    output: Path | None = typer.Option(None, "--output", "-o", help="Write the report to FILE."),
    fail_on: str | None = typer.Option(
        None,
        "--fail-on",
        help="Exit 1 at or above: critical, high, medium, low or info (default: the policy's, else high).",
    ),
    exit_zero: bool = typer.Option(False, "--exit-zero", help="Always exit 0 when the scan ran."),
    policy: Path | None = typer.Option(None, "--policy", help="Policy file (default: mlwarden.yaml at the root)."),
    progress: bool = typer.Option(True, "--progress/--no-progress", help="Progress bar on a terminal."),
    hash_artifacts: bool = typer.Option(True, "--hash/--no-hash", help="Record each artifact's SHA-256."),
    save: bool = typer.Option(False, "--save", help="Store the scan in the inventory (.mlwarden/mlwarden.db here)."),
    db: str | None = typer.Option(None, "--db", help="Store the scan at this database URL (implies --save)."),
) -> None:
    """Scan model files, notebooks, datasets and configs; report findings; exit 1 on failing ones.

    Exit codes: 0 nothing at or above the fail level; 1 findings at or above it;
    2 usage error, invalid policy or unreadable target (the report is written first).
    """
    store = db if db else ("" if save else None)
    request = _ScanRequest(paths, output_format, output, fail_on, exit_zero, policy, progress, hash_artifacts, store)
    outcome = _run(request)
    raise typer.Exit(EXIT_OK if request.exit_zero and outcome.exit_code == 1 else outcome.exit_code)


def _run(request: _ScanRequest) -> Outcome:
    err = Console(stderr=True, highlight=False, soft_wrap=True)  # one line per message, also in CI logs
    policy = resolve_policy(request.paths, request.policy)
    fail_on = _severity(request.fail_on) if request.fail_on else policy.fail_on
    if request.db is not None:  # a bad URL fails now, not after the scan; the scan path never imports the store
        from mlwarden.cli.db import check_store

        check_store(request.db or None)
    registry = load_registry()
    result = scan(request.paths, policy=policy, registry=registry, progress=_progress(request, err),
                  hash_artifacts=request.hash_artifacts)  # fmt: skip
    tty = request.output is None and sys.stdout.isatty()
    width = max(shutil.get_terminal_size().columns, 40) if tty else None
    report = render(result, registry.rules(loaded_only=True), request.fmt, ReportOptions(color=tty, width=width))
    _write(report, request.output)
    if request.db is not None:
        from mlwarden.cli.db import save_scan_result

        save_scan_result(result, request.db or None, err)
    outcome = gate(result, fail_on=fail_on, min_confidence=policy.min_confidence)
    _summarise(result, outcome, err, request)
    return outcome


def _severity(text: str) -> Severity:
    try:
        return Severity.parse(text)
    except ValueError as exc:
        raise UsageError(str(exc), hint="for example --fail-on high") from None


def _progress(request: _ScanRequest, err: Console) -> Progress:
    return RichProgress(err) if request.progress and err.is_terminal else NullProgress()


def _write(report: bytes, output: Path | None) -> None:
    if output is None:
        sys.stdout.buffer.write(report)
        sys.stdout.buffer.flush()
        return
    try:
        write_atomic(output, report)
    except OSError as exc:
        detail = "it is a directory" if output.is_dir() else (exc.strerror or str(exc))
        raise UsageError(f"cannot write the report to {output}: {detail}", hint="choose a writable file path") from None


def _summarise(result: ScanResult, outcome: Outcome, err: Console, request: _ScanRequest) -> None:
    for notice in result.notices:
        err.print(f"notice: {notice}", markup=False)
    if result.errors:
        err.print(f"warning: {len(result.errors)} item(s) could not be scanned; see the report", markup=False)
    if request.output is not None:
        err.print(f"report written to {request.output}; {outcome.reason}", markup=False)
