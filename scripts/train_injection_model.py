"""Train the bundled prompt-injection classifier and export it to the package's JSON format.

    .venv/bin/python scripts/train_injection_model.py [--data PATH] [--validation PATH] [--out PATH]
                                                      [--buckets 131072] [--c C] [--floor 0.5]
                                                      [--natural 4000] [--no-cv] [--ood-check]

Reads the project's own labelled set (``src/mlwarden/guard/injection/data/train.jsonl``; both files
are rebuilt by ``data/generate.py`` when missing) plus ``--natural`` docstring paragraphs of the
interpreter's standard library as benign text (read at training time, not stored). Featurises every
text with the package's own ``model_input()`` + ``features()`` (so training and inference cannot
disagree), prints 5-fold cross-validated precision / recall / F1 / false-positive rate on the
training set (optimistic: same grammar), fits on everything, reports the internal VALIDATION split
(``validation.jsonl``, written from a separate grammar) for the classifier alone and for the whole
detector (rules + classifier), prints validation F1 / FPR for other evidence floors (the model keeps
``--floor``, default 0.5: the validation benign text is too narrow to set an operating point on),
reports the same for the held-out natural-register set (``build.natural_holdout_records()``, a
separate grammar never trained on) and for the held-out world-language set
(``build.world_holdout_records()``, per language too), with ``--ood-check`` also the false-positive rate on docstring
paragraphs of standard-library *packages* (``email/``, ``json/`` ...; never trained on), and
writes ``src/mlwarden/guard/injection/model/injection.json`` (int16-quantised weights, base64).
scikit-learn and numpy are dev dependencies; nothing under ``src/`` imports them. Deterministic for a
given Python minor version: fixed seed, liblinear solver.
"""

from __future__ import annotations

# ruff: noqa: T201 - a command-line script reports on stdout
import argparse
import ast
import dataclasses
import json
import random
import re
import sys
from array import array
from collections import defaultdict
from pathlib import Path

import numpy as np
from scipy.sparse import csr_matrix
from sklearn.linear_model import LogisticRegression
from sklearn.model_selection import StratifiedKFold

from mlwarden.guard.injection.classifier import InjectionClassifier, features, model_input
from mlwarden.guard.injection.data import generate
from mlwarden.guard.injection.data.build import natural_holdout_records, world_holdout_records
from mlwarden.guard.injection.detector import DEFAULT_THRESHOLD, InjectionDetector
from mlwarden.guard.normalize import normalize

ROOT = Path(__file__).resolve().parents[1]
PACKAGE = ROOT / "src" / "mlwarden" / "guard" / "injection"
SEED = 1729
FLOORS = (0.2, 0.3, 0.4, 0.5, 0.6)


def load(path: Path) -> list[dict[str, object]]:
    if not path.exists():
        generate.main()
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]


def natural_negatives(limit: int) -> list[dict[str, object]]:
    """Docstring paragraphs of the interpreter's own top-level standard-library modules, as benign text.

    Natural technical English ("decode the bytes", "ignore errors", "the original instructions", "must",
    "default", "system") that synthetic grammars under-represent; read at training time, never stored in
    the repository. Packages (``email/``, ``json/`` ...) are left out: ``--ood-check`` scores them.
    """
    ordered = _stdlib_paragraphs("*.py")
    random.Random(SEED).shuffle(ordered)  # noqa: S311 - reproducible sampling, not security
    return [{"text": t, "label": 0, "category": "benign", "language": "en"} for t in ordered[:limit]]


def _stdlib_paragraphs(pattern: str) -> list[str]:
    library = Path(sys.base_prefix) / "lib" / f"python{sys.version_info.major}.{sys.version_info.minor}"
    paragraphs: set[str] = set()
    for path in sorted(library.glob(pattern)):
        if path.parent.name in ("site-packages", "dist-packages", "test", "idlelib"):
            continue
        try:
            tree = ast.parse(path.read_text(encoding="utf-8"))
        except (SyntaxError, UnicodeDecodeError, OSError):
            continue
        paragraphs.update(_docstring_paragraphs(tree))
    return sorted(paragraphs)


