"""Sensitive-data benchmark: mlwarden vs Presidio (PII) and detect-secrets (secrets), same inputs, one run.

    bash benchmarks/setup_pii_peers.sh                       # once: benchmarks/.venv-pii-peers
    python3 benchmarks/pii_detection.py [--presidio-csv-rows N] [--markdown OUT.md]

Corpora are built on first use (or with ``--rebuild``) by ``benchmarks/corpus/build_*.py`` in the peers venv.
Each tool runs in its own interpreter through ``benchmarks/runners/``: mlwarden from the project venv
(library ``DetectorSet.default()``, the CLI ``mlwarden detect`` and ``mlwarden scan`` for the CSV), Presidio
and detect-secrets from ``benchmarks/.venv-pii-peers``. Prints Markdown tables with ratios and writes
``benchmarks/work/results/pii_detection.json`` (plus ``pii_detection_errors.json``: mlwarden's misses and
false positives with their text, for the detector authors).

Scoring (the same for every tool):
- A prediction is a true positive when it has the gold span's kind and overlaps it by at least 50% of the
  gold span's length; each gold span and each prediction is matched at most once (largest overlap first).
  Unmatched predictions of a scored kind are false positives; unmatched gold spans are false negatives.
  "any-overlap" recall (for PERSON and ADDRESS, whose boundaries NER tools draw differently) counts a gold
  span found when any same-kind prediction touches it.
- Presidio types map to ours: EMAIL_ADDRESS->EMAIL, PHONE_NUMBER->PHONE, CREDIT_CARD, IBAN_CODE->IBAN,
  US_SSN, IP_ADDRESS, PERSON, LOCATION->ADDRESS, DATE_TIME->DATE_OF_BIRTH. LOCATION and DATE_TIME are
  broader than ADDRESS and DATE_OF_BIRTH, so a LOCATION/DATE_TIME prediction that matches no gold span is
  *not* counted as a false positive (Presidio claims "a place"/"a date", not "an address"/"a birth date"):
  its precision on those two rows is an upper bound. Presidio is scored at its default threshold (0: every
  result) and, separately, at the per-type score threshold that maximises its F1 on this very set (an
  oracle setting no user has; mlwarden gets no such tuning).
- Decoys (order numbers, hashes, versions, ...) are labelled spans that must not be reported: a decoy is
  hit when any prediction overlaps it (mlwarden: any kind; Presidio: mapped types except DATE_TIME and
  LOCATION, and separately any type except DATE_TIME).
- Secrets are scored per record (each positive record holds one secret; negatives hold none), because
  detect-secrets reports lines, not spans: a positive record is found when the tool reports any secret in it.
- Throughput: records/s and MB/s (UTF-8 bytes of the texts) from CPU time of the timed section (the machine
  is shared; CPU time is what contention does not inflate), wall time shown beside it. Start-up is excluded
  for library runs and included for CLI runs.
"""

from __future__ import annotations

import argparse
import json
import platform
import resource
import subprocess
import sys
import time
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

BENCH = Path(__file__).resolve().parent
REPO = BENCH.parent
WORK = BENCH / "work"
CORPUS = WORK / "pii-corpus"
RESULTS = WORK / "results"
RUNS = WORK / "pii-runs"
PEERS_PY = BENCH / ".venv-pii-peers" / "bin" / "python"
MW_PY = REPO / ".venv" / "bin" / "python"
MW_CLI = REPO / ".venv" / "bin" / "mlwarden"
RUNNERS = BENCH / "runners"

PRESIDIO_MAP = {
    "EMAIL_ADDRESS": "EMAIL",
    "PHONE_NUMBER": "PHONE",
    "CREDIT_CARD": "CREDIT_CARD",
    "IBAN_CODE": "IBAN",
    "US_SSN": "US_SSN",
    "IP_ADDRESS": "IP_ADDRESS",
    "PERSON": "PERSON",
    "LOCATION": "ADDRESS",
    "DATE_TIME": "DATE_OF_BIRTH",
}
BROAD_TYPES = {"LOCATION", "DATE_TIME"}
CHECKSUM_KINDS = ["CREDIT_CARD", "IBAN", "RU_INN", "RU_SNILS", "ORG_ID"]
PATTERN_KINDS = ["EMAIL", "PHONE", "US_SSN", "IP_ADDRESS", "DATE_OF_BIRTH", "RU_PASSPORT"]
NER_KINDS = ["PERSON", "ADDRESS"]
ALL_KINDS = CHECKSUM_KINDS + PATTERN_KINDS + NER_KINDS
PRESIDIO_KINDS = set(PRESIDIO_MAP.values())


