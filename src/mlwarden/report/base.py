"""The reporter contract: ``Format``, ``ReportOptions``, the ``Reporter`` protocol and dispatch.

Dispatch is an exhaustive ``match`` closed with ``assert_never``, so adding a ``Format`` member
without a reporter fails type checking (and ``tests/report/test_report_base.py`` loops over every
member at run time). Reporter modules are imported lazily so ``mlwarden --help`` does not pay for
Jinja2 or rich.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum
from typing import Protocol, assert_never

from mlwarden.core.findings import ScanResult
from mlwarden.core.rules import RuleSet

__all__ = ["Format", "ReportOptions", "Reporter", "render", "reporter_for"]


class Format(StrEnum):
    """Every output format the CLI offers; the value is what the user types after ``--format``."""

    CONSOLE = "console"
    JSON = "json"
    SARIF = "sarif"
    MARKDOWN = "markdown"
    HTML = "html"

    @property
    def suffix(self) -> str:
        """The conventional file-name suffix (with the dot) for an output file of this format."""
        match self:
            case Format.CONSOLE:
                return ".txt"
            case Format.JSON:
                return ".json"
            case Format.SARIF:
                return ".sarif"
            case Format.MARKDOWN:
                return ".md"
            case Format.HTML:
                return ".html"
            case _:
                assert_never(self)


@dataclass(frozen=True, slots=True, kw_only=True)
class ReportOptions:
    """Presentation choices only; never scan options and never the CLI's own option object.

    ``color`` and ``width`` matter to the console reporter; ``show_suppressed`` to the human formats
    (JSON and SARIF always carry suppressed findings, marked as such, because machines filter);
    ``max_findings`` caps the Markdown table so a PR comment stays under the host's size limit.
    """

    color: bool = False
    show_suppressed: bool = True
    width: int | None = None
    max_findings: int = 200

    def __post_init__(self) -> None:
        if self.width is not None and self.width < 40:
            raise ValueError(f"width must be at least 40 columns, got {self.width}")
        if self.max_findings < 1:
            raise ValueError(f"max_findings must be positive, got {self.max_findings}")


class Reporter(Protocol):
    """ScanResult in, bytes out. Each format module satisfies it with a module-level ``render``."""

    def render(self, result: ScanResult, rules: RuleSet, options: ReportOptions) -> bytes:
        """Render ``result``; ``rules`` explains the rule ids the findings refer to."""
        ...


def reporter_for(fmt: Format) -> Reporter:
    """The reporter (a format module) of ``fmt``; exhaustive over ``Format``."""
    match fmt:
        case Format.CONSOLE:
            from mlwarden.report import console

            return console
        case Format.JSON:
            from mlwarden.report import json_report

            return json_report
        case Format.SARIF:
            from mlwarden.report import sarif

            return sarif
        case Format.MARKDOWN:
            from mlwarden.report import markdown

            return markdown
        case Format.HTML:
            from mlwarden.report import html

            return html
        case _:
            assert_never(fmt)


def render(result: ScanResult, rules: RuleSet, fmt: Format, options: ReportOptions | None = None) -> bytes:
    """Render ``result`` as ``fmt``; the one entry point the CLI and the library call."""
    return reporter_for(fmt).render(result, rules, options or ReportOptions())
