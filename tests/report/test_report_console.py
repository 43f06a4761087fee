"""Console: grouped output, colour only on request, and no escape sequence from a scanned string."""

from __future__ import annotations

import re
from typing import Any

from mlwarden.core.findings import ScanResult
from mlwarden.core.rules import RuleSet
from mlwarden.report import Format, ReportOptions, render

_SGR = re.compile(r"\x1b\[[0-9;]*m")


def _text(result: ScanResult, rules: RuleSet, **options: Any) -> str:
    return render(result, rules, Format.CONSOLE, ReportOptions(**options)).decode("utf-8")


def test_plain_output_has_no_escapes(result: ScanResult, rules: RuleSet) -> None:
    text = _text(result, rules)
    assert "\x1b" not in text
    assert "\r" not in text
    assert "Output erases the line:\\x0d| all clear" in text


def test_colour_output_has_only_colour_codes(result: ScanResult, rules: RuleSet) -> None:
    text = _text(result, rules, color=True)
    assert _SGR.search(text)
    assert "\x1b" not in _SGR.sub("", text)  # the hostile \x1b[2K did not survive


def test_grouped_by_stage_then_severity(result: ScanResult, rules: RuleSet) -> None:
    text = _text(result, rules)
    stages = [line.split(" (")[0] for line in text.splitlines() if re.match(r"^[A-Z]+ \(\d+\)$", line)]
    assert stages == ["DESIGN", "DATA", "MODEL", "SERVING", "PLATFORM"]
    model = text[text.index("MODEL (2)") : text.index("SERVING (1)")]
    assert model.index("CRITICAL") < model.index("LOW")


def test_counts_errors_remediation_and_suppressed(result: ScanResult, rules: RuleSet) -> None:
    text = _text(result, rules)
    assert "Findings: 1 critical, 1 high, 1 medium, 2 low, 1 info" in text
    assert "Not scanned (2)" in text and "hint: pip install 'mlwarden[onnx]'" in text
    assert "How to fix" in text and "Удалите или замаскируйте столбец" in text
    assert "Suppressed (1)" in text
    assert "Suppressed" not in _text(result, rules, show_suppressed=False)


def test_markup_in_names_is_not_interpreted(result: ScanResult, rules: RuleSet) -> None:
    text = _text(result, rules)
    assert "`[x](y)`\\xff.bin" in text  # brackets shown, not eaten as rich markup
    assert "<script>alert(1)</script>" in text


def test_width_is_respected(result: ScanResult, rules: RuleSet) -> None:
    text = _text(result, rules, width=60)
    assert max(len(line) for line in text.splitlines()) <= 60


def test_environment_does_not_change_output(result: ScanResult, rules: RuleSet, monkeypatch: Any) -> None:
    before = _text(result, rules)
    monkeypatch.setenv("FORCE_COLOR", "1")
    monkeypatch.setenv("COLUMNS", "50")
    assert _text(result, rules) == before


def test_clean_scan(empty: ScanResult) -> None:
    assert "No findings" in _text(empty, RuleSet())


def test_golden(result: ScanResult, rules: RuleSet, golden: Any) -> None:
    golden("report.txt", render(result, rules, Format.CONSOLE, ReportOptions()))
