"""Detection benchmark: mlwarden and the peers on the same labelled corpus, in one run.

    benchmarks/.venv-peers/bin/python benchmarks/corpus/build_model_corpus.py      # once
    python3 benchmarks/model_scan_detection.py [--corpus DIR] [--markdown OUT.md]

A file counts as detected when the tool reports something at medium severity or above:
- mlwarden: any finding with severity medium/high/critical in its JSON report.
- modelscan: any issue with severity MEDIUM/HIGH/CRITICAL in its JSON report (``-r json``).
- picklescan: "Infected files" > 0 (a dangerous global; its exit code 1). Suspicious-only is not a detection.
- picklescan --strict: the same with its default-deny mode (suspicious globals promoted to dangerous).
- fickling: its own verdict, ``ScanResult.is_safe`` is False (severity above LIKELY_SAFE), the rule behind its
  ``--check-safety`` exit code; ``fickling (overt)`` counts only LIKELY_OVERTLY_MALICIOUS and above.
A tool error or an unsupported file is never a detection; both are shown.
"""

from __future__ import annotations

import argparse
import json
import re
import sys
import tempfile
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import asdict, dataclass
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from harness import (
    FICKLING_DRIVER,
    MEDIUM_OR_HIGHER,
    MLWARDEN,
    MODELSCAN,
    PEERS_PYTHON,
    PICKLESCAN,
    WORK,
    git_revision,
    machine,
    markdown_table,
    mlwarden_available,
    run,
    tool_version,
)

DEFAULT_CORPUS = WORK / "model-corpus"
TIMEOUT = 300.0


@dataclass(frozen=True)
class Verdict:
    """One tool's answer for one file."""

    detected: bool
    status: str  # ok | error | unsupported | timeout
    detail: str


# --- per-tool runners ----------------------------------------------------------------------------------------------
def scan_mlwarden(path: Path, scratch: Path) -> Verdict:
    out = scratch / "report.json"
    done = run([str(MLWARDEN), "scan", str(path), "--format", "json", "--output", str(out), "--exit-zero"], TIMEOUT)
    if done.timed_out:
        return Verdict(False, "timeout", "")
    try:
        report = json.loads(out.read_text())
    except (OSError, ValueError):
        return Verdict(False, "error", f"rc={done.returncode} {done.stderr.strip()[-160:]}")
    hits = sorted({f["rule_id"] for f in report.get("findings", []) if f.get("severity") in MEDIUM_OR_HIGHER})
    errors = report.get("errors", [])
    status = "error" if errors and not hits else "ok"
    detail = ",".join(hits) or (str(errors[0])[:160] if errors else "")
    return Verdict(bool(hits), status, detail)


def scan_modelscan(path: Path, scratch: Path) -> Verdict:
    out = scratch / "modelscan.json"
    done = run([str(MODELSCAN), "-p", str(path), "-r", "json", "-o", str(out)], TIMEOUT, cwd=scratch)
    if done.timed_out:
        return Verdict(False, "timeout", "")
    try:
        report = json.loads(out.read_text())
    except (OSError, ValueError):
        return Verdict(False, "error", f"rc={done.returncode} {done.stderr.strip()[-160:]}")
    issues = [i for i in report.get("issues", []) if str(i.get("severity", "")).lower() in MEDIUM_OR_HIGHER]
    detail = ",".join(sorted({f"{i.get('module')}.{i.get('operator')}" for i in issues}))
    if issues:
        return Verdict(True, "ok", detail)
    errors = report.get("errors", [])
    if errors:
        return Verdict(False, "error", str(errors[0].get("description", ""))[:160])
    scanned = report.get("summary", {}).get("scanned", {}).get("total_scanned", 0)
    return Verdict(False, "ok" if scanned else "unsupported", "")


