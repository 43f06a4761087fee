"""Canary payloads: each would create a file in tmp_path if anything executed it during the scan."""

from __future__ import annotations

import io
from pathlib import Path

import pytest
from tests.factories.pickle_builder import PickleBuilder
from tests.scanners.pickle.helpers import keys, scan_artifact, scan_bytes

from mlwarden.artifacts.formats import Format


def _payloads(canary: Path) -> dict[str, bytes]:
    path = str(canary)
    return {
        "os.system": PickleBuilder(protocol=2).call_global("os", "system", f"touch {path}").stop().data,
        "builtins.open": PickleBuilder().call("builtins", "open", path, "w").stop().data,
        "subprocess": PickleBuilder().call("subprocess", "call", "touch " + path).stop().data,
        "exec": PickleBuilder(protocol=None)
        .mark()
        .string_nl(f"open({path!r}, 'w').close()")
        .inst("__builtin__", "exec")
        .stop()
        .data,
    }


@pytest.mark.parametrize("name", ["os.system", "builtins.open", "subprocess", "exec"])
def test_scanning_never_runs_the_payload(tmp_path: Path, name: str) -> None:
    canary = tmp_path / "canary"
    data = _payloads(canary)[name]
    findings = scan_bytes(data) + scan_artifact(data) + scan_artifact(data, Format.JOBLIB)
    assert keys(findings), "the payload must be reported"
    assert not canary.exists(), "scanning executed the payload"


def test_joblib_compressed_canary(tmp_path: Path) -> None:
    import zlib

    canary = tmp_path / "canary"
    data = zlib.compress(_payloads(canary)["os.system"])
    findings = scan_artifact(data, Format.JOBLIB)
    assert "os.system" in keys(findings)
    assert not canary.exists()


def test_scan_reads_from_a_stream_without_closing_it() -> None:
    stream = io.BytesIO(PickleBuilder().none().stop().data)
    from tests.scanners.pickle.helpers import artifact_for

    from mlwarden.scanners.base import ScanContext
    from mlwarden.scanners.pickle.analysis import scan_pickle_stream

    assert list(scan_pickle_stream(stream, artifact=artifact_for(b""), ctx=ScanContext())) == []
    assert not stream.closed
