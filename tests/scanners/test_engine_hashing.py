"""The engine's artifact digests: right for every file, in walk order, and absent with --no-hash."""

from __future__ import annotations

import hashlib
import os
from pathlib import Path

from mlwarden.scanners.engine import ScanOptions, run_scan


def test_digests_are_right_and_in_walk_order_for_big_and_small_files(tmp_path: Path) -> None:
    sizes = {"a_big.bin": 9 * 1024 * 1024, "b_small.txt": 10, "c_big.bin": 8 * 1024 * 1024, "d_empty.txt": 0}
    for name, size in sizes.items():
        (tmp_path / name).write_bytes(os.urandom(size))
    result = run_scan([tmp_path])
    records = {Path(r.path).name: r for r in result.artifacts if r.member is None}
    assert list(records) == sorted(sizes)
    for name in sizes:
        assert records[name].sha256 == hashlib.sha256((tmp_path / name).read_bytes()).hexdigest()
    assert not result.errors


def test_no_hash_leaves_digests_empty(tmp_path: Path) -> None:
    (tmp_path / "big.bin").write_bytes(os.urandom(9 * 1024 * 1024))
    result = run_scan([tmp_path], options=ScanOptions(hash_artifacts=False))
    assert [r.sha256 for r in result.artifacts] == [None]