def _picklescan(path: Path, strict: bool) -> Verdict:
    cmd = [str(PICKLESCAN), "--path", str(path)] + (["--strict"] if strict else [])
    done = run(cmd, TIMEOUT)
    if done.timed_out:
        return Verdict(False, "timeout", "")
    text = done.stdout + done.stderr
    infected = re.search(r"Infected files: (\d+)", text)
    scanned = re.search(r"Scanned files: (\d+)", text)
    found = re.findall(r"dangerous import '([^']+)'", text)
    detected = bool(infected and int(infected.group(1)) > 0)
    if "ERROR" in text or done.returncode == 2 or infected is None:
        status = "error"
    elif scanned and int(scanned.group(1)) == 0:
        status = "unsupported"
    else:
        status = "ok"
    error_line = next((line for line in text.splitlines() if "ERROR" in line), "")
    return Verdict(detected, status, ",".join(sorted(set(found))) or error_line[:160])


def scan_picklescan(path: Path, scratch: Path) -> Verdict:
    del scratch
    return _picklescan(path, strict=False)


def scan_picklescan_strict(path: Path, scratch: Path) -> Verdict:
    del scratch
    return _picklescan(path, strict=True)


def scan_fickling_batch(paths: list[Path]) -> dict[str, dict[str, object]]:
    """fickling runs once over every file (its driver isolates files from each other)."""
    done = run([str(PEERS_PYTHON), str(FICKLING_DRIVER), *map(str, paths)], TIMEOUT * 4)
    rows: dict[str, dict[str, object]] = {}
    for line in done.stdout.splitlines():
        if line.startswith("{"):
            row = json.loads(line)
            rows[row["path"]] = row
    return rows


def fickling_verdict(row: dict[str, object] | None, overt_only: bool) -> Verdict:
    if row is None:
        return Verdict(False, "error", "no output from the fickling driver")
    severity = str(row.get("severity", ""))
    detected = severity in {"LIKELY_OVERTLY_MALICIOUS", "OVERTLY_MALICIOUS"} if overt_only else bool(row["detected"])
    return Verdict(detected, str(row["status"]), str(row.get("detail", ""))[:160])


PER_FILE: dict[str, Callable[[Path, Path], Verdict]] = {
    "mlwarden": scan_mlwarden,
    "modelscan": scan_modelscan,
    "picklescan": scan_picklescan,
    "picklescan --strict": scan_picklescan_strict,
}


# --- orchestration -------------------------------------------------------------------------------------------------
def run_per_file(tool: str, files: list[Path], jobs: int) -> dict[str, Verdict]:
    runner = PER_FILE[tool]

    def one(path: Path) -> tuple[str, Verdict]:
        with tempfile.TemporaryDirectory(prefix="mlw-bench-") as tmp:
            return str(path), runner(path, Path(tmp))

    with ThreadPoolExecutor(max_workers=jobs) as pool:
        return dict(pool.map(one, files))


def run_all(tools: list[str], files: list[Path], jobs: int) -> dict[str, dict[str, Verdict]]:
    """Every selected tool over every file. Keys: tool -> absolute path -> verdict."""
    results: dict[str, dict[str, Verdict]] = {}
    for tool in tools:
        if tool in PER_FILE:
            print(f"  running {tool} on {len(files)} files ...", file=sys.stderr, flush=True)
            results[tool] = run_per_file(tool, files, jobs)
    if "fickling" in tools:
        print(f"  running fickling on {len(files)} files ...", file=sys.stderr, flush=True)
        rows = scan_fickling_batch(files)
        results["fickling"] = {str(p): fickling_verdict(rows.get(str(p)), False) for p in files}
        results["fickling (overt)"] = {str(p): fickling_verdict(rows.get(str(p)), True) for p in files}
    return results


def versions(tools: list[str]) -> dict[str, str]:
    found = {}
    if "mlwarden" in tools:
        found["mlwarden"] = tool_version([str(MLWARDEN), "--version"]).split()[-1]
    if "modelscan" in tools:
        found["modelscan"] = tool_version([str(MODELSCAN), "--version"]).split()[-1]
    meta = "from importlib.metadata import version as v; print(v('picklescan'), v('fickling'))"
    pk, fk = [*tool_version([str(PEERS_PYTHON), "-c", meta]).split(), "?", "?"][:2]
    found.update({"picklescan": pk, "fickling": fk})
    return found