@dataclass(frozen=True)
class Pred:
    start: int
    end: int
    kind: str
    score: float = 1.0
    raw: str = ""


@dataclass
class Tally:
    tp: int = 0
    fp: int = 0
    fn: int = 0
    loose_tp: int = 0

    def add(self, other: Tally) -> None:
        self.tp, self.fp, self.fn, self.loose_tp = (
            self.tp + other.tp,
            self.fp + other.fp,
            self.fn + other.fn,
            self.loose_tp + other.loose_tp,
        )

    def prf(self) -> tuple[float, float, float]:
        p = self.tp / (self.tp + self.fp) if self.tp + self.fp else 0.0
        r = self.tp / (self.tp + self.fn) if self.tp + self.fn else 0.0
        return p, r, (2 * p * r / (p + r) if p + r else 0.0)

    def loose_recall(self) -> float:
        return self.loose_tp / (self.tp + self.fn) if self.tp + self.fn else 0.0


@dataclass
class Errors:
    misses: list[dict[str, Any]] = field(default_factory=list)
    false_positives: list[dict[str, Any]] = field(default_factory=list)


# ------------------------------------------------------------------------------------------------
# Running the tools
# ------------------------------------------------------------------------------------------------


def run_json(cmd: list[str], timeout: float) -> dict[str, Any]:
    """Run a runner; its stdout is one JSON object. Stderr goes to the run log."""
    RUNS.mkdir(parents=True, exist_ok=True)
    done = subprocess.run(cmd, capture_output=True, text=True, timeout=timeout, check=False, cwd=REPO)
    (RUNS / f"{Path(cmd[1]).stem}.stderr.log").write_text(done.stderr)
    if done.returncode != 0:
        raise RuntimeError(f"{' '.join(cmd)} failed ({done.returncode}):\n{done.stderr[-3000:]}")
    return dict(json.loads(done.stdout.strip().splitlines()[-1]))


