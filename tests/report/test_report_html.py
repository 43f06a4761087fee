"""HTML: one self-contained, escaped page that loads nothing from the network."""

from __future__ import annotations

import re
from datetime import UTC, datetime
from typing import Any

from mlwarden.core.findings import Location, ScanResult, Severity
from mlwarden.core.rules import RuleSet
from mlwarden.report import Format, ReportOptions, render


def _html(result: ScanResult, rules: RuleSet, **options: Any) -> str:
    return render(result, rules, Format.HTML, ReportOptions(**options)).decode("utf-8")


def test_no_network_resources(result: ScanResult, rules: RuleSet) -> None:
    page = _html(result, rules)
    assert "http://" not in page
    assert "https://" not in page
    assert not re.search(r"<(link|img|iframe|object|embed)\b", page)
    assert not re.search(r"<script[^>]*\bsrc=", page)
    assert "@import" not in page and "url(" not in page
    assert "default-src &#39;none&#39;" in page  # a CSP backs the escaping up


def test_hostile_path_is_escaped(result: ScanResult, rules: RuleSet) -> None:
    page = _html(result, rules)
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page
    assert "<script>alert(1)" not in page
    assert page.count("<script>") == 1  # only our own filter script
    assert "&lt;b&gt;card&lt;/b&gt;" in page
    assert "\x1b" not in page


def test_hostile_message_cannot_load_anything(rules: RuleSet) -> None:
    rule = next(iter(rules))
    finding = rule.finding(
        location=Location(path='"><img src="http://evil/x.png">'),
        message='<img src="https://evil/y.png" onerror="alert(1)">',
        scanner="s",
        scanner_version=1,
        match_key="k",
        evidence="</code></td><script>alert(2)</script>",
    )
    moment = datetime(2025, 1, 1, tzinfo=UTC)
    page = _html(
        ScanResult(targets=("t",), tool_version="1", started=moment, finished=moment, findings=(finding,)), rules
    )
    assert not re.search(r"<img\b", page)
    assert "<script>alert" not in page
    assert "&lt;img src=&#34;https://evil/y.png&#34;" in page


def test_sections(result: ScanResult, rules: RuleSet) -> None:
    page = _html(result, rules)
    for section in ("Findings (6)", "Errors (2)", "Suppressed (1)", "By stage and severity", "Artifacts (4)"):
        assert section in page
    for severity in Severity:
        assert f'class="badge {severity.label}"' in page
    assert "Найден номер паспорта РФ в столбце «паспорт»" in page
    assert "pip install &#39;mlwarden[onnx]&#39;" in page
    assert "2025-01-02T03:04:05Z" in page
    assert 'id="filter"' in page


def test_suppressed_can_be_hidden(result: ScanResult, rules: RuleSet) -> None:
    assert "Suppressed (" not in _html(result, rules, show_suppressed=False)


def test_clean_scan(empty: ScanResult) -> None:
    page = _html(empty, RuleSet())
    assert "No findings." in page


def test_golden(result: ScanResult, rules: RuleSet, golden: Any) -> None:
    golden("report.html", render(result, rules, Format.HTML, ReportOptions()))
