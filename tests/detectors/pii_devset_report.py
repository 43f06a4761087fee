"""Per-kind precision, recall and F1 of the personal-data detectors on the hand-written dev set.

Run ``python -m tests.detectors.pii_devset_report`` (``--errors`` lists every miss and false
alarm). A predicted span matches a gold span of the same kind when their overlap covers at least
half of the longer of the two; each gold span is matched at most once. ``NEGATIVES`` have no gold
spans, so everything found in them is a false positive.
"""

from __future__ import annotations

import argparse
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

from tests.detectors.data.pii_devset import NEGATIVES, POSITIVES, Record

from mlwarden.detectors.detector_set import DetectorSet
from mlwarden.detectors.pii.detector import PII_KINDS

Span = tuple[str, int, int]


@dataclass
class Tally:
    """Counts per kind and the errors behind them."""

    tp: Counter[str] = field(default_factory=Counter)
    fp: Counter[str] = field(default_factory=Counter)
    fn: Counter[str] = field(default_factory=Counter)
    errors: list[str] = field(default_factory=list)
    negative_texts_flagged: int = 0


def gold_spans(record: Record) -> list[Span]:
    """Gold spans with offsets (the first occurrence of each substring)."""
    text, spans = record
    found: list[Span] = []
    for kind, value in spans:
        start = text.find(value)
        if start < 0:
            raise ValueError(f"gold {value!r} not in {text!r}")
        found.append((kind, start, start + len(value)))
    return found


def overlaps(a: Span, b: Span) -> bool:
    """Same kind, and the overlap is at least half of the longer span."""
    if a[0] != b[0]:
        return False
    inter = min(a[2], b[2]) - max(a[1], b[1])
    return inter > 0 and 2 * inter >= max(a[2] - a[1], b[2] - b[1])


def predict(detectors: DetectorSet, text: str) -> list[Span]:
    """What the detectors report, as spans."""
    return [(m.kind, m.start, m.end) for m in detectors.detect(text)]


def score_text(tally: Tally, text: str, gold: list[Span], predicted: list[Span]) -> None:
    """Match predictions to gold one-to-one and count."""
    unmatched = list(gold)
    for p in predicted:
        hit = next((g for g in unmatched if overlaps(g, p)), None)
        if hit is None:
            tally.fp[p[0]] += 1
            tally.errors.append(f"FP {p[0]:<14} {text[p[1] : p[2]]!r}   in {text!r}")
        else:
            unmatched.remove(hit)
            tally.tp[p[0]] += 1
    for g in unmatched:
        tally.fn[g[0]] += 1
        tally.errors.append(f"FN {g[0]:<14} {text[g[1] : g[2]]!r}   in {text!r}")


def evaluate(detectors: DetectorSet, positives: Iterable[Record], negatives: Iterable[str]) -> Tally:
    """Score the detectors on the dev set."""
    tally = Tally()
    for record in positives:
        score_text(tally, record[0], gold_spans(record), predict(detectors, record[0]))
    for text in negatives:
        predicted = predict(detectors, text)
        tally.negative_texts_flagged += bool(predicted)
        score_text(tally, text, [], predicted)
    return tally


def prf(tp: int, fp: int, fn: int) -> tuple[float, float, float]:
    """Precision, recall, F1 (1.0 when there is nothing to find and nothing found)."""
    precision = tp / (tp + fp) if tp + fp else 1.0
    recall = tp / (tp + fn) if tp + fn else 1.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return precision, recall, f1


def report(tally: Tally) -> str:
    """The per-kind table and the micro average."""
    kinds = sorted(set(tally.tp) | set(tally.fp) | set(tally.fn))
    lines = [f"{'kind':<15}{'gold':>6}{'tp':>6}{'fp':>6}{'fn':>6}{'P':>8}{'R':>8}{'F1':>8}"]
    for kind in kinds:
        tp, fp, fn = tally.tp[kind], tally.fp[kind], tally.fn[kind]
        p, r, f = prf(tp, fp, fn)
        lines.append(f"{kind:<15}{tp + fn:>6}{tp:>6}{fp:>6}{fn:>6}{p:>8.3f}{r:>8.3f}{f:>8.3f}")
    tp, fp, fn = sum(tally.tp.values()), sum(tally.fp.values()), sum(tally.fn.values())
    p, r, f = prf(tp, fp, fn)
    lines.append(f"{'micro':<15}{tp + fn:>6}{tp:>6}{fp:>6}{fn:>6}{p:>8.3f}{r:>8.3f}{f:>8.3f}")
    lines.append(f"negative texts flagged: {tally.negative_texts_flagged}/{len(NEGATIVES)}")
    return "\n".join(lines)


def main(argv: Sequence[str] | None = None) -> int:
    """Print the report (and the errors with ``--errors``)."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--errors", action="store_true", help="list every false positive and miss")
    args = parser.parse_args(argv)
    detectors = DetectorSet(kinds=PII_KINDS, secrets=False)
    tally = evaluate(detectors, POSITIVES, NEGATIVES)
    print(f"records: {len(POSITIVES)} with personal data, {len(NEGATIVES)} hard negatives")
    print(report(tally))
    if args.errors:
        print("\n".join(tally.errors))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
