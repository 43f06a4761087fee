"""The terminal report: grouped by stage, then severity, with counts, errors and remediation.

Rendered with rich into a string buffer and returned as bytes; the CLI decides where they go.
rich markup and highlighting are off and every scanned string goes into a ``Text`` object after
``sanitize_terminal``, so a file name can neither inject rich markup (``[link=...]``) nor a raw
escape sequence. The console's environment is fixed (no ``COLUMNS``, ``NO_COLOR``,
``FORCE_COLOR``), so the same options always give the same bytes.
"""

from __future__ import annotations

import io
from collections.abc import Iterable

from rich.console import Console
from rich.padding import Padding
from rich.text import Text

from mlwarden.core.findings import Finding, ScanError, ScanResult, Severity, Stage, SuppressedFinding
from mlwarden.core.rules import RuleSet
from mlwarden.report.base import ReportOptions
from mlwarden.report.sanitize import sanitize_terminal as clean
from mlwarden.report.summary import SEVERITIES_DESC, display_order, iso_utc

__all__ = ["render"]

_DEFAULT_WIDTH = 100
_INDENT = 4
_STYLE = {
    Severity.CRITICAL: "bold white on red",
    Severity.HIGH: "bold red",
    Severity.MEDIUM: "bold yellow",
    Severity.LOW: "cyan",
    Severity.INFO: "dim",
}


def _console(options: ReportOptions) -> Console:
    return Console(
        file=io.StringIO(),
        force_terminal=options.color,
        force_interactive=False,
        color_system="standard" if options.color else None,
        no_color=not options.color,
        width=options.width or _DEFAULT_WIDTH,
        markup=False,
        highlight=False,
        emoji=False,
        legacy_windows=False,
        _environ={},
    )


def _indented(text: Text, level: int = 1) -> Padding:
    return Padding(text, (0, 0, 0, _INDENT * level), expand=False)


def _header(console: Console, result: ScanResult) -> None:
    seconds = max((result.finished - result.started).total_seconds(), 0.0)
    title = Text("mlwarden ", style="bold")
    title.append(clean(result.tool_version), style="bold")
    title.append(f" scanned {', '.join(clean(t) for t in result.targets) or 'nothing'}")
    console.print(title)
    console.print(Text(f"{iso_utc(result.started)} .. {iso_utc(result.finished)} ({seconds:.1f} s)", style="dim"))
    counts = result.count_by_severity()
    line = Text("Findings: ")
    for position, severity in enumerate(SEVERITIES_DESC):
        if position:
            line.append(", ")
        line.append(f"{counts[severity]} {severity.label}", style=_STYLE[severity] if counts[severity] else "dim")
    line.append(
        f"  |  suppressed {len(result.suppressed)}, errors {len(result.errors)}, artifacts {len(result.artifacts)}"
    )
    console.print(line)


def _finding(console: Console, finding: Finding) -> None:
    head = Text(f"{finding.severity.label.upper():<9}", style=_STYLE[finding.severity])
    head.append(f" {finding.rule_id} ", style="bold")
    head.append(f"{finding.risk_id}  ", style="dim")
    head.append(clean(finding.location.display()), style="underline")
    console.print(_indented(head))
    console.print(_indented(Text(clean(finding.message)), 2))
    if finding.evidence:
        evidence = Text("evidence: ", style="dim")
        evidence.append(clean(finding.evidence))
        console.print(_indented(evidence, 2))


def _findings(console: Console, findings: list[Finding]) -> None:
    for stage in Stage:
        in_stage = [finding for finding in findings if finding.stage is stage]
        if not in_stage:
            continue
        console.print()
        console.print(Text(f"{stage.value.upper()} ({len(in_stage)})", style="bold underline"))
        for finding in in_stage:  # already worst first
            _finding(console, finding)


def _remediation(console: Console, findings: Iterable[Finding], rules: RuleSet) -> None:
    advice: dict[str, tuple[str, str]] = {}
    for finding in findings:
        rule = rules.get(finding.rule_id)
        text = finding.remediation or (rule.remediation if rule else "")
        if text and finding.rule_id not in advice:
            advice[finding.rule_id] = (rule.title if rule else finding.title, text)
    if not advice:
        return
    console.print()
    console.print(Text("How to fix", style="bold underline"))
    for rule_id in sorted(advice):
        title, text = advice[rule_id]
        console.print(_indented(Text(f"{rule_id}: {clean(title)}", style="bold")))
        console.print(_indented(Text(clean(text)), 2))


def _errors(console: Console, errors: tuple[ScanError, ...]) -> None:
    if not errors:
        return
    console.print()
    console.print(Text(f"Not scanned ({len(errors)})", style="bold underline"))
    for error in errors:
        where = error.path + (f"!/{error.member}" if error.member else "")
        head = Text(f"{error.kind.value}  ", style="bold magenta")
        head.append(clean(where), style="underline")
        console.print(_indented(head))
        console.print(_indented(Text(clean(error.message)), 2))
        if error.hint:
            console.print(_indented(Text(f"hint: {clean(error.hint)}", style="dim"), 2))


def _suppressed(console: Console, items: tuple[SuppressedFinding, ...]) -> None:
    if not items:
        return
    console.print()
    console.print(Text(f"Suppressed ({len(items)})", style="bold underline"))
    for item in items:
        finding = item.finding
        head = Text(f"{finding.severity.label:<9} {finding.rule_id}  ", style="dim")
        head.append(clean(finding.location.display()))
        console.print(_indented(head))
        until = f" (until {clean(item.expires)})" if item.expires else ""
        console.print(_indented(Text(f"reason: {clean(item.reason)}{until}", style="dim"), 2))


def render(result: ScanResult, rules: RuleSet, options: ReportOptions) -> bytes:
    """The terminal report as UTF-8 bytes (with ANSI colour only when ``options.color``)."""
    console = _console(options)
    _header(console, result)
    findings = display_order(result.findings)
    _findings(console, findings)
    _remediation(console, findings, rules)
    _errors(console, result.errors)
    if options.show_suppressed:
        _suppressed(console, result.suppressed)
    if not result.findings:
        console.print()
        suppressed = f" ({len(result.suppressed)} suppressed)" if result.suppressed else ""
        console.print(Text(f"No findings{suppressed}.", style="green"))
    text = console.file.getvalue() if isinstance(console.file, io.StringIO) else ""
    # Rich pads wrapped lines to the full width; trailing blanks only clutter logs and diffs.
    return "".join(line.rstrip() + "\n" for line in text.splitlines()).encode("utf-8")