# --- reporting -----------------------------------------------------------------------------------------------------
def cell(verdict: Verdict) -> str:
    if verdict.detected:
        return "✓"
    return {"error": "✗ (error)", "unsupported": "✗ (n/a)", "timeout": "✗ (timeout)"}.get(verdict.status, "✗")


def summary(labels: dict[str, dict[str, str]], root: Path, results: dict[str, dict[str, Verdict]]) -> list[dict]:
    bad = [f for f, m in labels.items() if m["label"] == "malicious"]
    good = [f for f, m in labels.items() if m["label"] == "benign"]
    rows = []
    for tool, verdicts in results.items():
        hit = sum(verdicts[str(root / f)].detected for f in bad)
        fp = sum(verdicts[str(root / f)].detected for f in good)
        errs = sum(verdicts[str(root / f)].status in {"error", "timeout"} for f in labels)
        na = sum(verdicts[str(root / f)].status == "unsupported" for f in labels)
        rows.append(
            {
                "tool": tool,
                "detected": hit,
                "malicious": len(bad),
                "false_positives": fp,
                "benign": len(good),
                "errors": errs,
                "unsupported": na,
            }
        )
    return rows


def summary_table(rows: list[dict]) -> str:
    ref = next((r for r in rows if r["tool"] == "mlwarden"), None)
    out = []
    for r in rows:
        rate = f"{r['detected'] / r['malicious']:.1%}" if r["malicious"] else "—"  # a benign-only corpus has none
        fp_rate = f"{r['false_positives'] / r['benign']:.1%}" if r["benign"] else "—"
        ratio = "—"
        if ref is not None and r["tool"] != "mlwarden":
            ratio = f"{ref['detected'] / r['detected']:.2f}×" if r["detected"] else "∞"
        out.append(
            [
                r["tool"],
                f"{r['detected']}/{r['malicious']}",
                rate,
                f"{r['false_positives']}/{r['benign']}",
                fp_rate,
                str(r["errors"]),
                str(r["unsupported"]),
                ratio,
            ]
        )
    header = [
        "tool",
        "malicious detected",
        "detection rate",
        "benign flagged",
        "false-positive rate",
        "tool errors",
        "unsupported files",
        "mlwarden detections ÷ tool's",
    ]
    return markdown_table(header, out)


def technique_table(labels: dict, root: Path, results: dict[str, dict[str, Verdict]]) -> str:
    tools = list(results)
    rows = []
    for f, meta in sorted(labels.items(), key=lambda kv: (kv[1]["format"], kv[1]["technique"])):
        if meta["label"] != "malicious":
            continue
        cells = [cell(results[t][str(root / f)]) for t in tools]
        rows.append([f"`{meta['technique']}`", meta["format"], *cells, _source_link(meta["source"])])
    return markdown_table(["technique", "format", *tools, "source"], rows)


def _source_link(source: str) -> str:
    url = source.split(" ", 1)[0]
    return f"[ref]({url})" if url.startswith("http") else source


def benign_table(labels: dict, root: Path, results: dict[str, dict[str, Verdict]]) -> str:
    tools = list(results)
    rows = []
    for f, meta in sorted(labels.items()):
        if meta["label"] != "benign":
            continue
        verdicts = [results[t][str(root / f)] for t in tools]
        if any(v.detected for v in verdicts):
            rows.append([f"`{f}`", *["FP" if v.detected else "·" for v in verdicts]])
    if not rows:
        return "_No tool flagged any benign file._"
    return markdown_table(["benign file (flagged by at least one tool)", *tools], rows)


