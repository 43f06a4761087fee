"""requirements.txt parsing: continuations, comments, options, hashes, URLs, includes and their limits."""

from __future__ import annotations

from pathlib import Path

from hypothesis import given, settings
from hypothesis import strategies as st

from mlwarden.scanners.deps.model import Dependency, Issue
from mlwarden.scanners.deps.parsers.requirements import (
    Included,
    IncludeRefused,
    Option,
    logical_lines,
    parse_line,
    parse_requirements,
)


def _parse(text: str):
    return parse_requirements(text, source="requirements.txt", identity="/r/requirements.txt", reader=None)


def test_continuations_comments_and_hashes() -> None:
    text = "# header\ntorch==2.1.0 \\\n    --hash=sha256:aa \\\n    --hash=sha256:bb  # pinned\nnumpy>=1.26 # range\n"
    parsed = _parse(text)
    torch, numpy = parsed.dependencies
    assert (torch.name, torch.version, torch.line, torch.hashes) == ("torch", "2.1.0", 2, ("sha256:aa", "sha256:bb"))
    assert (numpy.version, numpy.specifier, numpy.line) == (None, ">=1.26", 5)


def test_markers_extras_and_normalisation() -> None:
    (dep,) = _parse('Scikit_Learn[alldeps]==1.4.0 ; python_version >= "3.10"\n').dependencies
    assert dep.name == "scikit-learn" and dep.raw_name == "Scikit_Learn"
    assert dep.extras == ("alldeps",) and dep.markers == 'python_version >= "3.10"'


def test_wildcard_and_triple_equals() -> None:
    a, b, c = _parse("a==1.2.*\nb===1.0-custom\nc==1.0,<2\n").dependencies
    assert (a.version, b.version, c.version) == (None, "1.0-custom", "1.0")


def test_urls_vcs_editable_and_local_paths() -> None:
    text = (
        "-e git+https://github.com/org/proj.git@main#egg=proj\n"
        "https://files.example.org/pkg/mypkg-1.0-py3-none-any.whl\n"
        "other @ https://user:secret@example.org/other-2.0.tar.gz\n"
        "./local/pkg\n"
        "-e .\n"
    )
    vcs, wheel, other, local, editable = _parse(text).dependencies
    assert vcs.vcs and vcs.editable and vcs.name == "proj"
    assert wheel.name == "mypkg" and wheel.url and not wheel.vcs
    assert other.url == "https://***@example.org/other-2.0.tar.gz"
    assert local.local and editable.local and editable.editable


def test_index_options_become_issues_without_credentials() -> None:
    text = (
        "--extra-index-url https://user:pw@pypi.corp.example/simple\n"
        "--index-url=http://mirror.example/simple\n"
        "--trusted-host mirror.example\n"
        "-f https://download.example.org/whl/torch_stable.html\n"
        "-i http://127.0.0.1:8080/simple\n"
    )
    issues = _parse(text).issues
    codes = [i.code for i in issues]
    assert codes == ["extra-index", "insecure-index", "trusted-host", "extra-index"]
    assert all("pw" not in i.evidence and "pw" not in i.message for i in issues)


def test_require_hashes_option_turns_hash_mode_on() -> None:
    assert _parse("--require-hashes\nfoo==1\n").hash_mode


def test_unparsable_lines_are_issues_not_exceptions() -> None:
    parsed = _parse("good==1.0\nbad==\n-r\n[weird\n")
    assert [d.name for d in parsed.dependencies] == ["good"]
    assert [i.code for i in parsed.issues] == ["unparsable", "unparsable", "unparsable"]


def test_short_option_with_attached_value() -> None:
    assert parse_line("-rbase.txt", source="r", line=1) == Option("--requirement", "base.txt")
    assert parse_line("--requirement=base.txt", source="r", line=1) == Option("--requirement", "base.txt")


def _disk_reader(root: Path):
    def read(ref: str, parent: str) -> Included:
        target = (Path(parent).parent / ref).resolve()
        if root not in target.parents:
            raise IncludeRefused("include-outside", f"{ref} outside")
        if not target.is_file():
            raise IncludeRefused("include-missing", f"{ref} missing")
        return Included(target.name, str(target), target.read_text())

    return read


def test_includes_followed_and_cycles_detected(tmp_path: Path) -> None:
    (tmp_path / "a.txt").write_text("-r b.txt\nalpha==1\n")
    (tmp_path / "b.txt").write_text("-c a.txt\nbeta==2\n-r b.txt\n")
    parsed = parse_requirements(
        (tmp_path / "a.txt").read_text(), source="a.txt", identity=str(tmp_path / "a.txt"),
        reader=_disk_reader(tmp_path),
    )  # fmt: skip
    assert sorted(d.name for d in parsed.dependencies) == ["alpha", "beta"]
    cycles = [i for i in parsed.issues if i.code == "include-cycle"]
    assert len(cycles) == 2 and "a.txt -> b.txt -> a.txt" in cycles[0].message


def test_diamond_include_is_read_once(tmp_path: Path) -> None:
    (tmp_path / "top.txt").write_text("-r left.txt\n-r right.txt\n")
    (tmp_path / "left.txt").write_text("-r base.txt\n")
    (tmp_path / "right.txt").write_text("-r base.txt\n")
    (tmp_path / "base.txt").write_text("gamma==1\n")
    parsed = parse_requirements(
        (tmp_path / "top.txt").read_text(), source="top.txt", identity=str(tmp_path / "top.txt"),
        reader=_disk_reader(tmp_path),
    )  # fmt: skip
    assert [d.name for d in parsed.dependencies] == ["gamma"] and parsed.issues == []


def test_include_depth_is_bounded(tmp_path: Path) -> None:
    for level in range(12):
        (tmp_path / f"r{level}.txt").write_text(f"-r r{level + 1}.txt\npkg{level}==1\n")
    (tmp_path / "r12.txt").write_text("last==1\n")
    parsed = parse_requirements(
        (tmp_path / "r0.txt").read_text(), source="r0.txt", identity=str(tmp_path / "r0.txt"),
        reader=_disk_reader(tmp_path),
    )  # fmt: skip
    assert [i.code for i in parsed.issues] == ["include-depth"]
    assert "last" not in {d.name for d in parsed.dependencies}


def test_remote_and_refused_includes(tmp_path: Path) -> None:
    text = "-r https://example.org/reqs.txt\n-r ../../etc/passwd\n-r missing.txt\n"
    parsed = parse_requirements(text, source="r.txt", identity=str(tmp_path / "r.txt"), reader=_disk_reader(tmp_path))
    assert [i.code for i in parsed.issues] == ["include-remote", "include-outside", "include-missing"]


_LINE_CHARS = st.sampled_from([*"abcxyz019-_.[],;<>=!~@:/#\\ \t'\"$%&*+?^`{|}()", "\n", "git+", "--hash=", "-r "])


@settings(max_examples=150, deadline=None)
@given(st.lists(_LINE_CHARS, max_size=60).map("".join))
def test_fuzz_requirement_text_never_raises(text: str) -> None:
    parsed = _parse(text)
    for item in [*parsed.dependencies, *parsed.issues]:
        assert isinstance(item, Dependency | Issue)
    for number, _line in logical_lines(text):
        assert number >= 1
