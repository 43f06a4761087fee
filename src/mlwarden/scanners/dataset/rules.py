"""The dataset scanner's own rule; personal data and secrets use the shared ``sensitive_rules``."""

from __future__ import annotations

from mlwarden.core.findings import Severity, Stage
from mlwarden.core.rules import Rule

__all__ = ["DATASET_RULES", "MALFORMED_DATASET"]

MALFORMED_DATASET = Rule(
    id="MW-DATA-001",
    title="Dataset cannot be parsed",
    severity=Severity.MEDIUM,
    risk_ids=("DATA-03", "DATA-02"),
    stage=Stage.DATA,
    help=(
        "Part of the dataset could not be read as its format: rows with the wrong number of fields, invalid "
        "UTF-8, unbalanced quotes or a row longer than the reader's block. Those rows reach training pipelines "
        "differently depending on the parser, and they were not checked for personal data."
    ),
    remediation=(
        "Re-export the file with a standard writer (UTF-8, quoted fields), or fix the reported rows; then scan "
        "again so every row is classified."
    ),
    cwe="CWE-20",
)

DATASET_RULES: tuple[Rule, ...] = (MALFORMED_DATASET,)
