"""Prompt-injection benchmark: mlwarden guard (rules only; rules + classifier) vs LLM Guard's offline scanners.

    .venv/bin/python benchmarks/injection.py [--corpus PATH] [--json OUT]

The evaluation set is built by ``benchmarks/corpus/build_injection_corpus.py`` (held-out templates, never
used in training; an exact-overlap check with the training set runs first). LLM Guard runs from
``benchmarks/.venv-guard-peers`` (``python3.11 -m venv benchmarks/.venv-guard-peers &&
benchmarks/.venv-guard-peers/bin/pip install llm-guard==0.3.16``) through this same file with ``--peer``.
Its ``PromptInjection`` scanner downloads a DeBERTa model from the Hugging Face hub at run time, which this
machine cannot reach: it is reported as not run. What runs offline: ``InvisibleText`` (default settings) and
``BanSubstrings`` with a naive keyword list (ours, stated below: LLM Guard ships no injection list).

Scoring: a prompt is flagged when the tool blocks it (mlwarden: ``Guard.check_input`` decision ``block``
under the default policy, injection only). Per category: recall for attack categories, false-positive rate
for the benign category; overall precision/recall/F1/FPR. Latency: per-prompt wall time of
``InjectionDetector.detect`` (rules only) and of the whole ``Guard.check_input`` (rules + classifier + PII).
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import time
from collections import defaultdict
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
PEER_PYTHON = HERE / ".venv-guard-peers" / "bin" / "python"
NAIVE_SUBSTRINGS = [
    "ignore previous instructions", "ignore all previous instructions", "ignore the above", "disregard",
    "system prompt", "developer mode", "do anything now", "jailbreak", "you are now", "<|im_start|>",
]  # fmt: skip


def load(path: Path) -> list[dict[str, object]]:
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]


def ensure_corpus(path: Path) -> None:
    if not path.exists():
        subprocess.run([sys.executable, str(HERE / "corpus" / "build_injection_corpus.py"), str(path)], check=True)


def check_overlap(records: list[dict[str, object]]) -> int:
    sys.path.insert(0, str(ROOT / "src"))
    from mlwarden.guard.injection.data.generate import build  # the training set, rebuilt in memory

    seen = {str(r["text"]) for r in build()}
    return sum(1 for r in records if r["text"] in seen)


def run_mlwarden(records: list[dict[str, object]]) -> tuple[dict[str, list[bool]], dict[str, list[float]]]:
    sys.path.insert(0, str(ROOT / "src"))
    from mlwarden.guard.injection.detector import InjectionDetector
    from mlwarden.guard.pipeline import Guard
    from mlwarden.guard.policy import GuardPolicy

    rules_only = InjectionDetector(use_classifier=False)
    threshold = GuardPolicy.default().input.injection.threshold
    full = Guard(GuardPolicy.default())
    no_clf = Guard(GuardPolicy.model_validate({"detection": {"classifier": False}}))
    preds: dict[str, list[bool]] = {"mlwarden rules": [], "mlwarden rules+classifier": []}
    lat: dict[str, list[float]] = {"rules (detect)": [], "guard.check_input (rules+classifier+PII)": []}
    for record in records:
        text = str(record["text"])
        t0 = time.perf_counter()
        result = rules_only.detect(text)
        lat["rules (detect)"].append((time.perf_counter() - t0) * 1000)
        preds["mlwarden rules"].append(result.score >= threshold and no_clf.check_input(text).blocked)
        t0 = time.perf_counter()
        decision = full.check_input(text)
        lat["guard.check_input (rules+classifier+PII)"].append((time.perf_counter() - t0) * 1000)
        preds["mlwarden rules+classifier"].append(decision.blocked)
    return preds, lat


def run_peer(corpus: Path) -> dict[str, object]:
    if not PEER_PYTHON.exists():
        return {"error": "benchmarks/.venv-guard-peers is missing"}
    env = {**os.environ, "HF_HUB_OFFLINE": "1", "TRANSFORMERS_OFFLINE": "1"}
    proc = subprocess.run([str(PEER_PYTHON), __file__, "--peer", str(corpus)], capture_output=True, text=True,
                          env=env, timeout=3600, check=False)  # fmt: skip
    if proc.returncode != 0:
        return {"error": proc.stderr[-2000:]}
    return json.loads(proc.stdout.strip().splitlines()[-1])


def peer_main(corpus: Path) -> None:
    """Runs inside the LLM Guard venv: prints one JSON line of per-prompt flags per scanner."""
    import logging

    logging.disable(logging.CRITICAL)
    from llm_guard.input_scanners import BanSubstrings, InvisibleText, PromptInjection

    records = load(corpus)
    out: dict[str, object] = {"not_run": {}}
    scanners = {
        "llm-guard InvisibleText": InvisibleText(),
        "llm-guard BanSubstrings (naive list)": BanSubstrings(substrings=NAIVE_SUBSTRINGS, match_type="str",
                                                              case_sensitive=False, contains_all=False),
    }  # fmt: skip
    try:
        scanners["llm-guard PromptInjection"] = PromptInjection()
    except Exception as exc:
        out["not_run"] = {"llm-guard PromptInjection": f"{type(exc).__name__}: {str(exc)[:200]}"}
    for name, scanner in scanners.items():
        flags, times = [], []
        for record in records:
            t0 = time.perf_counter()
            _sanitized, valid, _score = scanner.scan(str(record["text"]))
            times.append((time.perf_counter() - t0) * 1000)
            flags.append(not valid)
        out[name] = {"flags": flags, "p50_ms": statistics.median(times)}
    print(json.dumps(out))


def score(records: list[dict[str, object]], flags: list[bool]) -> dict[str, object]:
    per: dict[str, list[int]] = defaultdict(lambda: [0, 0])  # flagged, total
    tp = fp = fn = tn = 0
    for record, flag in zip(records, flags, strict=True):
        per[str(record["category"])][0] += int(flag)
        per[str(record["category"])][1] += 1
        if record["label"] == 1:
            tp, fn = tp + int(flag), fn + int(not flag)
        else:
            fp, tn = fp + int(flag), tn + int(not flag)
    precision = tp / max(tp + fp, 1)
    recall = tp / max(tp + fn, 1)
    f1 = 2 * precision * recall / max(precision + recall, 1e-9)
    return {
        "precision": precision,
        "recall": recall,
        "f1": f1,
        "fpr": fp / max(fp + tn, 1),
        "per_category": {k: v[0] / v[1] for k, v in sorted(per.items())},
        "n": {k: v[1] for k, v in per.items()},
    }


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(q * (len(ordered) - 1)))]


def report(records: list[dict[str, object]], results: dict[str, dict[str, object]], lat: dict[str, list[float]],
           not_run: dict[str, str], overlap: int) -> str:  # fmt: skip
    tools = list(results)
    cats = sorted({str(r["category"]) for r in records}, key=lambda c: (c == "benign", c))
    counts = {c: sum(1 for r in records if r["category"] == c) for c in cats}
    benign = counts.get("benign", 0)
    lines = [f"Evaluation set: {len(records)} prompts ({len(records) - benign} attacks, {benign} benign look-alikes); "
             f"exact overlap with the training set: {overlap}.", "",
             "| tool | precision | recall | F1 | FPR |", "|---|---|---|---|---|"]  # fmt: skip
    for tool in tools:
        r = results[tool]
        lines.append(f"| {tool} | {r['precision']:.3f} | {r['recall']:.3f} | {r['f1']:.3f} | {r['fpr']:.3f} |")
    lines += ["", "Per category (recall for attacks, false-positive rate for `benign`):", "",
              "| category | n | " + " | ".join(tools) + " |", "|---|---|" + "---|" * len(tools)]  # fmt: skip
    for cat in cats:
        cells = " | ".join(f"{results[t]['per_category'].get(cat, 0.0):.2f}" for t in tools)  # type: ignore[attr-defined]
        lines.append(f"| {cat} | {counts[cat]} | {cells} |")
    lines += ["", "| latency per prompt | p50 ms | p99 ms |", "|---|---|---|"]
    for name, values in lat.items():
        lines.append(f"| mlwarden {name} | {percentile(values, 0.5):.2f} | {percentile(values, 0.99):.2f} |")
    for name, reason in not_run.items():
        lines.append(f"\nNot run: **{name}** — {reason}")
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--corpus", type=Path, default=HERE / "work" / "injection_eval.jsonl")
    parser.add_argument("--json", type=Path, default=HERE / "work" / "results" / "injection.json")
    parser.add_argument("--peer", type=Path, default=None, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.peer is not None:
        peer_main(args.peer)
        return
    ensure_corpus(args.corpus)
    records = load(args.corpus)
    overlap = check_overlap(records)
    preds, lat = run_mlwarden(records)
    results = {name: score(records, flags) for name, flags in preds.items()}
    peer = run_peer(args.corpus)
    not_run: dict[str, str] = dict(peer.pop("not_run", {}) or {})  # type: ignore[arg-type]
    if "error" in peer:
        not_run["LLM Guard"] = str(peer["error"])[-300:]
    for name, value in peer.items():
        if isinstance(value, dict) and "flags" in value:
            results[name] = score(records, value["flags"])
    text = report(records, results, lat, not_run, overlap)
    print(text)
    args.json.parent.mkdir(parents=True, exist_ok=True)
    args.json.write_text(json.dumps({"results": results, "not_run": not_run}, indent=2) + "\n", encoding="utf-8")


if __name__ == "__main__":
    main()
