"""Speed benchmark: mlwarden and the peers on a ~1 GiB PyTorch checkpoint and a ~300 MB pickle, in one run.

    python3 benchmarks/model_scan_speed.py [--reps 3] [--markdown OUT.md]

Inputs are generated once into benchmarks/work/speed/ by peers/make_speed_inputs.py (real torch.save and
pickle.dump). Each file is read once first so every tool sees a warm page cache. Each tool runs as a fresh
subprocess under ``/usr/bin/time`` (wall time, peak RSS of the process tree's largest member); the median of
``--reps`` runs is reported with MB/s (MiB of input per second) and each tool's time as a multiple of mlwarden's.
Every run is capped at 12 GiB of address space and ``--timeout`` seconds so that a peer that balloons cannot take
the machine down; hitting a cap is reported, not hidden.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import asdict, dataclass
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from harness import (
    BENCH,
    FICKLING_DRIVER,
    MLWARDEN,
    MODELSCAN,
    PEERS_PYTHON,
    PICKLESCAN,
    WORK,
    git_revision,
    machine,
    markdown_table,
    mlwarden_available,
)

SPEED_DIR = WORK / "speed"
INPUTS = {
    "checkpoint.pt": "~1 GiB PyTorch checkpoint (torch.save state_dict)",
    "records.pkl": "~300 MB pickle of many small dicts",
}
TIME_BIN = Path("/usr/bin/time")
MIB = 1024 * 1024
AS_CAP = 12 * 1024**3


@dataclass(frozen=True)
class Run:
    """One timed subprocess."""

    wall_s: float
    cpu_s: float
    peak_rss_mb: float
    returncode: int | None
    note: str
    output: str = ""  # tail of the tool's console output and report, to tell what a failure was


def commands(path: Path, out: Path) -> dict[str, list[str]]:
    """How each tool is asked to scan one file (the same way the detection benchmark asks)."""
    mlw = [str(MLWARDEN), "scan", str(path), "--format", "json", "--output", str(out), "--exit-zero", "--no-progress"]
    return {
        "mlwarden": mlw,
        "mlwarden --no-hash": [*mlw, "--no-hash"],
        "modelscan": [str(MODELSCAN), "-p", str(path), "-r", "json", "-o", str(out)],
        "picklescan": [str(PICKLESCAN), "--path", str(path)],
        "fickling": [str(PEERS_PYTHON), str(FICKLING_DRIVER), str(path)],
    }


def _cap_memory() -> None:
    resource.setrlimit(resource.RLIMIT_AS, (AS_CAP, AS_CAP))


def timed(cmd: list[str], timeout: float, cwd: Path) -> Run:
    """Run under /usr/bin/time -f '%e %M %U %S'; fall back to perf_counter + RUSAGE_CHILDREN without it."""
    with tempfile.NamedTemporaryFile("r", suffix=".time") as stats:
        full = [str(TIME_BIN), "-f", "%e %M %U %S", "-o", stats.name, *cmd] if TIME_BIN.exists() else cmd
        start = time.perf_counter()
        try:
            proc = subprocess.run(
                full, capture_output=True, text=True, timeout=timeout, cwd=cwd, preexec_fn=_cap_memory, check=False
            )
        except subprocess.TimeoutExpired:
            return Run(timeout, 0.0, 0.0, None, f"timeout after {timeout:.0f}s")
        wall = time.perf_counter() - start
        fields = stats.read().split()
    if TIME_BIN.exists() and len(fields) >= 4:
        wall_s, rss_kb, cpu_s = float(fields[-4]), float(fields[-3]), float(fields[-2]) + float(fields[-1])
    else:
        usage = resource.getrusage(resource.RUSAGE_CHILDREN)
        wall_s, rss_kb, cpu_s = wall, usage.ru_maxrss, usage.ru_utime + usage.ru_stime
    report = cwd / "out.json"
    note = _note(proc, report)
    output = (proc.stdout + proc.stderr)[-600:] + (report.read_text()[:1500] if report.exists() else "")
    return Run(max(wall_s, 0.01), cpu_s, rss_kb / 1024, proc.returncode, note, output)


def _note(proc: subprocess.CompletedProcess[str], report: Path) -> str:
    """Why a run did not give a usable timing, or '' when it did."""
    text = (proc.stdout + proc.stderr).lower()
    if "memoryerror" in text or "cannot allocate" in text or "bad_alloc" in text:
        return "out of memory under the 12 GiB cap"
    if proc.returncode in (0, 1):
        return ""
    reported = _report_errors(report)
    if reported:
        return f"exit {proc.returncode}: {reported[:160]}"
    lines = [ln for ln in proc.stderr.strip().splitlines() if "tensorflow" not in ln.lower() and ln.strip()]
    return f"exit {proc.returncode}: {(lines or [''])[-1][:160]}"


def _report_errors(report: Path) -> str:
    """modelscan-style JSON reports name their errors and skipped files; surface the first one."""
    try:
        data = json.loads(report.read_text())
    except (OSError, ValueError):
        return ""
    errors = data.get("errors") or []
    skipped = (data.get("summary", {}).get("skipped", {}) or {}).get("skipped_files") or []
    first = (errors or skipped or [None])[0]
    return json.dumps(first)[:160] if first else ""


def warm(path: Path) -> None:
    with path.open("rb") as fh:
        while fh.read(8 * MIB):
            pass


def bench_input(path: Path, tools: list[str], reps: int, timeout: float) -> dict[str, list[Run]]:
    results: dict[str, list[Run]] = {}
    warm(path)
    for tool in tools:
        runs: list[Run] = []
        for _ in range(reps):
            with tempfile.TemporaryDirectory(prefix="mlw-speed-") as tmp:
                run = timed(commands(path, Path(tmp) / "out.json")[tool], timeout, Path(tmp))
            runs.append(run)
            print(
                f"  {path.name} {tool}: {run.wall_s:.2f}s wall, {run.cpu_s:.2f}s CPU, {run.peak_rss_mb:.0f} MB",
                run.note,
                file=sys.stderr,
            )
            if run.returncode is None or run.note:
                break  # a timeout or a crash will not get better on a second try
        results[tool] = runs
    return results


def median_run(runs: list[Run]) -> Run | None:
    good = [r for r in runs if r.returncode is not None and not r.note]
    if not good:
        return None
    wall = statistics.median(r.wall_s for r in good)
    cpu = statistics.median(r.cpu_s for r in good)
    rss = statistics.median(r.peak_rss_mb for r in good)
    return Run(wall, cpu, rss, good[0].returncode, "")


def table(size_mb: float, results: dict[str, list[Run]]) -> str:
    """Medians per tool; ratios are the tool's median over mlwarden's (with hashing, the default)."""
    ref = median_run(results.get("mlwarden", []))
    rows = []
    for tool, runs in results.items():
        med = median_run(runs)
        if med is None:
            rows.append([tool, "—", "—", "—", "—", runs[0].note or "failed", "—", "—"])
            continue
        wall_ratio = f"{med.wall_s / ref.wall_s:.1f}×" if ref and tool != "mlwarden" else "—"
        cpu_ratio = f"{med.cpu_s / ref.cpu_s:.1f}×" if ref and ref.cpu_s and tool != "mlwarden" else "—"
        failed = [r.note or "no timing" for r in runs if r.returncode is None or r.note]
        result = f"exit {med.returncode} ({len(runs) - len(failed)} of {len(runs)} runs ok)"
        result += "".join(f"; failed: {note[:80]}" for note in failed)
        rows.append([tool, f"{med.wall_s:.2f}", f"{med.cpu_s:.2f}", f"{size_mb / med.wall_s:.0f}",
                     f"{med.peak_rss_mb:.0f}", result, wall_ratio, cpu_ratio])  # fmt: skip
    header = ["tool", "median wall (s)", "median CPU (s)", "MiB/s (wall)", "peak RSS (MB)", "result",
              "wall ÷ mlwarden's", "CPU ÷ mlwarden's"]  # fmt: skip
    return markdown_table(header, rows)


def ensure_inputs(regen: bool) -> None:
    missing = [name for name in INPUTS if not (SPEED_DIR / name).exists()]
    if missing or regen:
        print("generating inputs with torch/pickle ...", file=sys.stderr, flush=True)
        subprocess.run([str(PEERS_PYTHON), str(BENCH / "peers" / "make_speed_inputs.py"), str(SPEED_DIR)], check=True)


def render_saved(payload: dict) -> str:
    """The tables of a saved run (its JSON), e.g. after improving the table layout."""
    parts = []
    for name, what in INPUTS.items():
        saved = payload["inputs"].get(name)
        if saved is None:
            continue
        results = {tool: [Run(**r) for r in runs] for tool, runs in saved["runs"].items()}
        load = saved.get("load_average_after", "not recorded")
        parts += [f"#### {what}: `{name}`, {saved['size_mib']:.0f} MiB (load average after: {load})", "",
                  table(saved["size_mib"], results), ""]  # fmt: skip
    return "\n".join(parts)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--reps", type=int, default=3)
    parser.add_argument("--timeout", type=float, default=900.0)
    parser.add_argument("--tools", default="mlwarden,mlwarden --no-hash,modelscan,picklescan,fickling")
    parser.add_argument("--regen", action="store_true", help="rewrite the inputs")
    parser.add_argument("--json", type=Path, default=WORK / "results" / "model_scan_speed.json")
    parser.add_argument("--markdown", type=Path, default=None)
    parser.add_argument("--from-json", type=Path, default=None, help="only re-render a previous run's tables")
    args = parser.parse_args(argv)
    if args.from_json:
        print(render_saved(json.loads(args.from_json.read_text())))
        return 0
    ensure_inputs(args.regen)
    tools = [t.strip() for t in args.tools.split(",") if t.strip()]
    if not mlwarden_available():
        print("mlwarden scan is not available yet; timing the peers only", file=sys.stderr)
        tools = [t for t in tools if not t.startswith("mlwarden")]
    command = " ".join(["python3", *sys.argv])
    parts = []
    payload = {"machine": machine(), "command": command, "mlwarden_revision": git_revision(), "inputs": {}}
    for name, what in INPUTS.items():
        path = SPEED_DIR / name
        size_mb = path.stat().st_size / MIB
        results = bench_input(path, tools, args.reps, args.timeout)
        load = " ".join(f"{x:.1f}" for x in os.getloadavg())
        parts += [f"#### {what}: `{name}`, {size_mb:.0f} MiB (load average after: {load})", "",
                  table(size_mb, results), ""]  # fmt: skip
        payload["inputs"][name] = {
            "size_mib": size_mb,
            "load_average_after": load,
            "runs": {t: [asdict(r) for r in rs] for t, rs in results.items()},
        }
    text = "\n".join(parts)
    print(text)
    args.json.parent.mkdir(parents=True, exist_ok=True)
    args.json.write_text(json.dumps(payload, indent=2) + "\n")
    if args.markdown:
        args.markdown.write_text(text)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