def timed_cli(cmd: list[str], stdin: Path | None, stdout: Path, timeout: float) -> dict[str, float]:
    """Wall and CPU time (children's rusage) of a whole CLI run, start-up included."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.perf_counter()
    with stdout.open("wb") as out, stdin.open("rb") if stdin else open("/dev/null", "rb") as inp:
        done = subprocess.run(cmd, stdin=inp, stdout=out, stderr=subprocess.PIPE, timeout=timeout, check=False)
    wall = time.perf_counter() - start
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    return {"seconds": wall, "cpu_seconds": cpu, "returncode": float(done.returncode)}


def ensure_corpora(rebuild: bool) -> None:
    builds = {
        "pii_eval.jsonl": "build_pii_corpus.py",
        "secrets_eval.jsonl": "build_secrets_corpus.py",
        "customers.csv": "build_customers_csv.py",
    }
    for target, script in builds.items():
        if rebuild or not (CORPUS / target).exists():
            print(f"building {target} ...", file=sys.stderr)
            subprocess.run(
                [str(PEERS_PY), str(BENCH / "corpus" / script)], check=True, cwd=REPO, stdout=subprocess.DEVNULL
            )


def read_jsonl(path: Path) -> list[dict[str, Any]]:
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]


def mlwarden_preds(path: Path) -> list[list[Pred]]:
    return [
        [
            Pred(m["start"], m["end"], m["kind"], m.get("confidence", 1.0), m.get("subtype") or m["kind"])
            for m in row["matches"]
        ]
        for row in read_jsonl(path)
    ]


def presidio_preds(path: Path) -> list[list[Pred]]:
    return [
        [
            Pred(m["start"], m["end"], PRESIDIO_MAP.get(m["type"], m["type"]), m["score"], m["type"])
            for m in row["matches"]
        ]
        for row in read_jsonl(path)
    ]


# ------------------------------------------------------------------------------------------------
# Scoring
# ------------------------------------------------------------------------------------------------


def overlap(a0: int, a1: int, b0: int, b1: int) -> int:
    return max(0, min(a1, b1) - max(a0, b0))


def match_kind(gold: list[tuple[int, int]], preds: list[Pred]) -> tuple[list[bool], list[bool], int]:
    """Greedy one-to-one matching; returns (gold matched, pred matched, any-overlap hits)."""
    pairs = []
    for gi, (g0, g1) in enumerate(gold):
        for pi, p in enumerate(preds):
            ov = overlap(g0, g1, p.start, p.end)
            if ov * 2 >= (g1 - g0) and ov > 0:
                pairs.append((ov, gi, pi))
    gold_hit, pred_hit = [False] * len(gold), [False] * len(preds)
    for _ov, gi, pi in sorted(pairs, reverse=True):
        if not gold_hit[gi] and not pred_hit[pi]:
            gold_hit[gi] = pred_hit[pi] = True
    loose = sum(1 for g0, g1 in gold if any(overlap(g0, g1, p.start, p.end) for p in preds))
    return gold_hit, pred_hit, loose


def score_record(
    rec: dict[str, Any], preds: list[Pred], kinds: set[str], errors: Errors | None = None
) -> dict[str, Tally]:
    out: dict[str, Tally] = {}
    for kind in kinds:
        gold = [(e["start"], e["end"]) for e in rec["entities"] if e["kind"] == kind]
        mine = sorted({p for p in preds if p.kind == kind}, key=lambda p: (p.start, p.end, p.raw))
        if not gold and not mine:
            continue
        gold_hit, pred_hit, loose = match_kind(gold, mine)
        fps = [p for p, hit in zip(mine, pred_hit, strict=True) if not hit and p.raw not in BROAD_TYPES]
        out[kind] = Tally(sum(gold_hit), len(fps), gold_hit.count(False), loose)
        if errors is not None:
            text = rec["text"]
            errors.misses += [
                {"id": rec["id"], "kind": kind, "value": text[g0:g1], "source": rec["source"], "text": text}
                for (g0, g1), hit in zip(gold, gold_hit, strict=True)
                if not hit
            ]
            errors.false_positives += [
                {
                    "id": rec["id"],
                    "kind": kind,
                    "subtype": p.raw,
                    "value": text[p.start : p.end],
                    "source": rec["source"],
                    "text": text,
                }
                for p in fps
            ]
    return out


def score_all(
    records: list[dict[str, Any]], preds: list[list[Pred]], kinds: set[str], errors: Errors | None = None
) -> dict[str, dict[str, Tally]]:
    """Tallies by language ('en', 'ru', 'all') and kind."""
    totals: dict[str, dict[str, Tally]] = defaultdict(lambda: defaultdict(Tally))
    for rec, mine in zip(records, preds, strict=True):
        for kind, tally in score_record(rec, mine, kinds, errors).items():
            totals[rec["lang"]][kind].add(tally)
            totals["all"][kind].add(tally)
    return totals


def oracle_f1(records: list[dict[str, Any]], preds: list[list[Pred]], kind: str) -> tuple[float, float]:
    """Presidio's best F1 for one kind over every score threshold it produced (and that threshold)."""
    scores = sorted({p.score for row in preds for p in row if p.kind == kind} | {0.0})
    best = (0.0, 0.0)
    for t in scores:
        kept = [[p for p in row if p.kind == kind and p.score >= t] for row in preds]
        f1 = score_all(records, kept, {kind})["all"][kind].prf()[2]
        best = max(best, (f1, t))
    return best


def decoy_hits(records: list[dict[str, Any]], preds: list[list[Pred]], counts: set[str] | None) -> dict[str, int]:
    """Decoy spans overlapped by a prediction whose raw type is in ``counts`` (None: any)."""
    hits: Counter[str] = Counter()
    for rec, mine in zip(records, preds, strict=True):
        for d in rec["decoys"]:
            if any(overlap(d["start"], d["end"], p.start, p.end) and (counts is None or p.raw in counts) for p in mine):
                hits[d["type"]] += 1
    return dict(hits)


def secrets_scores(records: list[dict[str, Any]], found: list[bool]) -> dict[str, Any]:
    tp = sum(1 for r, f in zip(records, found, strict=True) if f and r["label"] == "secret")
    fp = sum(1 for r, f in zip(records, found, strict=True) if f and r["label"] == "benign")
    pos = sum(1 for r in records if r["label"] == "secret")
    tally = Tally(tp, fp, pos - tp)
    by_subtype: dict[str, list[int]] = defaultdict(lambda: [0, 0])
    for r, f in zip(records, found, strict=True):
        if r["label"] == "secret":
            sub = r["entities"][0]["subtype"]
            by_subtype[sub][0] += int(f)
            by_subtype[sub][1] += 1
    fp_contexts = Counter(
        r["source"].split(":", 1)[1] for r, f in zip(records, found, strict=True) if f and r["label"] == "benign"
    )
    p, r_, f1 = tally.prf()
    return {
        "precision": p,
        "recall": r_,
        "f1": f1,
        "tp": tp,
        "fp": fp,
        "fn": pos - tp,
        "by_subtype": dict(by_subtype),
        "fp_contexts": dict(fp_contexts),
    }


