"""The hand-written dev set as a regression floor (the report prints the per-kind numbers)."""

from __future__ import annotations

from tests.detectors.data.pii_devset import NEGATIVES, POSITIVES
from tests.detectors.pii_devset_report import evaluate, gold_spans, prf

from mlwarden.detectors.detector_set import DetectorSet
from mlwarden.detectors.pii.detector import PII_KINDS


def test_devset_is_well_formed() -> None:
    assert len(POSITIVES) >= 250 and len(NEGATIVES) >= 120
    for record in POSITIVES:
        for kind, _, _ in gold_spans(record):
            assert kind in PII_KINDS


def test_devset_scores_stay_above_the_floor() -> None:
    tally = evaluate(DetectorSet(kinds=PII_KINDS, secrets=False), POSITIVES, NEGATIVES)
    precision, recall, _ = prf(sum(tally.tp.values()), sum(tally.fp.values()), sum(tally.fn.values()))
    assert precision >= 0.95 and recall >= 0.92, "\n".join(tally.errors)
    assert tally.negative_texts_flagged <= 6
