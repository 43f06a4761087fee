"""Train the bundled prompt-injection classifier and export it to the package's JSON format.

    .venv/bin/python scripts/train_injection_model.py [--data PATH] [--out PATH] [--buckets 65536] [--c 4.0]

Reads the project's own labelled set (``src/mlwarden/guard/injection/data/train.jsonl``; rebuilt
from ``data/generate.py`` when missing), featurises every text with the package's own
``features()`` (so training and inference cannot disagree), prints 5-fold cross-validated
precision / recall / F1 / false-positive rate, fits on everything and writes
``src/mlwarden/guard/injection/model/injection.json`` (int16-quantised weights, base64).
scikit-learn and numpy are dev dependencies; nothing under ``src/`` imports them. Deterministic:
fixed seed, liblinear solver.
"""

from __future__ import annotations

# ruff: noqa: T201 - a command-line script reports on stdout
import argparse
import json
import sys
from array import array
from pathlib import Path

import numpy as np
from scipy.sparse import csr_matrix
from sklearn.linear_model import LogisticRegression
from sklearn.model_selection import StratifiedKFold

from mlwarden.guard.injection.classifier import InjectionClassifier, features
from mlwarden.guard.injection.data import generate
from mlwarden.guard.normalize import normalize

ROOT = Path(__file__).resolve().parents[1]
PACKAGE = ROOT / "src" / "mlwarden" / "guard" / "injection"
SEED = 1729


def load(path: Path) -> tuple[list[str], np.ndarray]:
    if not path.exists():
        generate.main()
    records = [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]
    return [r["text"] for r in records], np.array([int(r["label"]) for r in records])


def matrix(texts: list[str], buckets: int) -> csr_matrix:
    rows, cols, values = [], [], []
    for i, text in enumerate(texts):
        for col, value in features(normalize(text, decode=False).folded.text, buckets).items():
            rows.append(i)
            cols.append(col)
            values.append(value)
    return csr_matrix((values, (rows, cols)), shape=(len(texts), buckets), dtype=np.float64)


def model(c: float) -> LogisticRegression:
    return LogisticRegression(C=c, solver="liblinear", class_weight="balanced", random_state=SEED, max_iter=1000)


def cross_validate(x: csr_matrix, y: np.ndarray, c: float) -> None:
    tp = fp = fn = tn = 0
    for train, test in StratifiedKFold(n_splits=5, shuffle=True, random_state=SEED).split(x, y):
        predicted = model(c).fit(x[train], y[train]).predict_proba(x[test])[:, 1] >= 0.5
        truth = y[test] == 1
        tp += int(np.sum(predicted & truth))
        fp += int(np.sum(predicted & ~truth))
        fn += int(np.sum(~predicted & truth))
        tn += int(np.sum(~predicted & ~truth))
    precision = tp / max(tp + fp, 1)
    recall = tp / max(tp + fn, 1)
    f1 = 2 * precision * recall / max(precision + recall, 1e-9)
    print(f"5-fold CV: precision {precision:.3f} recall {recall:.3f} F1 {f1:.3f} FPR {fp / max(fp + tn, 1):.3f}")
    print("(templated training data: CV is optimistic; benchmarks/injection.py measures held-out templates)")


def export(fitted: LogisticRegression, buckets: int, out: Path, n: int) -> None:
    weights = fitted.coef_[0]
    scale = float(np.max(np.abs(weights))) / 32767 or 1.0
    quantised = array("h", (round(float(w) / scale) for w in weights))
    if sys.byteorder == "big":
        quantised.byteswap()
    classifier = InjectionClassifier(buckets=buckets, bias=float(fitted.intercept_[0]), scale=scale,
                                     weights=quantised, version=f"train-{n}-seed{SEED}")  # fmt: skip
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(json.dumps(classifier.to_json()) + "\n", encoding="utf-8")
    print(f"wrote {out} ({out.stat().st_size // 1024} KiB)")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", type=Path, default=PACKAGE / "data" / "train.jsonl")
    parser.add_argument("--out", type=Path, default=PACKAGE / "model" / "injection.json")
    parser.add_argument("--buckets", type=int, default=1 << 16)
    parser.add_argument("--c", type=float, default=1.0)
    args = parser.parse_args()
    texts, y = load(args.data)
    print(f"{len(texts)} examples ({int(y.sum())} injections, {int(len(y) - y.sum())} benign)")
    x = matrix(texts, args.buckets)
    cross_validate(x, y, args.c)
    export(model(args.c).fit(x, y), args.buckets, args.out, len(texts))


if __name__ == "__main__":
    main()