# ------------------------------------------------------------------------------------------------
# Dataset (CSV) columns
# ------------------------------------------------------------------------------------------------


def scan_columns(report: dict[str, Any]) -> dict[str, dict[str, int]]:
    """Kinds per column from ``mlwarden scan --format json`` findings ("column `x`: ...", "KIND xN")."""
    import re

    columns: dict[str, dict[str, int]] = defaultdict(dict)
    for finding in report.get("findings", []):
        named = re.search(r"column `([^`]+)`", finding.get("message", ""))
        if not named:
            continue
        for kind, count in re.findall(r"\b([A-Z][A-Z0-9_]+) x([\d,]+)", finding.get("evidence", "")):
            columns[named.group(1)][kind] = columns[named.group(1)].get(kind, 0) + int(count.replace(",", ""))
    return dict(columns)


def column_table(
    manifest: dict[str, Any], scan: dict[str, dict[str, int]], rows: int, presidio: dict[str, Any]
) -> list[list[str]]:
    out = []
    p_rows = presidio["rows"]
    for name, expected in manifest["columns"].items():
        mw = ", ".join(
            f"{k} {100 * n / rows:.0f}%" for k, n in sorted(scan.get(name, {}).items(), key=lambda kv: -kv[1])
        )
        pr_counts = presidio["per_column"].get(name, {})
        pr = ", ".join(
            f"{k} {100 * n / p_rows:.0f}%"
            for k, n in sorted(pr_counts.items(), key=lambda kv: -kv[1])
            if n / p_rows >= 0.05
        )
        out.append([f"`{name}`", expected or "-", mw or "-", pr or "-"])
    return out


# ------------------------------------------------------------------------------------------------
# Report
# ------------------------------------------------------------------------------------------------


def md_table(headers: list[str], rows: list[list[str]]) -> str:
    lines = ["| " + " | ".join(headers) + " |", "|" + "|".join("---" for _ in headers) + "|"]
    lines += ["| " + " | ".join(row) + " |" for row in rows]
    return "\n".join(lines)


def fmt_prf(t: Tally | None) -> str:
    if t is None or t.tp + t.fn == 0:
        return "-"
    p, r, f = t.prf()
    return f"{p:.3f} / {r:.3f} / **{f:.3f}**"


def accuracy_rows(
    mw: dict[str, dict[str, Tally]], pr: dict[str, dict[str, Tally]], oracle: dict[str, tuple[float, float]], lang: str
) -> list[list[str]]:
    rows = []
    for kind in ALL_KINDS:
        m = mw.get(lang, {}).get(kind)
        if m is None or m.tp + m.fn == 0:
            continue
        p = pr.get(lang, {}).get(kind) if kind in PRESIDIO_KINDS else None
        if kind in PRESIDIO_KINDS:
            p = p or Tally(fn=m.tp + m.fn)
        delta = f"{m.prf()[2] - p.prf()[2]:+.3f}" if p else "Presidio has no such type"
        best = (
            f"{oracle[kind][0]:.3f} (>= {oracle[kind][1]:.2f})"
            if p and lang == "all"
            else ("-" if lang == "all" else "")
        )
        loose = f"{m.loose_recall():.3f} / {p.loose_recall():.3f}" if kind in NER_KINDS and p else ""
        row = [kind, str(m.tp + m.fn), fmt_prf(m), fmt_prf(p), delta]
        rows.append(row + ([best, loose] if lang == "all" else [loose]))
    return rows


def decoy_rows(records: list[dict[str, Any]], hits: dict[str, dict[str, int]]) -> list[list[str]]:
    totals = Counter(d["type"] for r in records for d in r["decoys"])
    rows = []
    for dtype, n in sorted(totals.items()):
        rows.append([dtype, str(n)] + [f"{h.get(dtype, 0)} ({100 * h.get(dtype, 0) / n:.0f}%)" for h in hits.values()])
    all_n = sum(totals.values())
    rows.append(
        ["**all decoys**", str(all_n)]
        + [f"**{sum(h.values())} ({100 * sum(h.values()) / all_n:.1f}%)**" for h in hits.values()]
    )
    return rows


