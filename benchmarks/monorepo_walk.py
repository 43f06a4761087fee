"""Time `mlwarden scan` over a generated monorepo-sized tree (10k files), with the progress bar on a terminal.

    .venv/bin/python benchmarks/monorepo_walk.py [--files 10000] [--dest benchmarks/work/monorepo] [--markdown OUT]

The tree mixes what a real ML monorepo holds: Python modules (most files), unrelated YAML/JSON configs,
Markdown, requirements files, Kubernetes manifests (multi-document, some with mistakes), Dockerfiles,
compose files, GitHub workflows and a few small model files (safetensors, npy, a benign pickle written with
`pickle.dumps`; nothing is ever loaded). Generation is deterministic (seeded).

Each run is `mlwarden scan DEST --format json -o ... --exit-zero` as a subprocess under `script` (a pseudo
terminal, so the rich progress bar is drawn as a user would see it), once with hashing and once with
`--no-hash`. Then the platform scanner alone is timed in-process (`run_scan` with a one-scanner registry) to
show its share. Output: a Markdown table with files/s, findings and the exact commands.
"""

from __future__ import annotations

import argparse
import json
import pickle
import random
import shlex
import shutil
import struct
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
MLWARDEN = ROOT / ".venv" / "bin" / "mlwarden"

_PY = (
    '"""Module {i}."""\n\nimport os\n\n\ndef handler_{i}(event):\n    return {{"id": {i}, "env": os.getenv("STAGE")}}\n'
)
_CONFIG = "model:\n  name: m{i}\n  lr: 0.0{d}\n  layers: [{d}, {d}]\ndata:\n  path: s3://bucket/{i}\n"
_DOCKER = (
    "FROM python:3.11-slim\nWORKDIR /app\nCOPY requirements.txt .\nRUN pip install --no-cache-dir -r requirements.txt\n"
    'COPY . .\n{user}EXPOSE 8080\nCMD ["python", "serve.py"]\n'
)
_K8S = (
    "apiVersion: v1\nkind: Service\nmetadata: {{name: svc-{i}}}\nspec:\n"
    "  selector: {{app: m{i}}}\n  ports: [{{port: 80}}]\n"
    "---\napiVersion: apps/v1\nkind: Deployment\nmetadata: {{name: m{i}}}\nspec:\n  template:\n    spec:\n"
    "      containers:\n        - name: server\n          image: ghcr.io/acme/m{i}:1.{d}.0\n"
    "          resources: {{limits: {{cpu: '1', memory: 2Gi}}}}\n"
    "          securityContext: {{allowPrivilegeEscalation: false, readOnlyRootFilesystem: true{extra}}}\n"
)
_COMPOSE = "services:\n  model:\n    image: ghcr.io/acme/m{i}:1.0\n    ports: ['8080:8080']\n    mem_limit: 2g\n"
_WORKFLOW = (
    "name: ci-{i}\non: [push]\npermissions: {{contents: read}}\njobs:\n  test:\n    runs-on: ubuntu-latest\n"
    "    steps:\n      - uses: actions/checkout@v4\n      - run: pip install -e . && pytest\n"
)


def _safetensors() -> bytes:
    header = json.dumps({"w": {"dtype": "F32", "shape": [4], "data_offsets": [0, 16]}}).encode()
    return struct.pack("<Q", len(header)) + header + b"\x00" * 16


def _npy() -> bytes:
    header = b"{'descr': '<f4', 'fortran_order': False, 'shape': (4,), }"
    header += b" " * (63 - len(header)) + b"\n"
    return b"\x93NUMPY\x01\x00" + struct.pack("<H", len(header)) + header + b"\x00" * 16