def ood_negatives(limit: int = 2000) -> list[dict[str, object]]:
    """Docstring paragraphs of standard-library packages (``email/``, ``json/`` ...): benign, never trained on."""
    texts = _stdlib_paragraphs("*/*.py")
    random.Random(SEED).shuffle(texts)  # noqa: S311 - reproducible sampling, not security
    return [{"text": t, "label": 0, "category": "benign", "language": "en"} for t in texts[:limit]]


def _docstring_paragraphs(tree: ast.AST) -> list[str]:
    kinds = (ast.Module, ast.ClassDef, ast.FunctionDef, ast.AsyncFunctionDef)
    out = []
    for node in ast.walk(tree):
        doc = ast.get_docstring(node) if isinstance(node, kinds) else None
        for paragraph in re.split(r"\n\s*\n", doc or ""):
            text = " ".join(paragraph.split())
            if 60 <= len(text) <= 600 and sum(ch.isalpha() for ch in text) > 0.6 * len(text):
                out.append(text)
    return out


def labels(records: list[dict[str, object]]) -> np.ndarray:
    return np.array([int(str(r["label"])) for r in records])


def matrix(texts: list[str], buckets: int) -> csr_matrix:
    rows, cols, values = [], [], []
    for i, text in enumerate(texts):
        folded, extras = model_input(normalize(text))
        for col, value in features(folded, buckets, extras).items():
            rows.append(i)
            cols.append(col)
            values.append(value)
    return csr_matrix((values, (rows, cols)), shape=(len(texts), buckets), dtype=np.float64)


def model(c: float) -> LogisticRegression:
    return LogisticRegression(C=c, solver="liblinear", class_weight="balanced", random_state=SEED, max_iter=2000)


def summary(truth: np.ndarray, predicted: np.ndarray) -> str:
    tp = int(np.sum(predicted & truth))
    fp = int(np.sum(predicted & ~truth))
    fn = int(np.sum(~predicted & truth))
    tn = int(np.sum(~predicted & ~truth))
    precision = tp / max(tp + fp, 1)
    recall = tp / max(tp + fn, 1)
    f1 = 2 * precision * recall / max(precision + recall, 1e-9)
    return f"precision {precision:.3f} recall {recall:.3f} F1 {f1:.3f} FPR {fp / max(fp + tn, 1):.3f}"


def cross_validate(x: csr_matrix, y: np.ndarray, c: float) -> None:
    predicted = np.zeros(len(y), dtype=bool)
    for train, test in StratifiedKFold(n_splits=5, shuffle=True, random_state=SEED).split(x, y):
        predicted[test] = model(c).fit(x[train], y[train]).predict_proba(x[test])[:, 1] >= 0.5
    print(f"5-fold CV (training grammar, optimistic): {summary(y == 1, predicted)}")


def per_category(records: list[dict[str, object]], flags: np.ndarray, key: str = "category") -> str:
    per: dict[str, list[int]] = defaultdict(lambda: [0, 0])
    for record, flag in zip(records, flags, strict=True):
        name = str(record[key]) if key == "category" else f"{record[key]}/{'attack' if record['label'] else 'benign'}"
        per[name][0] += int(flag)
        per[name][1] += 1
    return ", ".join(f"{name} {hit / total:.2f} (n={total})" for name, (hit, total) in sorted(per.items()))


def floor_grid(y: np.ndarray, rules: np.ndarray, probs: np.ndarray) -> None:
    """Validation F1 / FPR for other evidence floors (information only: see ``--floor``)."""
    for floor in FLOORS:
        evidence = np.clip((probs - floor) / (1 - floor), 0, 1)
        flags = 1 - (1 - rules) * (1 - evidence) >= DEFAULT_THRESHOLD
        fpr = np.sum(flags & ~y) / max(np.sum(~y), 1)
        f1 = 2 * np.sum(flags & y) / max(np.sum(flags) + np.sum(y), 1)
        print(f"  floor {floor:.2f}: F1 {f1:.3f} FPR {fpr:.4f}")