def speed(stats: dict[str, Any], unit: str = "records") -> tuple[float, float]:
    n = stats.get(unit, stats.get("records", 0))
    return n / stats["cpu_seconds"], stats["bytes"] / 1e6 / stats["cpu_seconds"]


def speed_row(label: str, stats: dict[str, Any], unit: str, note: str = "") -> list[str]:
    per_s, mb_s = speed(stats, unit)
    wall = stats["seconds"]
    return [
        label,
        f"{stats.get(unit, stats.get('records'))}",
        f"{per_s:,.1f}",
        f"{mb_s:.3f}",
        f"{stats['cpu_seconds']:.2f} / {wall:.2f}",
        note,
    ]


def machine() -> dict[str, str]:
    cpu = next(
        (
            line.split(":", 1)[1].strip()
            for line in Path("/proc/cpuinfo").read_text().splitlines()
            if line.startswith("model name")
        ),
        platform.processor(),
    )
    return {
        "date": datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC"),
        "cpu": cpu,
        "nproc": str(len(__import__("os").sched_getaffinity(0))),
        "python": platform.python_version(),
        "os": platform.platform(),
    }


def run_tools(args: argparse.Namespace) -> dict[str, Any]:
    """Every tool on the same inputs; returns timing stats and output paths."""
    RUNS.mkdir(parents=True, exist_ok=True)
    pii, sec, csv_path = CORPUS / "pii_eval.jsonl", CORPUS / "secrets_eval.jsonl", CORPUS / "customers.csv"
    out: dict[str, Any] = {}
    mw = [str(MW_PY), str(RUNNERS / "mlwarden_detect.py")]
    peers = [str(PEERS_PY)]
    print("mlwarden (library) on the PII and secrets sets ...", file=sys.stderr)
    out["mw_pii"] = run_json([*mw, "texts", str(pii), str(RUNS / "mlwarden_pii.jsonl")], 1800)
    out["mw_sec"] = run_json([*mw, "texts", str(sec), str(RUNS / "mlwarden_secrets.jsonl")], 1800)
    print("mlwarden detect (CLI) on the PII set ...", file=sys.stderr)
    out["mw_cli"] = timed_cli(
        [str(MW_CLI), "detect", "-", "--format", "jsonl"], pii, RUNS / "mlwarden_cli_pii.jsonl", 1800
    )
    out["mw_cli"].update(records=out["mw_pii"]["records"], bytes=out["mw_pii"]["bytes"])
    print("Presidio on the PII set ...", file=sys.stderr)
    out["pr_pii"] = run_json(
        [*peers, str(RUNNERS / "presidio_analyze.py"), "texts", str(pii), str(RUNS / "presidio_pii.jsonl")], 7200
    )
    print("detect-secrets on the secrets set ...", file=sys.stderr)
    out["ds_sec"] = run_json(
        [*peers, str(RUNNERS / "detect_secrets_scan.py"), str(sec), str(RUNS / "detect_secrets.jsonl")], 1800
    )
    if args.skip_csv:
        return out
    print("mlwarden scan (CLI) on the 100k-row CSV ...", file=sys.stderr)
    out["mw_scan"] = timed_cli(
        [str(MW_CLI), "scan", str(csv_path), "--format", "json", "--no-progress"],
        None,
        RUNS / "mlwarden_scan_customers.json",
        7200,
    )
    print("mlwarden detect_column on the 100k-row CSV ...", file=sys.stderr)
    out["mw_csv"] = run_json([*mw, "csv", str(csv_path), str(RUNS / "mlwarden_csv_columns.json")], 7200)
    rows = str(args.presidio_csv_rows)
    print(f"Presidio BatchAnalyzerEngine on the first {rows} CSV rows ...", file=sys.stderr)
    out["pr_csv"] = run_json(
        [
            *peers,
            str(RUNNERS / "presidio_analyze.py"),
            "csv",
            str(csv_path),
            str(RUNS / "presidio_csv_columns.json"),
            "--rows",
            rows,
        ],
        7200,
    )
    return out


