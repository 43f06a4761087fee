"""Hashing throughput: mlwarden vs ``sha256sum`` (one core) vs OpenSSF model-signing, side by side.

Two trees under ``benchmarks/work/hashing/`` (made once, random bytes, not sparse):

- ``big/``: one 2 GiB file (``--big-mib`` to change);
- ``small/``: 5,000 files of 4-200 KiB (``--small-count``).

Every tool runs in its own subprocess on a warm page cache (one untimed read first), so the numbers
are CPU-bound hashing speed, and the child reports its peak RSS. Targets: mlwarden at least as fast
as model-signing, and at least 85% of (cores x single-core SHA-256 speed) on the big file.

Run: ``.venv/bin/python benchmarks/hashing.py`` (about 2-4 minutes on 2 cores).
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import random
import resource
import subprocess
import sys
import time
from pathlib import Path

WORK = Path(__file__).resolve().parent / "work" / "hashing"
PYTHON = sys.executable

# model-signing 1.1.1 imports pyOpenSSL for its certificate method, which we do not use here.
_MS_PRELUDE = """
import sys, types
try:
    import OpenSSL
except ImportError:
    stub = types.ModuleType("OpenSSL"); stub.crypto = types.ModuleType("OpenSSL.crypto")
    sys.modules["OpenSSL"] = stub; sys.modules["OpenSSL.crypto"] = stub.crypto
