"""Run mlwarden's detectors as a library, in the project venv, and time them.

    .venv/bin/python benchmarks/runners/mlwarden_detect.py texts IN.jsonl OUT.jsonl [--repeat N]
    .venv/bin/python benchmarks/runners/mlwarden_detect.py csv CUSTOMERS.csv OUT.json [--rows N]

``texts``: ``DetectorSet.default().detect(text)`` on every record's ``text``; writes one
``{"matches": [...]}`` line per record and prints timing JSON (best of ``--repeat`` timed passes after one
warm-up pass over the first 50 records). ``csv``: the per-cell path the dataset scanner uses,
``DetectorSet.default().detect_column(values)`` for every column of the first ``--rows`` rows; writes kind
counts per column and prints timing JSON. Start-up (imports, pattern compilation) is timed separately.
"""

from __future__ import annotations

import argparse
import csv
import json
import sys
import time
from collections import Counter
from pathlib import Path

T0 = time.perf_counter()
from mlwarden import __version__  # noqa: E402
from mlwarden.detectors.detector_set import DetectorSet  # noqa: E402


def _match(m: object) -> dict[str, object]:
    return {"start": m.start, "end": m.end, "kind": m.kind, "subtype": m.subtype,  # type: ignore[attr-defined]
            "confidence": round(m.confidence, 3)}  # type: ignore[attr-defined]  # fmt: skip


def run_texts(src: Path, out: Path, repeat: int) -> dict[str, object]:
    texts = [json.loads(line)["text"] for line in src.read_text(encoding="utf-8").splitlines() if line.strip()]
    detectors = DetectorSet.default()
    for text in texts[:50]:
        detectors.detect(text)
    init, init_cpu = time.perf_counter() - T0, time.process_time()
    timings: list[float] = []
    cpus: list[float] = []
    results = []
    for _ in range(repeat):
        start, cpu = time.perf_counter(), time.process_time()
        results = [detectors.detect(text) for text in texts]
        timings.append(time.perf_counter() - start)
        cpus.append(time.process_time() - cpu)
    with out.open("w", encoding="utf-8") as fh:
        for matches in results:
            fh.write(json.dumps({"matches": [_match(m) for m in matches]}) + "\n")
    size = sum(len(t.encode("utf-8")) for t in texts)
    return {"records": len(texts), "bytes": size, "seconds": min(timings), "all_seconds": timings,
            "cpu_seconds": min(cpus), "init_seconds": init, "init_cpu_seconds": init_cpu}  # fmt: skip


def read_columns(path: Path, rows: int) -> tuple[list[str], list[list[str]], int]:
    with path.open(encoding="utf-8", newline="") as fh:
        reader = csv.reader(fh)
        header = next(reader)
        columns: list[list[str]] = [[] for _ in header]
        count = 0
        for record in reader:
            if count >= rows:
                break
            for i, value in enumerate(record):
                columns[i].append(value)
            count += 1
    return header, columns, count


def run_csv(src: Path, out: Path, rows: int) -> dict[str, object]:
    header, columns, count = read_columns(src, rows)
    detectors = DetectorSet.default()
    detectors.detect("warm-up +7 916 123-45-67")
    init, init_cpu = time.perf_counter() - T0, time.process_time()
    per_column: dict[str, dict[str, int]] = {}
    start, cpu = time.perf_counter(), time.process_time()
    for name, values in zip(header, columns, strict=True):
        kinds: Counter[str] = Counter()
        for matches in detectors.detect_column(values):
            kinds.update({m.kind for m in matches})
        per_column[name] = dict(kinds)
    seconds, cpu = time.perf_counter() - start, time.process_time() - cpu
    out.write_text(json.dumps({"rows": count, "per_column": per_column}, indent=1))
    size = sum(len(v.encode("utf-8")) for col in columns for v in col)
    return {"rows": count, "cells": count * len(header), "bytes": size, "seconds": seconds, "cpu_seconds": cpu,
            "init_seconds": init, "init_cpu_seconds": init_cpu}  # fmt: skip


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("mode", choices=["texts", "csv"])
    parser.add_argument("src", type=Path)
    parser.add_argument("out", type=Path)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--rows", type=int, default=10**9)
    args = parser.parse_args()
    if args.mode == "texts":
        stats = run_texts(args.src, args.out, args.repeat)
    else:
        stats = run_csv(args.src, args.out, args.rows)
    stats["tool"] = f"mlwarden {__version__}"
    json.dump(stats, sys.stdout)


if __name__ == "__main__":
    main()