def tallies_json(t: dict[str, dict[str, Tally]]) -> dict[str, dict[str, Any]]:
    return {
        lang: {
            k: {"tp": v.tp, "fp": v.fp, "fn": v.fn, "any_overlap_tp": v.loose_tp, "precision_recall_f1": v.prf()}
            for k, v in kinds.items()
        }
        for lang, kinds in t.items()
    }


def accuracy_section(records: list[dict[str, Any]], res: dict[str, Any]) -> list[str]:
    langs = Counter(r["lang"] for r in records)
    mw, pr, oracle = res["mw"], res["pr"], res["oracle"]
    head = ["Kind", "gold spans", "mlwarden P / R / F1", "Presidio P / R / F1", "F1 delta (mlwarden - Presidio)"]
    out = [
        f"Evaluation set: {len(records)} records ({langs['en']} English, {langs['ru']} Russian).",
        "",
        "All languages (checksum-validated kinds first, then pattern kinds, then NER kinds):",
        "",
        md_table(
            [*head, "Presidio F1 at its oracle threshold", "any-overlap recall mlwarden / Presidio"],
            accuracy_rows(mw, pr, oracle, "all"),
        ),
    ]
    for lang, title in (("en", "English records"), ("ru", "Russian records")):
        out += [
            "",
            f"{title}:",
            "",
            md_table([*head, "any-overlap recall mlwarden / Presidio"], accuracy_rows(mw, pr, oracle, lang)),
        ]
    return out


def targets_section(res: dict[str, Any], ratios: dict[str, float]) -> list[str]:
    mw_all, pr_all = res["mw"]["all"], res["pr"]["all"]
    below = [k for k in CHECKSUM_KINDS if mw_all.get(k, Tally()).prf()[2] < 0.95]
    worse = [k for k in sorted(PRESIDIO_KINDS) if mw_all.get(k, Tally()).prf()[2] < pr_all.get(k, Tally()).prf()[2]]
    worse_oracle = [k for k in sorted(PRESIDIO_KINDS) if mw_all.get(k, Tally()).prf()[2] < res["oracle"][k][0]]
    ru_only = [k for k in ALL_KINDS if k not in PRESIDIO_KINDS and mw_all.get(k, Tally()).tp > 0]
    return [
        f"- F1 >= 0.95 on every checksum-validated kind ({', '.join(CHECKSUM_KINDS)}): "
        + ("**met**" if not below else f"**not met** for {', '.join(below)}"),
        "- No Presidio entity type where mlwarden's F1 is lower (Presidio at its default): "
        + ("**met**" if not worse else f"**not met** for {', '.join(worse)}"),
        "- ... and against Presidio at its per-type oracle threshold: "
        + ("**met**" if not worse_oracle else f"**not met** for {', '.join(worse_oracle)}"),
        f"- Russian entities Presidio lacks, detected by mlwarden: {', '.join(ru_only) or 'none'}",
        f"- Throughput >= 20x Presidio: evaluation set {ratios['eval']:.0f}x (library), "
        f"{ratios['eval_cli']:.0f}x (CLI, start-up included); 100k-row CSV "
        f"{ratios.get('csv_scan', float('nan')):.0f}x (`mlwarden scan`) and "
        f"{ratios.get('csv_cells', float('nan')):.0f}x (per-cell library path)",
    ]


def throughput_section(stats: dict[str, Any], res: dict[str, Any]) -> tuple[list[str], dict[str, float]]:
    head = ["Run", "items", "items/s (CPU)", "MB/s (CPU)", "CPU s / wall s", "note"]
    mw_rate, pr_rate = speed(stats["mw_pii"])[0], speed(stats["pr_pii"])[0]
    pr_startup = dict(stats["pr_pii"], cpu_seconds=stats["pr_pii"]["cpu_seconds"] + stats["pr_pii"]["init_cpu_seconds"])
    ratios = {
        "eval": mw_rate / pr_rate,
        "eval_cli": speed(stats["mw_cli"])[0] / speed(pr_startup)[0],
        "secrets": speed(stats["mw_sec"])[0] / speed(stats["ds_sec"])[0],
    }
    rows = [
        speed_row(
            "mlwarden `DetectorSet.detect` (library)", stats["mw_pii"], "records", f"**{ratios['eval']:.0f}x** Presidio"
        ),
        speed_row(
            "mlwarden `detect --format jsonl` (CLI, whole process)",
            stats["mw_cli"],
            "records",
            f"**{ratios['eval_cli']:.0f}x** Presidio incl. start-up",
        ),
        speed_row("Presidio `AnalyzerEngine.analyze` (en_core_web_sm)", stats["pr_pii"], "records", "1x"),
        speed_row("Presidio, start-up (imports, spaCy model) included", pr_startup, "records", "1x for the CLI row"),
        speed_row(
            "mlwarden on the secrets set (library)",
            stats["mw_sec"],
            "records",
            f"{ratios['secrets']:.1f}x detect-secrets",
        ),
        speed_row("detect-secrets `scan_file` (default settings)", stats["ds_sec"], "records", "1x"),
    ]
    if "mw_scan" in stats:
        rows += csv_speed_rows(stats, ratios)
    return [md_table(head, rows)], ratios


