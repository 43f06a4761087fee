"""Markdown for PR comments: hostile text cannot break the table, inject HTML, links or mentions."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

import pytest

from mlwarden.core.findings import Location, ScanResult
from mlwarden.core.rules import RuleSet
from mlwarden.report import Format, ReportOptions, render
from mlwarden.report.markdown import code_span, escape_text


def _md(result: ScanResult, rules: RuleSet, **options: Any) -> str:
    return render(result, rules, Format.MARKDOWN, ReportOptions(**options)).decode("utf-8")


def _table_rows(text: str, header: str) -> list[str]:
    lines = text.splitlines()
    start = lines.index(header)
    rows = []
    for line in lines[start + 2 :]:
        if not line.startswith("|"):
            break
        rows.append(line)
    return rows


def _cells(row: str) -> int:
    """Count cells the way GFM does: split on pipes not preceded by a backslash."""
    count, escaped = 0, False
    for char in row:
        if char == "|" and not escaped:
            count += 1
        escaped = char == "\\" and not escaped
    return count - 1


def test_summary_and_matrix(result: ScanResult, rules: RuleSet) -> None:
    text = _md(result, rules)
    assert text.splitlines()[0].startswith("### mlwarden 9.9.9: ")
    assert "6 findings (1 critical, 1 high, 1 medium, 2 low, 1 info)" in text
    assert "| model | 1 | 0 | 0 | 1 | 0 | 2 |" in text


def test_every_findings_row_has_four_cells(result: ScanResult, rules: RuleSet) -> None:
    rows = _table_rows(_md(result, rules), "| Severity | Rule | Location | Message |")
    assert len(rows) == 6
    assert all(_cells(row) == 4 for row in rows)


def test_hostile_content_is_inert(result: ScanResult, rules: RuleSet) -> None:
    text = _md(result, rules)
    assert "<script>" not in text.replace("`<script>alert(1)</script>`", "")  # only inside a code span
    assert "<b>" not in text
    assert "\x1b" not in text and "\r" not in text
    assert "@octocat" not in text  # no mention: a word joiner follows the @
    assert "](y)" not in text.replace("`[x](y)`", "")  # the link syntax survives only in code spans
    assert "Найден номер паспорта РФ" in text


@pytest.mark.parametrize(
    ("raw", "forbidden"),
    [
        ("a | b", " | "),
        ("[click](javascript:alert(1))", "[click]"),
        ("![img](x)", "!["),
        ("<img src=x onerror=alert(1)>", "<img"),
        ("line one\nline two", "\n"),
        ("`code`", "`code`"),
        ("**bold**", "**"),
        ("ping @org/team", "@org"),
        ("see owner/repo#12", "#12"),
        ("go to https://evil.example", "https://"),
    ],
)
def test_escape_text(raw: str, forbidden: str) -> None:
    assert forbidden not in escape_text(raw)


@pytest.mark.parametrize("raw", ["plain", "a`b", "``x``", "`", "p|q", "a\nb", " "])
def test_code_span_is_one_closed_span(raw: str) -> None:
    span = code_span(raw)
    fence = len(span) - len(span.lstrip("`"))
    assert span.endswith("`" * fence)
    inner = span[fence:-fence]
    assert "`" * fence not in inner
    assert "\n" not in span
    assert "|" not in inner.replace("\\|", "")


def test_cap_with_and_more(rules: RuleSet) -> None:
    rule = next(iter(rules))
    findings = tuple(
        rule.finding(
            location=Location(path=f"f{n:03}.pkl"), message="m", scanner="s", scanner_version=1, match_key=str(n)
        )
        for n in range(30)
    )
    moment = datetime(2025, 1, 1, tzinfo=UTC)
    scan = ScanResult(targets=("t",), tool_version="1", started=moment, finished=moment, findings=findings)
    text = _md(scan, rules, max_findings=10)
    assert len(_table_rows(text, "| Severity | Rule | Location | Message |")) == 10
    assert "…and 20 more" in text


def test_size_budget_keeps_a_comment_postable(rules: RuleSet) -> None:
    rule = next(iter(rules))
    findings = tuple(
        rule.finding(location=Location(path="p" * 500 + str(n)), message="x" * 5000, scanner="s", scanner_version=1,
                     match_key=str(n), evidence="e" * 5000)
        for n in range(400)
    )  # fmt: skip
    moment = datetime(2025, 1, 1, tzinfo=UTC)
    scan = ScanResult(targets=("t",), tool_version="1", started=moment, finished=moment, findings=findings)
    text = _md(scan, rules)
    assert len(text) < 65_536
    assert "more (see the full report)" in text


def test_remediation_is_collapsed_per_rule(result: ScanResult, rules: RuleSet) -> None:
    text = _md(result, rules)
    assert text.count("<details><summary>MW-PICKLE-001") == 1
    assert "Удалите или замаскируйте столбец" in text


def test_suppressed_can_be_hidden(result: ScanResult, rules: RuleSet) -> None:
    assert "1 suppressed" in _md(result, rules)
    assert "suppressed</summary>" not in _md(result, rules, show_suppressed=False)


def test_clean_scan(empty: ScanResult) -> None:
    text = _md(empty, RuleSet())
    assert "No findings" in text
    assert "| Severity |" not in text


def test_golden(result: ScanResult, rules: RuleSet, golden: Any) -> None:
    golden("report.md", render(result, rules, Format.MARKDOWN, ReportOptions()))
