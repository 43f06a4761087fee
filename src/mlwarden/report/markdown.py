"""Markdown for pull-request comments (GitHub-flavoured: tables, ``<details>``).

Everything taken from a scanned artifact is hostile here in ways that go beyond breaking a table:
a file name can close the table (``|``, newline), open a link or image (``[x](y)``, ``![``), inject
HTML (``<img onerror>``), ping people (``@org/team``) or link issues (``#1``). Locations, rule ids
and evidence go in code spans, where Markdown, HTML, mentions and autolinks are all inert; free
text (messages) is backslash-escaped, with ``@`` and URL schemes broken by a word joiner so a
mention or autolink cannot form. Newlines become ``<br>`` (which we write, after escaping).

A comment has a size limit (GitHub: 65,536 characters), so the findings table stops after
``options.max_findings`` rows or about 60,000 characters, whichever comes first, and says how
many were left out; long cells are shortened with an ellipsis.
"""

from __future__ import annotations

import html
import re

from mlwarden.core.findings import Finding, ScanError, ScanResult, Stage, SuppressedFinding
from mlwarden.core.rules import RuleSet
from mlwarden.report.base import ReportOptions
from mlwarden.report.sanitize import sanitize_terminal
from mlwarden.report.summary import SEVERITIES_DESC, by_stage_and_severity, display_order, severity_summary

__all__ = ["code_span", "escape_text", "render"]

_BUDGET = 60_000
_MAX_CELL = 300
_MAX_EVIDENCE = 120
# Inline syntax only: a table cell holds no block constructs, so "#", "-", "." need no escape.
_PUNCTUATION = re.compile(r"([\\`*_\[\]|~])")
_NEWLINES = re.compile(r"\r\n|\r|\n")
_WORD_JOINER = "\u2060"
_DEFUSE = (
    ("@", "@" + _WORD_JOINER),
    ("#", "#" + _WORD_JOINER),
    ("://", ":" + _WORD_JOINER + "//"),
    ("www.", "www" + _WORD_JOINER + "."),
)
_ICON = {"critical": "🟥", "high": "🟧", "medium": "🟨", "low": "🟦", "info": "⬜"}


def _shorten(text: str, limit: int) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _escape_line(line: str) -> str:
    # HTML-significant characters become entities (robust in every renderer); inline Markdown
    # syntax gets a backslash.
    line = line.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    return _PUNCTUATION.sub(r"\\\1", line)


def escape_text(text: str, limit: int = _MAX_CELL) -> str:
    """Free text made literal inside a GFM table cell: no markup, links, HTML, mentions or rows."""
    lines = [_escape_line(sanitize_terminal(line)) for line in _NEWLINES.split(_shorten(text, limit))]
    text = "<br>".join(lines)
    # NOTE: "@team" pings people and "#1" / "org/repo#1" cross-references issues even when
    # escaped, so a word joiner goes after them; likewise inside "://" and "www." for autolinks.
    for trigger, defused in _DEFUSE:
        text = text.replace(trigger, defused)
    return text


def code_span(text: str, limit: int = _MAX_CELL) -> str:
    """``text`` as an inline code span that is safe inside a table cell.

    The fence is one backtick longer than the longest backtick run inside; pipes are escaped
    (GFM removes that backslash before parsing the span) and line breaks become spaces.
    """
    text = sanitize_terminal(_NEWLINES.sub(" ", _shorten(text, limit))).replace("|", "\\|")
    longest = max((len(run) for run in re.findall(r"`+", text)), default=0)
    fence = "`" * (longest + 1)
    pad = " " if text.startswith("`") or text.endswith("`") or not text.strip() else ""
    return f"{fence}{pad}{text}{pad}{fence}"


def _summary(result: ScanResult) -> list[str]:
    targets = ", ".join(code_span(target, 120) for target in result.targets) or "nothing"
    counts = result.count_by_severity()
    worst = result.max_severity()
    headline = (
        "✅ No findings"
        if worst is None
        else f"{_ICON[worst.label]} {len(result.findings)} findings ({severity_summary(result)})"
    )
    line = f"### mlwarden {escape_text(result.tool_version, 40)}: {headline} in {targets}"
    cells = " | ".join(f"{_ICON[s.label]} {s.label}: **{counts[s]}**" for s in SEVERITIES_DESC)
    extra = f"suppressed: {len(result.suppressed)}, errors: {len(result.errors)}, artifacts: {len(result.artifacts)}"
    return [line, "", f"{cells} | {extra}", ""]