def validate(
    classifier: InjectionClassifier, records: list[dict[str, object]], floor: float, name: str = "validation"
) -> InjectionClassifier:
    """Print ``name`` metrics for the classifier alone, the floor grid and the whole detector at ``floor``."""
    y = labels(records) == 1
    detector = InjectionDetector()
    detector.classifier = classifier
    results = [detector.detect(str(r["text"])) for r in records]
    probs = np.array([r.classifier or 0.0 for r in results])
    print(f"{name}, classifier alone (p >= 0.5): {summary(y, probs >= 0.5)}")
    floor_grid(y, np.array([r.rule_score for r in results]), probs)
    classifier = dataclasses.replace(classifier, floor=floor)
    detector.classifier = classifier
    full = np.array([detector.detect(str(r["text"])).score >= DEFAULT_THRESHOLD for r in records])
    print(f"{name}, detector (rules + classifier, floor {floor}): {summary(y, full)}")
    print(f"  flagged per category: {per_category(records, full)}")
    if len({r["language"] for r in records}) > 2:
        print(f"  flagged per language: {per_category(records, full, key='language')}")
    return classifier


def export(fitted: LogisticRegression, buckets: int, n: int) -> InjectionClassifier:
    weights = fitted.coef_[0]
    scale = float(np.max(np.abs(weights))) / 32767 or 1.0
    quantised = array("h", (round(float(w) / scale) for w in weights))
    return InjectionClassifier(buckets=buckets, bias=float(fitted.intercept_[0]), scale=scale,
                               weights=quantised, version=f"train-{n}-seed{SEED}")  # fmt: skip


def write(classifier: InjectionClassifier, out: Path) -> None:
    data = classifier.to_json()
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(json.dumps(data) + "\n", encoding="utf-8")
    print(f"wrote {out} ({out.stat().st_size // 1024} KiB)")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", type=Path, default=PACKAGE / "data" / "train.jsonl")
    parser.add_argument("--validation", type=Path, default=PACKAGE / "data" / "validation.jsonl")
    parser.add_argument("--out", type=Path, default=PACKAGE / "model" / "injection.json")
    parser.add_argument("--buckets", type=int, default=1 << 17)
    parser.add_argument("--c", type=float, default=6.0, help="inverse regularisation (chosen on the validation split)")
    parser.add_argument("--floor", type=float, default=0.5, help="classifier evidence floor stored in the model")
    parser.add_argument(
        "--natural", type=int, default=4000, help="standard-library docstring paragraphs added as benign"
    )
    parser.add_argument("--no-cv", action="store_true", help="skip the 5-fold cross-validation")
    parser.add_argument(
        "--ood-check", action="store_true", help="also score standard-library package docstrings (benign, unseen)"
    )
    args = parser.parse_args()
    records = load(args.data) + natural_negatives(args.natural)
    y = labels(records)
    print(f"{len(records)} examples ({int(y.sum())} injections, {int(len(y) - y.sum())} benign)")
    x = matrix([str(r["text"]) for r in records], args.buckets)
    if not args.no_cv:
        cross_validate(x, y, args.c)
    classifier = export(model(args.c).fit(x, y), args.buckets, len(records))
    classifier = validate(classifier, load(args.validation), args.floor)
    validate(classifier, natural_holdout_records(), args.floor, name="natural hold-out")
    validate(classifier, world_holdout_records(), args.floor, name="world-language hold-out")
    if args.ood_check:
        validate(classifier, ood_negatives(), args.floor, name="stdlib packages (benign only)")
    write(classifier, args.out)


if __name__ == "__main__":
    main()
