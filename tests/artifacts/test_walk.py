"""Walking directories: order, skipped directories, symlinks, odd names, unreadable and special files."""

from __future__ import annotations

import os
import pickle
from collections.abc import Callable
from pathlib import Path
from typing import BinaryIO

import pytest
from tests.artifacts.conftest import run_walk

from mlwarden.artifacts import walk as walk_module
from mlwarden.artifacts.formats import Format
from mlwarden.artifacts.limits import Budget
from mlwarden.artifacts.walk import walk
from mlwarden.core.errors import UsageError
from mlwarden.core.findings import ScanErrorKind, Severity


def _tree(root: Path, files: dict[str, bytes]) -> None:
    for rel, data in files.items():
        path = root / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(data)


def test_sorted_walk_skips_caches_vcs_and_virtualenvs(in_tmp: Path) -> None:
    _tree(
        in_tmp / "proj",
        {
            "b.txt": b"b\n",
            "a/z.py": b"import os\n",
            "a/m.pkl": pickle.dumps([1]),
            ".git/objects/x.pkl": pickle.dumps(1),
            "node_modules/p/index.js": b"x\n",
            "__pycache__/m.pyc": b"\x00",
            ".mypy_cache/x.json": b"{}",
            ".pytest_cache/v": b"x",
            ".ruff_cache/x": b"x",
            ".tox/py/x": b"x",
            ".hg/x": b"x",
            ".svn/x": b"x",
            ".mlwarden/db.sqlite": b"x",
            "env/pyvenv.cfg": b"home = /usr\n",
            "env/lib/site.py": b"import os\n",
        },
    )
    walked = run_walk(["proj/"])
    assert walked.displays == ["proj/a/m.pkl", "proj/a/z.py", "proj/b.txt"]
    assert [a.format for a in walked.artifacts] == [Format.PICKLE, Format.PYTHON, Format.TEXT]
    assert not walked.findings and not walked.errors


def test_path_convention_follows_the_typed_target(in_tmp: Path) -> None:
    _tree(in_tmp / "proj", {"m/a.txt": b"a\n"})
    assert run_walk(["proj"]).displays == ["proj/m/a.txt"]
    assert run_walk(["proj/"]).displays == ["proj/m/a.txt"]
    assert run_walk(["proj/m/a.txt"]).displays == ["proj/m/a.txt"]
    os.chdir(in_tmp / "proj")
    assert run_walk(["."]).displays == ["m/a.txt"]
    artifact = run_walk(["."]).artifacts[0]
    assert artifact.fs_path is not None and artifact.fs_path.read_bytes() == b"a\n"
    assert artifact.member is None and artifact.depth == 0


def test_missing_target_raises_usage_error_before_walking(in_tmp: Path) -> None:
    (in_tmp / "ok.txt").write_text("x")
    with pytest.raises(UsageError, match="path does not exist: nope"):
        walk(["ok.txt", "nope"], budget=Budget())


def test_symlink_escaping_the_root_is_reported_not_followed(in_tmp: Path) -> None:
    outside = in_tmp / "secret.key"
    outside.write_text("KEY")
    _tree(in_tmp / "proj", {"a.txt": b"a\n"})
    (in_tmp / "proj" / "key").symlink_to(outside)
    (in_tmp / "proj" / "etc").symlink_to("/etc")
    walked = run_walk(["proj"])
    assert walked.displays == ["proj/a.txt"]
    assert walked.rules() == ["MW-ARCHIVE-011", "MW-ARCHIVE-011"]
    assert {f.location.path for f in walked.findings} == {"proj/etc", "proj/key"}
    assert all(f.severity == Severity.LOW for f in walked.findings)


def test_symlinks_inside_the_root_are_followed_and_loops_end(in_tmp: Path) -> None:
    _tree(in_tmp / "proj", {"data/x.txt": b"x\n"})
    (in_tmp / "proj" / "alias.txt").symlink_to("data/x.txt")
    (in_tmp / "proj" / "data" / "up").symlink_to("..")
    (in_tmp / "proj" / "data" / "self").symlink_to("self")
    (in_tmp / "proj" / "a_loop").symlink_to("b_loop")
    (in_tmp / "proj" / "b_loop").symlink_to("a_loop")
    walked = run_walk(["proj"])
    assert walked.displays == ["proj/alias.txt", "proj/data/x.txt"]
    assert walked.read("proj/alias.txt") == b"x\n"
    # the loops are said, not skipped in silence; the tree's own cycles (up, self -> dirs seen) are not errors
    loops = {e.path: e.message for e in walked.errors}
    assert loops == {
        path: f"cannot read {path}: a dangling symlink or a symlink loop"
        for path in ("proj/a_loop", "proj/b_loop", "proj/data/self")
    }