def csv_speed_rows(stats: dict[str, Any], ratios: dict[str, float]) -> list[list[str]]:
    full = stats["mw_csv"]
    stats["mw_scan"].update(rows=full["rows"], bytes=(CORPUS / "customers.csv").stat().st_size)
    pr = stats["pr_csv"]
    pr_rate = speed(pr, "rows")[0]
    ratios["csv_scan"] = speed(stats["mw_scan"], "rows")[0] / pr_rate
    ratios["csv_cells"] = speed(full, "rows")[0] / pr_rate
    hours = full["rows"] / pr_rate / 3600
    return [
        speed_row(
            "mlwarden `scan customers.csv --format json` (CLI, whole file)",
            stats["mw_scan"],
            "rows",
            f"**{ratios['csv_scan']:.0f}x** Presidio; MB/s over the file size",
        ),
        speed_row(
            "mlwarden `DetectorSet.detect_column` per column (library)",
            full,
            "rows",
            f"**{ratios['csv_cells']:.0f}x** Presidio; MB/s over cell bytes",
        ),
        speed_row(
            f"Presidio `BatchAnalyzerEngine.analyze_dict` (first {pr['rows']} rows)",
            pr,
            "rows",
            f"subset, extrapolated: {full['rows']} rows would take ~{hours:.1f} h of CPU",
        ),
    ]


def secrets_section(res: dict[str, Any]) -> list[str]:
    mw, ds = res["secrets"]["mlwarden"], res["secrets"]["detect-secrets"]
    rows = [
        [
            name,
            f"{s['precision']:.3f}",
            f"{s['recall']:.3f}",
            f"**{s['f1']:.3f}**",
            str(s["fp"]),
            ", ".join(f"{k} {v}" for k, v in sorted(s["fp_contexts"].items())) or "-",
        ]
        for name, s in (("mlwarden", mw), ("detect-secrets 1.5.0", ds))
    ]
    sub_rows = [
        [sub, str(n), f"{mw['by_subtype'][sub][0]}", f"{ds['by_subtype'][sub][0]}"]
        for sub, (_, n) in sorted(mw["by_subtype"].items())
    ]
    return [
        md_table(["Tool", "precision", "recall", "F1", "false positives", "on which benign carriers"], rows),
        "",
        "Recall by secret type (records found / records):",
        "",
        md_table(["Secret type", "records", "mlwarden", "detect-secrets"], sub_rows),
    ]


def evaluate(stats: dict[str, Any]) -> tuple[dict[str, Any], Errors]:
    records = read_jsonl(CORPUS / "pii_eval.jsonl")
    mw_preds = mlwarden_preds(RUNS / "mlwarden_pii.jsonl")
    pr_preds = presidio_preds(RUNS / "presidio_pii.jsonl")
    errors = Errors()
    res: dict[str, Any] = {
        "mw": score_all(records, mw_preds, set(ALL_KINDS), errors),
        "pr": score_all(records, pr_preds, PRESIDIO_KINDS),
        "oracle": {k: oracle_f1(records, pr_preds, k) for k in sorted(PRESIDIO_KINDS)},
        "decoys": {
            "mlwarden": decoy_hits(records, mw_preds, None),
            "Presidio (mapped types)": decoy_hits(records, pr_preds, set(PRESIDIO_MAP) - BROAD_TYPES),
            "Presidio (any type but DATE_TIME)": decoy_hits(
                records, pr_preds, {p.raw for r in pr_preds for p in r} - {"DATE_TIME"}
            ),
        },
        "cli_matches_library": read_jsonl(RUNS / "mlwarden_cli_pii.jsonl")
        == [
            {"matches": [{k: v for k, v in m.items() if k != "subtype" or v} for m in row["matches"]]}
            for row in read_jsonl(RUNS / "mlwarden_pii.jsonl")
        ],
    }
    sec = read_jsonl(CORPUS / "secrets_eval.jsonl")
    mw_sec = [any(m["kind"] == "SECRET" for m in row["matches"]) for row in read_jsonl(RUNS / "mlwarden_secrets.jsonl")]
    ds_sec = [bool(row["matches"]) for row in read_jsonl(RUNS / "detect_secrets.jsonl")]
    res["secrets"] = {"mlwarden": secrets_scores(sec, mw_sec), "detect-secrets": secrets_scores(sec, ds_sec)}
    return res, errors


