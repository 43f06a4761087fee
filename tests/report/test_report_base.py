"""The dispatch is exhaustive: every Format has a reporter that renders the fixture to bytes."""

from __future__ import annotations

import pytest

from mlwarden.core.findings import ScanResult
from mlwarden.core.rules import RuleSet
from mlwarden.report import Format, ReportOptions, render, reporter_for


@pytest.mark.parametrize("fmt", list(Format))
def test_every_format_has_a_reporter(fmt: Format, result: ScanResult, rules: RuleSet) -> None:
    data = render(result, rules, fmt, ReportOptions())
    assert isinstance(data, bytes)
    assert data
    data.decode("utf-8")  # every format is UTF-8
    assert reporter_for(fmt).render(result, rules, ReportOptions()) == data


@pytest.mark.parametrize("fmt", list(Format))
def test_every_format_has_a_suffix(fmt: Format) -> None:
    assert fmt.suffix.startswith(".")


def test_format_values_are_what_users_type() -> None:
    assert [f.value for f in Format] == ["console", "json", "sarif", "markdown", "html"]
    assert Format("sarif") is Format.SARIF
    assert str(Format.JSON) == "json"


def test_options_default_when_omitted(result: ScanResult, rules: RuleSet) -> None:
    assert render(result, rules, Format.JSON) == render(result, rules, Format.JSON, ReportOptions())


@pytest.mark.parametrize("kwargs", [{"width": 10}, {"max_findings": 0}])
def test_options_reject_nonsense(kwargs: dict[str, int]) -> None:
    with pytest.raises(ValueError, match="must be"):
        ReportOptions(**kwargs)  # type: ignore[arg-type]


@pytest.mark.parametrize("fmt", list(Format))
def test_rendering_is_deterministic(fmt: Format, result: ScanResult, rules: RuleSet) -> None:
    assert render(result, rules, fmt) == render(result, rules, fmt)


@pytest.mark.parametrize("fmt", list(Format))
def test_empty_result_and_empty_ruleset_render(fmt: Format, empty: ScanResult) -> None:
    assert render(empty, RuleSet(), fmt)
