"""Reporters: turn one ScanResult into bytes in a chosen format.

Reporters are pure formatting: they get a value (``ScanResult`` plus the ``RuleSet`` that explains
its rule ids), do no I/O and no scanning, and treat every string that came from a scanned artifact
as hostile. The CLI picks a ``Format`` and writes the bytes where the user asked.
"""

from __future__ import annotations

from mlwarden.report.base import Format, Reporter, ReportOptions, render, reporter_for

__all__ = ["Format", "ReportOptions", "Reporter", "render", "reporter_for"]