def render(stats: dict[str, Any], res: dict[str, Any], facts: dict[str, str], args: argparse.Namespace) -> str:
    records = read_jsonl(CORPUS / "pii_eval.jsonl")
    speed_md, ratios = throughput_section(stats, res)
    parts = [
        f"Run: {facts['date']} on {facts['cpu']} ({facts['nproc']} CPUs), Python {facts['python']}.",
        "",
        "**Targets**",
        "",
        *targets_section(res, ratios),
        "",
        "**Accuracy: personal data**",
        "",
        *accuracy_section(records, res),
        "",
        "**Decoys** (look-alikes that must not be reported; hits / decoys):",
        "",
        md_table(["Decoy type", "decoys", *res["decoys"]], decoy_rows(records, res["decoys"])),
        "",
        "**Secrets** (record level: one secret per positive record, none in negatives):",
        "",
        *secrets_section(res),
        "",
        "**Throughput**",
        "",
        *speed_md,
    ]
    if not args.skip_csv:
        manifest = json.loads((CORPUS / "customers.columns.json").read_text())
        scan = scan_columns(json.loads((RUNS / "mlwarden_scan_customers.json").read_text()))
        pr_cols = json.loads((RUNS / "presidio_csv_columns.json").read_text())
        parts += [
            "",
            f"**100k-row CSV, per column** (mlwarden `scan` over all {manifest['rows']} rows: kinds with share "
            f"of rows; Presidio over its first {pr_cols['rows']} rows: types with score >= 0.5 in >= 5% of cells):",
            "",
            md_table(
                ["Column", "holds", "mlwarden scan", "Presidio"],
                column_table(manifest, scan, manifest["rows"], pr_cols),
            ),
        ]
    res["ratios"] = ratios
    return "\n".join(parts) + "\n"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--presidio-csv-rows", type=int, default=1000)
    parser.add_argument("--skip-csv", action="store_true", help="Skip the 100k-row CSV runs.")
    parser.add_argument("--rebuild", action="store_true", help="Rebuild the corpora first.")
    parser.add_argument("--reuse", action="store_true", help="Re-score the last run's outputs without running tools.")
    parser.add_argument("--markdown", type=Path, help="Also write the Markdown report here.")
    args = parser.parse_args()
    for needed in (PEERS_PY, MW_PY, MW_CLI):
        if not needed.exists():
            sys.exit(
                f"missing {needed}: run `make` for the project venv and benchmarks/setup_pii_peers.sh for the peers"
            )
    ensure_corpora(args.rebuild)
    facts = machine()
    stats_path = RUNS / "stats.json"
    stats = json.loads(stats_path.read_text()) if args.reuse else run_tools(args)
    stats_path.write_text(json.dumps(stats, indent=1))
    res, errors = evaluate(stats)
    markdown = render(stats, res, facts, args)
    print(markdown)
    if args.markdown:
        args.markdown.write_text(markdown)
    RESULTS.mkdir(parents=True, exist_ok=True)
    payload = {
        "machine": facts,
        "stats": stats,
        "ratios": res["ratios"],
        "mlwarden": tallies_json(res["mw"]),
        "presidio": tallies_json(res["pr"]),
        "presidio_oracle_f1_threshold": res["oracle"],
        "decoys": res["decoys"],
        "secrets": res["secrets"],
        "cli_matches_library": res["cli_matches_library"],
    }
    (RESULTS / "pii_detection.json").write_text(json.dumps(payload, indent=1, ensure_ascii=False))
    (RESULTS / "pii_detection_errors.json").write_text(
        json.dumps({"misses": errors.misses, "false_positives": errors.false_positives}, indent=1, ensure_ascii=False)
    )


if __name__ == "__main__":
    main()