def _file(i: int, rng: random.Random) -> tuple[str, bytes]:
    """One file of the tree: its relative path and content, by a fixed mix of kinds."""
    team, d = f"services/svc{i % 200:03d}", rng.randint(1, 9)
    roll = rng.random()
    table: list[tuple[float, str, str]] = [
        (0.60, f"{team}/src/mod_{i}.py", _PY.format(i=i)),
        (0.70, f"{team}/config/train_{i}.yaml", _CONFIG.format(i=i, d=d)),
        (0.78, f"{team}/config/meta_{i}.json", json.dumps({"id": i, "tags": ["a", "b"], "score": d / 10})),
        (0.83, f"{team}/docs/note_{i}.md", f"# Note {i}\n\nSee the runbook for service {i}.\n"),
        (0.88, f"{team}/deploy/k8s_{i}.yaml", _K8S.format(i=i, d=d, extra=", privileged: true" if d == 9 else "")),
        (0.91, f"{team}/Dockerfile.{i}", _DOCKER.format(user="USER 10001\n" if d > 3 else "")),
        (0.93, f"{team}/docker-compose.{i}.yml", _COMPOSE.format(i=i)),
        (0.95, f".github/workflows/ci_{i}.yml", _WORKFLOW.format(i=i)),
        (0.97, f"{team}/requirements-{i}.txt", f"numpy=={d}.0\nrequests>=2.{d}\n"),
    ]
    for limit, path, text in table:
        if roll < limit:
            return path, text.encode()
    kind = i % 3
    if kind == 0:
        return f"{team}/models/w_{i}.safetensors", _safetensors()
    if kind == 1:
        return f"{team}/models/a_{i}.npy", _npy()
    return f"{team}/models/p_{i}.pkl", pickle.dumps({"weights": [d] * 8, "name": f"m{i}"}, protocol=4)


def build(dest: Path, files: int) -> None:
    """Write the tree (replacing an old one)."""
    shutil.rmtree(dest, ignore_errors=True)
    rng = random.Random(20260101)
    for i in range(files):
        rel, data = _file(i, rng)
        path = dest / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(data)


def _cli_run(dest: Path, out: Path, *extra: str) -> tuple[str, float, dict[str, int]]:
    command = [str(MLWARDEN), "scan", str(dest), "--format", "json", "-o", str(out), "--exit-zero", *extra]
    shown = " ".join(shlex.quote(part) for part in command)
    started = time.perf_counter()
    # `script` gives the scan a pseudo terminal so that the progress bar is drawn, as a user would see it.
    subprocess.run(["script", "-qec", shown, "/dev/null"], check=True, capture_output=True)
    elapsed = time.perf_counter() - started
    report = json.loads(out.read_text(encoding="utf-8"))
    counts = {
        "artifacts": len(report.get("artifacts", [])),
        "findings": len(report.get("findings", [])),
        "platform": sum(1 for f in report.get("findings", []) if f.get("scanner") == "platform"),
    }
    return shown.replace(str(ROOT) + "/", ""), elapsed, counts


def _platform_only(dest: Path) -> tuple[float, int]:
    sys.path.insert(0, str(ROOT / "src"))
    from mlwarden.scanners.engine import ScanOptions, run_scan
    from mlwarden.scanners.platform import PlatformScanner
    from mlwarden.scanners.registry import Registry

    started = time.perf_counter()
    result = run_scan([dest], registry=Registry((PlatformScanner(),)), options=ScanOptions(hash_artifacts=False))
    return time.perf_counter() - started, len(result.findings)


def main() -> None:
    """Build the tree, run the scans, print the Markdown table."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--files", type=int, default=10_000)
    parser.add_argument("--dest", type=Path, default=ROOT / "benchmarks" / "work" / "monorepo")
    parser.add_argument("--markdown", type=Path)
    args = parser.parse_args()
    build(args.dest, args.files)
    results_dir = ROOT / "benchmarks" / "work" / "results"
    results_dir.mkdir(parents=True, exist_ok=True)
    rows = []
    for label, extra in (("full scan, SHA-256 of every artifact", ()), ("full scan, --no-hash", ("--no-hash",))):
        shown, elapsed, counts = _cli_run(args.dest, results_dir / "monorepo.json", *extra)
        rows.append((label, elapsed, counts, shown))
    platform_time, platform_findings = _platform_only(args.dest)
    lines = [
        f"Tree: {args.files} files generated by `benchmarks/monorepo_walk.py` (seeded).",
        "",
        "| run | wall time (s) | files/s | artifacts | findings | platform findings |",
        "|---|---|---|---|---|---|",
    ]
    for label, elapsed, counts, _ in rows:
        lines.append(
            f"| {label} | {elapsed:.1f} | {args.files / elapsed:.0f} | {counts['artifacts']} | {counts['findings']} "
            f"| {counts['platform']} |"
        )
    lines.append(
        f"| platform scanner alone (in-process `run_scan`, no hash) | {platform_time:.1f} | "
        f"{args.files / platform_time:.0f} | – | {platform_findings} | {platform_findings} |"
    )
    lines += ["", "Commands (each under `script -qec '...' /dev/null` for a terminal with the progress bar):", ""]
    lines += [f"    {shown}" for *_, shown in rows]
    text = "\n".join(lines) + "\n"
    if args.markdown:
        args.markdown.write_text(text, encoding="utf-8")
    print(text)


if __name__ == "__main__":
    main()