def blind_spots(labels: dict, root: Path, results: dict[str, dict[str, Verdict]]) -> list[str]:
    peers = [t for t in results if t != "mlwarden"]
    lines = []
    for f, meta in sorted(labels.items()):
        if meta["label"] != "malicious" or any(results[t][str(root / f)].detected for t in peers):
            continue
        mark = ""
        if "mlwarden" in results:
            mark = " — mlwarden ✓" if results["mlwarden"][str(root / f)].detected else " — mlwarden ✗"
        lines.append(f"- `{meta['technique']}` ({meta['format']}){mark}")
    return lines


def mlwarden_misses(labels: dict, root: Path, results: dict[str, dict[str, Verdict]]) -> list[str]:
    if "mlwarden" not in results:
        return []
    lines = []
    for f, meta in sorted(labels.items()):
        verdict = results["mlwarden"][str(root / f)]
        wrong = verdict.detected != (meta["label"] == "malicious")
        if wrong:
            kind = "missed" if meta["label"] == "malicious" else "false positive"
            lines.append(f"- {kind}: `{f}` ({meta['format']}; status {verdict.status}; {verdict.detail or '-'})")
    return lines


def render(labels: dict, root: Path, results: dict[str, dict[str, Verdict]], meta: dict) -> str:
    n_bad = sum(m["label"] == "malicious" for m in labels.values())
    n_tech = len({m["technique"] for m in labels.values() if m["label"] == "malicious"})
    parts = [
        f"Corpus: {len(labels)} files — {n_bad} malicious ({n_tech} techniques), {len(labels) - n_bad} benign. Tools: "
        + ", ".join(f"{k} {v}" for k, v in meta["versions"].items())
        + ".",
        "",
        summary_table(summary(labels, root, results)),
        "",
        "#### Per technique (✓ detected at medium or above, ✗ missed; (error)/(n/a)/(timeout) say why)",
        "",
        technique_table(labels, root, results),
        "",
        "#### Benign files flagged (false positives)",
        "",
        benign_table(labels, root, results),
        "",
        "#### Techniques every peer misses",
        "",
        "\n".join(blind_spots(labels, root, results)) or "_none_",
    ]
    misses = mlwarden_misses(labels, root, results)
    if "mlwarden" in results:
        parts += ["", "#### mlwarden misses and false positives", "", "\n".join(misses) or "_none_"]
    return "\n".join(parts) + "\n"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--corpus", type=Path, default=DEFAULT_CORPUS)
    parser.add_argument("--tools", default="mlwarden,modelscan,picklescan,picklescan --strict,fickling")
    parser.add_argument("--jobs", type=int, default=2)
    parser.add_argument("--json", type=Path, default=WORK / "results" / "model_scan_detection.json")
    parser.add_argument("--markdown", type=Path, default=None, help="also write the Markdown report here")
    args = parser.parse_args(argv)
    labels = json.loads((args.corpus / "labels.json").read_text())
    root = args.corpus.resolve()
    tools = [t.strip() for t in args.tools.split(",") if t.strip()]
    if "mlwarden" in tools and not mlwarden_available():
        print("mlwarden scan is not available yet; running the peers only", file=sys.stderr)
        tools.remove("mlwarden")
    results = run_all(tools, [root / f for f in sorted(labels)], args.jobs)
    meta = {
        "versions": versions(tools),
        "machine": machine(),
        "command": " ".join(["python3", *sys.argv]),
        "mlwarden_revision": git_revision(),
    }
    text = render(labels, root, results, meta)
    print(text)
    args.json.parent.mkdir(parents=True, exist_ok=True)
    payload = {
        "meta": meta,
        "summary": summary(labels, root, results),
        "verdicts": {
            t: {str(Path(p).relative_to(root)): asdict(v) for p, v in vs.items()} for t, vs in results.items()
        },
    }
    args.json.write_text(json.dumps(payload, indent=2, ensure_ascii=False) + "\n")
    if args.markdown:
        args.markdown.write_text(text)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
