"""Score the hand-written injection dev set with the detector alone and with the full input guard.

    .venv/bin/python scripts/injection_dev_report.py [--threshold 0.5] [--show-errors]

Prints precision, recall, F1 and false-positive rate overall, per category and per language for
``InjectionDetector()`` (flagged when score >= threshold) and for ``Guard(GuardPolicy.default())
.check_input`` (flagged when the decision is ``block``). Texts are printed only with
``--show-errors``. The dev set (``data/dev.jsonl``) is for choosing operating points, not a benchmark.
"""

from __future__ import annotations

# ruff: noqa: T201 - a command-line script reports on stdout
import argparse
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from mlwarden.guard.decision import Action
from mlwarden.guard.injection.data.devset import load_dev
from mlwarden.guard.injection.detector import DEFAULT_THRESHOLD, InjectionDetector
from mlwarden.guard.pipeline import Guard
from mlwarden.guard.policy import GuardPolicy


@dataclass(frozen=True, slots=True)
class Counts:
    """Confusion counts of one slice."""

    tp: int = 0
    fp: int = 0
    tn: int = 0
    fn: int = 0

    def add(self, label: int, flagged: bool) -> Counts:
        """These counts plus one prediction."""
        return Counts(self.tp + (label == 1 and flagged), self.fp + (label == 0 and flagged),
                      self.tn + (label == 0 and not flagged), self.fn + (label == 1 and not flagged))  # fmt: skip

    def row(self, name: str) -> str:
        """One table line: n, precision, recall, F1, FPR (``-`` where undefined)."""

        def ratio(num: int, den: int) -> str:
            return f"{num / den:.3f}" if den else "    -"

        positives = self.tp + self.fn
        f1 = ratio(2 * self.tp, 2 * self.tp + self.fp + self.fn) if positives else "    -"
        n = self.tp + self.fp + self.tn + self.fn
        precision = ratio(self.tp, self.tp + self.fp) if positives else "    -"
        return (f"  {name:<14} n={n:<4} P={precision} R={ratio(self.tp, positives)} "
                f"F1={f1} FPR={ratio(self.fp, self.fp + self.tn)}")  # fmt: skip


def report(name: str, records: Sequence[dict[str, object]], flags: Sequence[bool], *, show_errors: bool) -> None:
    """Print the overall, per-category and per-language table for one set of predictions."""
    overall = Counts()
    slices: dict[str, Counts] = {}
    errors: list[str] = []
    for record, flagged in zip(records, flags, strict=True):
        label = int(str(record["label"]))
        overall = overall.add(label, flagged)
        for key in (f"cat:{record['category']}", f"lang:{record['language']}"):
            slices[key] = slices.get(key, Counts()).add(label, flagged)
        if show_errors and flagged != (label == 1):
            kind = "FP" if flagged else "FN"
            errors.append(f"  {kind} [{record['category']}/{record['language']}] {record['text']!r}")
    print(f"{name}")
    print(overall.row("overall"))
    for prefix, title in (("cat:", "per category"), ("lang:", "per language")):
        print(f" {title}:")
        for key in sorted(k for k in slices if k.startswith(prefix)):
            print(slices[key].row(key.removeprefix(prefix)))
    if show_errors:
        print(f" misclassified ({len(errors)}):")
        print("\n".join(errors))
    print()


def main(argv: Sequence[str] | None = None) -> None:
    """Run the detector and the guard over the dev set and print both reports."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--threshold", type=float, default=DEFAULT_THRESHOLD, help="detector score threshold")
    parser.add_argument("--show-errors", action="store_true", help="print the misclassified texts")
    args = parser.parse_args(argv)
    records = load_dev()
    texts = [str(record["text"]) for record in records]
    detector = InjectionDetector()
    guard = Guard(GuardPolicy.default())
    runs: list[tuple[str, Callable[[str], bool]]] = [
        (f"detector (score >= {args.threshold})", lambda text: detector.detect(text).score >= args.threshold),
        ("guard (check_input decision == block)", lambda text: guard.check_input(text).action is Action.BLOCK),
    ]
    attacks = sum(1 for record in records if record["label"] == 1)
    print(f"dev set: {len(records)} records, {attacks} attacks, {len(records) - attacks} benign\n")
    for name, flag in runs:
        report(name, records, [flag(text) for text in texts], show_errors=args.show_errors)


if __name__ == "__main__":
    main()