def test_symlinked_directory_is_entered_once(in_tmp: Path) -> None:
    _tree(in_tmp / "proj", {"real/x.txt": b"x\n"})
    (in_tmp / "proj" / "zlink").symlink_to("real")
    assert run_walk(["proj"]).displays == ["proj/real/x.txt"]


def test_odd_bytes_in_names_do_not_crash(in_tmp: Path) -> None:
    root = os.fsencode(in_tmp / "proj")
    os.mkdir(root)
    name = os.path.join(root, b"caf\xe9-\xff.pkl")
    with open(name, "wb") as handle:
        handle.write(pickle.dumps({"a": 1}))
    walked = run_walk(["proj"])
    (artifact,) = walked.artifacts
    assert isinstance(artifact.path, str) and os.fsencode(artifact.path) == b"proj/caf\xe9-\xff.pkl"
    assert artifact.format == Format.PICKLE
    assert artifact.location().display()  # a str, printable by reporters that escape surrogates
    with artifact.open() as stream:
        assert stream.read(1) == b"\x80"


def test_empty_file_is_yielded_as_empty(in_tmp: Path) -> None:
    (in_tmp / "zero.bin").write_bytes(b"")
    (artifact,) = run_walk(["zero.bin"]).artifacts
    assert artifact.format == Format.EMPTY and artifact.size == 0


@pytest.mark.skipif(os.geteuid() == 0, reason="root reads files whatever their mode")
def test_unreadable_file_by_mode_is_a_scan_error(in_tmp: Path) -> None:
    (in_tmp / "locked.pkl").write_bytes(b"x")
    (in_tmp / "locked.pkl").chmod(0)
    try:
        walked = run_walk(["."])
    finally:
        (in_tmp / "locked.pkl").chmod(0o600)
    assert [e.kind for e in walked.errors] == [ScanErrorKind.UNREADABLE]


def test_unreadable_file_is_a_scan_error(in_tmp: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    (in_tmp / "locked.pkl").write_bytes(b"x")
    (in_tmp / "fine.txt").write_text("fine\n")

    def denying(path: Path) -> Callable[[], BinaryIO]:
        def opener() -> BinaryIO:
            if path.name == "locked.pkl":
                raise PermissionError(13, "Permission denied", str(path))
            return path.open("rb")

        return opener

    monkeypatch.setattr(walk_module, "_file_opener", denying)
    walked = run_walk(["."])
    assert walked.displays == ["fine.txt"]
    (error,) = walked.errors
    assert error.kind == ScanErrorKind.UNREADABLE and error.path == "locked.pkl"
    assert "Permission denied" in error.message


def test_unreadable_directory_is_a_scan_error(in_tmp: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    _tree(in_tmp, {"open/a.txt": b"a\n", "shut/b.txt": b"b\n"})
    real_scandir = os.scandir

    def scandir(path: os.PathLike[str]) -> object:
        if Path(path).name == "shut":
            raise PermissionError(13, "Permission denied", str(path))
        return real_scandir(path)

    monkeypatch.setattr(walk_module.os, "scandir", scandir)
    walked = run_walk(["."])
    assert walked.displays == ["open/a.txt"]
    assert [(e.path, e.kind) for e in walked.errors] == [("shut", ScanErrorKind.UNREADABLE)]


def test_fifo_in_tree_is_reported_not_read_and_as_target_is_an_error(in_tmp: Path) -> None:
    os.mkfifo(in_tmp / "pipe")
    (in_tmp / "a.txt").write_text("a\n")
    in_tree = run_walk(["."])
    assert in_tree.displays == ["a.txt"]
    assert [(e.path, e.kind) for e in in_tree.errors] == [("pipe", ScanErrorKind.UNREADABLE)]
    assert "not a regular file" in in_tree.errors[0].message
    walked = run_walk(["pipe"])
    assert not walked.artifacts and [e.kind for e in walked.errors] == [ScanErrorKind.UNREADABLE]


def test_file_over_size_limit_is_a_finding_not_scanned(in_tmp: Path) -> None:
    (in_tmp / "big.bin").write_bytes(b"x" * 100)
    walked = run_walk(["big.bin"], Budget(max_file_bytes=10))
    assert not walked.artifacts
    assert walked.rules() == ["MW-LIMIT-001"] and "max_file_bytes" in walked.findings[0].message


def test_max_files_stops_the_walk_with_a_finding(in_tmp: Path) -> None:
    _tree(in_tmp, {f"f{i}.txt": b"x\n" for i in range(5)})
    walked = run_walk([".", "f0.txt"], Budget(max_files=3))
    assert walked.displays == ["f0.txt", "f1.txt", "f2.txt"]
    assert walked.rules() == ["MW-LIMIT-001"]


def test_plain_file_opener_is_lazy_and_repeatable(in_tmp: Path) -> None:
    (in_tmp / "a.txt").write_text("hello\n")
    (artifact,) = run_walk(["a.txt"]).artifacts
    for _ in range(2):
        with artifact.open() as stream:
            assert stream.read() == b"hello\n"