import model_signing
"""

_CHILD = """
import sys, time, json
{prelude}
t, c = time.perf_counter(), time.process_time()
{body}
elapsed, cpu = time.perf_counter() - t, time.process_time() - c
# VmHWM is this process's own peak RSS (ru_maxrss would include the parent's, inherited across exec).
hwm = next(int(l.split()[1]) for l in open("/proc/self/status") if l.startswith("VmHWM:"))
print(json.dumps({{"seconds": elapsed, "cpu": cpu, "rss_mib": hwm / 1024}}))
"""

# Imports go in the prelude (untimed) for every tool alike: the figure is hashing speed, not start-up.
_MW_PRELUDE = """
from pathlib import Path
from mlwarden.integrity.digest import hash_range
from mlwarden.integrity.manifest import Serialization
from mlwarden.integrity.sign import hash_path
from mlwarden.integrity.tree import walk_tree
"""

TOOLS = {
    "hashlib, 1 thread": (_MW_PRELUDE,
                          "[hash_range(f.path) for f in walk_tree(Path(sys.argv[1]), Serialization()).files]"),
    "mlwarden shards (default)": (_MW_PRELUDE, "hash_path(Path(sys.argv[1]))"),
    "mlwarden files": (_MW_PRELUDE, "hash_path(Path(sys.argv[1]), serialization=Serialization(method='files'))"),
    "model-signing shards": (_MS_PRELUDE, "model_signing.hashing.Config().use_shard_serialization().hash(sys.argv[1])"),
    "model-signing files": (_MS_PRELUDE, "model_signing.hashing.Config().use_file_serialization().hash(sys.argv[1])"),
}  # fmt: skip


def _write_random(path: Path, size: int, rng: random.Random) -> None:
    block = 64 << 20
    with path.open("wb") as handle:
        left = size
        while left:
            n = min(block, left)
            handle.write(rng.randbytes(n))
            left -= n


def make_trees(big_mib: int, small_count: int) -> tuple[Path, Path]:
    rng = random.Random(20240611)
    big = WORK / "big"
    big.mkdir(parents=True, exist_ok=True)
    target = big / "model.bin"
    if not target.exists() or target.stat().st_size != big_mib << 20:
        _write_random(target, big_mib << 20, rng)
    small = WORK / "small"
    marker = small / ".complete"
    if not marker.exists() or marker.read_text() != str(small_count):
        small.mkdir(parents=True, exist_ok=True)
        for i in range(small_count):
            sub = small / f"shard-{i // 500:02d}"
            sub.mkdir(exist_ok=True)
            (sub / f"part-{i:05d}.bin").write_bytes(rng.randbytes(rng.randint(4 << 10, 200 << 10)))
        marker.write_text(str(small_count))
    return big, small


def tree_bytes(root: Path) -> int:
    return sum(p.stat().st_size for p in root.rglob("*") if p.is_file() and p.name != ".complete")


def warm(root: Path) -> None:
    for path in root.rglob("*"):
        if path.is_file():
            with path.open("rb") as handle:
                while handle.read(8 << 20):
                    pass


def run_sha256sum(root: Path) -> dict[str, float]:
    files = sorted(str(p) for p in root.rglob("*") if p.is_file() and p.name != ".complete")
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.perf_counter()
    # One process, one core: xargs batches the arguments but runs sha256sum sequentially.
    subprocess.run(["xargs", "-0", "sha256sum"], input="\0".join(files).encode(), check=True, stdout=subprocess.DEVNULL)
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = (after.ru_utime + after.ru_stime) - (before.ru_utime + before.ru_stime)
    return {"seconds": time.perf_counter() - start, "cpu": cpu, "rss_mib": float("nan")}


def run_child(prelude: str, body: str, root: Path) -> dict[str, float]:
    code = _CHILD.format(prelude=prelude + "\nfrom pathlib import Path", body=body)
    out = subprocess.run([PYTHON, "-c", code, str(root)], check=True, capture_output=True, text=True)
    return dict(json.loads(out.stdout.strip().splitlines()[-1]))


def bench(root: Path, repeats: int) -> dict[str, dict[str, float]]:
    warm(root)
    size = tree_bytes(root)
    results: dict[str, dict[str, float]] = {}
    runs = {"sha256sum, 1 core": lambda: run_sha256sum(root)}
    runs.update({name: (lambda p=p, b=b: run_child(p, b, root)) for name, (p, b) in TOOLS.items()})
    # Round-robin over the tools and keep each one's best run, so that load from other processes on a
    # shared machine penalises no tool more than the others.
    for _ in range(repeats):
        for name, run in runs.items():
            run_result = run()
            if name not in results or run_result["seconds"] < results[name]["seconds"]:
                results[name] = run_result
    for result in results.values():
        result["mb_s"] = size / result["seconds"] / 1e6
        result["cpu_mb_s"] = size / result["cpu"] / 1e6
    return results


def report(title: str, root: Path, results: dict[str, dict[str, float]], cores: int) -> None:
    size = tree_bytes(root)
    single = max(results["sha256sum, 1 core"]["mb_s"], results["hashlib, 1 thread"]["mb_s"])
    ideal = single * cores
    ms_best = max(results["model-signing shards"]["mb_s"], results["model-signing files"]["mb_s"])
    print(f"\n### {title}: {size / 1e9:.2f} GB")
    print(f"single-core SHA-256 reference {single:.0f} MB/s; cores {cores}; ideal {ideal:.0f} MB/s\n")
    print("| tool | wall s | MB/s (wall) | vs ideal | vs best model-signing | CPU s | MB per CPU-s | peak RSS MiB |")
    print("|---|---|---|---|---|---|---|---|")
    for name, r in results.items():
        rss = "-" if r["rss_mib"] != r["rss_mib"] else f"{r['rss_mib']:.0f}"
        print(f"| {name} | {r['seconds']:.2f} | {r['mb_s']:.0f} | {r['mb_s'] / ideal:.0%} | "
              f"{r['mb_s'] / ms_best:.2f}x | {r['cpu']:.2f} | {r['cpu_mb_s']:.0f} | {rss} |")  # fmt: skip


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--big-mib", type=int, default=2048)
    parser.add_argument("--small-count", type=int, default=5000)
    parser.add_argument("--repeats", type=int, default=3)
    args = parser.parse_args()
    cores = len(os.sched_getaffinity(0))
    print(f"machine: {platform.processor() or platform.machine()}, {cores} cores, Python {platform.python_version()}")
    big, small = make_trees(args.big_mib, args.small_count)
    print(f"load average (1, 5, 15 min) at the start: {os.getloadavg()}")
    report("One big file", big, bench(big, args.repeats), cores)
    report(f"{args.small_count} small files", small, bench(small, args.repeats), cores)
    print(f"\nload average (1, 5, 15 min) at the end: {os.getloadavg()}")


if __name__ == "__main__":
    main()