def _matrix(result: ScanResult) -> list[str]:
    if not result.findings:
        return []
    matrix = by_stage_and_severity(result.findings)
    header = "| Stage | " + " | ".join(s.label for s in SEVERITIES_DESC) + " | total |"
    rule = "|---|" + "---:|" * (len(SEVERITIES_DESC) + 1)
    rows = [header, rule]
    for stage in Stage:
        counts = matrix[stage]
        if any(counts.values()):
            cells = " | ".join(str(counts[s]) for s in SEVERITIES_DESC)
            rows.append(f"| {stage.value} | {cells} | {sum(counts.values())} |")
    return [*rows, ""]


def _row(finding: Finding) -> str:
    severity = f"{_ICON[finding.severity.label]} {finding.severity.label}"
    rule = f"{code_span(finding.rule_id, 40)} {escape_text(finding.risk_id, 40)}"
    message = escape_text(finding.message)
    if finding.evidence:
        message += f"<br>evidence: {code_span(finding.evidence, _MAX_EVIDENCE)}"
    return f"| {severity} | {rule} | {code_span(finding.location.display())} | {message} |"


def _findings(findings: list[Finding], options: ReportOptions) -> tuple[list[str], list[Finding]]:
    """The findings table within the row cap and the size budget, and the findings it shows."""
    lines = ["| Severity | Rule | Location | Message |", "|---|---|---|---|"]
    shown: list[Finding] = []
    used = 0
    for finding in findings[: options.max_findings]:
        row = _row(finding)
        if used + len(row) > _BUDGET:
            break
        lines.append(row)
        shown.append(finding)
        used += len(row)
    if len(shown) < len(findings):
        lines += ["", f"…and {len(findings) - len(shown)} more (see the full report)."]
    return [*lines, ""], shown


def _remediation(shown: list[Finding], rules: RuleSet) -> list[str]:
    lines: list[str] = []
    seen: set[str] = set()
    for finding in shown:
        if finding.rule_id in seen:
            continue
        seen.add(finding.rule_id)
        rule = rules.get(finding.rule_id)
        title = rule.title if rule else finding.title
        advice = rule.remediation if rule else finding.remediation
        if not advice:
            continue
        summary = html.escape(sanitize_terminal(f"{finding.rule_id}: {title}"))
        lines += [f"<details><summary>{summary}</summary>", "", escape_text(advice, 2000), "", "</details>"]
    return ["#### Remediation", "", *lines, ""] if lines else []


def _errors(errors: tuple[ScanError, ...]) -> list[str]:
    if not errors:
        return []
    lines = ["#### Not scanned", "", "| Location | Kind | Problem |", "|---|---|---|"]
    for error in errors[:50]:
        where = error.path + (f"!/{error.member}" if error.member else "")
        problem = escape_text(error.message + (f" ({error.hint})" if error.hint else ""))
        lines.append(f"| {code_span(where)} | {error.kind.value} | {problem} |")
    if len(errors) > 50:
        lines += ["", f"…and {len(errors) - 50} more."]
    return [*lines, ""]


def _suppressed(items: tuple[SuppressedFinding, ...]) -> list[str]:
    if not items:
        return []
    lines = [f"<details><summary>{len(items)} suppressed</summary>", ""]
    lines += ["| Rule | Location | Reason | Expires |", "|---|---|---|---|"]
    for item in items[:50]:
        finding = item.finding
        expires = escape_text(item.expires or "never", 40)
        lines.append(
            f"| {code_span(finding.rule_id, 40)} | {code_span(finding.location.display())}"
            f" | {escape_text(item.reason)} | {expires} |"
        )
    return [*lines, "", "</details>", ""]


def render(result: ScanResult, rules: RuleSet, options: ReportOptions) -> bytes:
    """The comment as UTF-8 Markdown."""
    lines = _summary(result) + _matrix(result)
    findings = display_order(result.findings)
    if findings:
        table, shown = _findings(findings, options)
        lines += table + _remediation(shown, rules)
    lines += _errors(result.errors)
    if options.show_suppressed:
        lines += _suppressed(result.suppressed)
    return ("\n".join(lines).rstrip("\n") + "\n").encode("utf-8")
