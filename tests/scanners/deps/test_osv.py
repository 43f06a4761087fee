"""OSV: version matching on the fixture export (dir and zip), CVSS scores, and the API client contract."""

from __future__ import annotations

import json
import threading
import zipfile
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any, ClassVar

import pytest

from mlwarden.core.findings import Severity
from mlwarden.scanners.deps.cvss import cvss3_base_score, severity_for_score
from mlwarden.scanners.deps.osv import OsvDirectory, advisory_for
from mlwarden.scanners.deps.osv_api import OsvApi
from mlwarden.scanners.deps.sources import NoData, vuln_source

FIXTURE = Path(__file__).parent / "data" / "osv"


def _ids(result: Any, pair: tuple[str, str]) -> list[str]:
    return [a.id for a in result.advisories[pair]]


@pytest.mark.parametrize(
    ("name", "version", "expected"),
    [
        ("torch", "2.5.1", ["MWTEST-2024-0001"]),
        ("torch", "2.6.0", []),
        ("transformers", "4.35.2", ["MWTEST-2024-0002"]),
        ("pillow", "9.5.0", ["MWTEST-2024-0003"]),
        ("pillow", "10.0.1", []),
        ("pillow", "10.2.0", ["MWTEST-2024-0003"]),  # last_affected is inclusive
        ("pillow", "10.3.0", []),
        ("requests", "2.2.1", []),  # before introduced
        ("requests", "2.30.0", ["MWTEST-2024-0004"]),
        ("numpy", "1.21.1", ["MWTEST-2024-0005"]),  # versions list only
        ("numpy", "1.21.2", []),
        ("mwtest-evil-pkg", "0.0.1", ["MAL-2024-9001"]),
    ],
)
def test_directory_matching(name: str, version: str, expected: list[str]) -> None:
    result = OsvDirectory(FIXTURE).lookup([(name, version)])
    assert _ids(result, (name, version)) == expected
    assert result.warning is not None and "1 unreadable record" in result.warning  # broken.json


def test_advisory_details_and_severity_sources() -> None:
    result = OsvDirectory(FIXTURE).lookup([("torch", "2.0.0"), ("pillow", "9.0.0"), ("numpy", "1.21.0"),
                                           ("mwtest-evil-pkg", "1")])  # fmt: skip
    (torch,) = result.advisories[("torch", "2.0.0")]
    assert torch.score == 9.8 and torch.severity is Severity.CRITICAL and torch.fixed == ("2.6.0",)
    assert torch.aliases == ("MWTEST-CVE-0001",) and "introduced 0, fixed 2.6.0" in torch.affected
    (pillow,) = result.advisories[("pillow", "9.0.0")]
    assert pillow.severity is Severity.HIGH and pillow.score is None and pillow.severity_source.startswith("advisory")
    (numpy,) = result.advisories[("numpy", "1.21.0")]
    assert numpy.severity is Severity.MEDIUM  # CVSS v4 only: the database rating MODERATE is used
    (evil,) = result.advisories[("mwtest-evil-pkg", "1")]
    assert evil.malicious and evil.severity is Severity.CRITICAL


def test_zip_export_is_read_without_unpacking(tmp_path: Path) -> None:
    archive = tmp_path / "all.zip"
    with zipfile.ZipFile(archive, "w") as out:
        for file in FIXTURE.glob("MWTEST-*.json"):
            out.write(file, file.name)
    result = OsvDirectory(archive).lookup([("transformers", "4.0.0")])
    assert _ids(result, ("transformers", "4.0.0")) == ["MWTEST-2024-0002"] and result.warning is None


def test_invalid_versions_do_not_match_ranges() -> None:
    record = json.loads((FIXTURE / "MWTEST-2024-0001.json").read_text())
    assert advisory_for(record, "torch", "not-a-version") is None
    assert advisory_for(record, "other", "1.0") is None


def test_cvss_scores() -> None:
    assert cvss3_base_score("CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H") == 9.8
    assert cvss3_base_score("CVSS:3.1/AV:N/AC:L/PR:N/UI:R/S:C/C:L/I:L/A:N") == 6.1
    assert cvss3_base_score("CVSS:3.0/AV:N/AC:L/PR:L/UI:N/S:C/C:H/I:H/A:H") == 9.9
    assert cvss3_base_score("CVSS:3.1/AV:L/AC:H/PR:L/UI:N/S:U/C:H/I:N/A:N") == 4.7
    assert cvss3_base_score("CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:N/I:N/A:N") == 0.0
    assert cvss3_base_score("CVSS:4.0/AV:N") is None
    assert cvss3_base_score("CVSS:3.1/AV:X/AC:L") is None
    assert [severity_for_score(s) for s in (9.0, 7.0, 4.0, 0.1, 0.0)] == [
        Severity.CRITICAL, Severity.HIGH, Severity.MEDIUM, Severity.LOW, Severity.INFO,
    ]  # fmt: skip


class _FakeOsv(BaseHTTPRequestHandler):
    """The two OSV endpoints the client uses, answering from the fixture directory."""

    requests: ClassVar[list[tuple[str, Any]]] = []

    def log_message(self, *args: object) -> None:
        return

    def _send(self, status: int, payload: Any) -> None:
        body = json.dumps(payload).encode()
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def do_POST(self) -> None:
        body = json.loads(self.rfile.read(int(self.headers["Content-Length"])))
        self.requests.append((self.path, body))
        directory = OsvDirectory(FIXTURE)
        results = []
        for query in body["queries"]:
            pair = (query["package"]["name"], query["version"])
            hits = directory.lookup([pair]).advisories[pair]
            results.append({"vulns": [{"id": a.id, "modified": "2024-06-01T00:00:00Z"} for a in hits]} if hits else {})
        self._send(200, {"results": results})

    def do_GET(self) -> None:
        self.requests.append((self.path, None))
        path = FIXTURE / f"{self.path.rsplit('/', 1)[-1]}.json"
        self._send(200, json.loads(path.read_text())) if path.is_file() else self._send(404, {"message": "nope"})


@pytest.fixture
def fake_osv() -> Iterator[str]:
    server = ThreadingHTTPServer(("127.0.0.1", 0), _FakeOsv)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    _FakeOsv.requests.clear()
    OsvApi._down_until.clear()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()
        server.server_close()
        OsvApi._down_until.clear()


def test_api_contract_and_cache(fake_osv: str, tmp_path: Path) -> None:
    api = OsvApi(base_url=fake_osv, cache_dir=tmp_path / "c", timeout=2)
    pairs = [("torch", "2.0.0"), ("requests", "2.31.0")]
    result = api.lookup(pairs)
    assert _ids(result, pairs[0]) == ["MWTEST-2024-0001"] and _ids(result, pairs[1]) == []
    assert result.warning is None
    (post_path, body), (get_path, _) = _FakeOsv.requests
    assert post_path == "/v1/querybatch" and get_path == "/v1/vulns/MWTEST-2024-0001"
    assert body["queries"][0] == {"package": {"name": "torch", "ecosystem": "PyPI"}, "version": "2.0.0"}
    _FakeOsv.requests.clear()
    again = api.lookup(pairs)
    assert _FakeOsv.requests == [] and _ids(again, pairs[0]) == ["MWTEST-2024-0001"]


def test_ttl_expiry_queries_again(fake_osv: str, tmp_path: Path) -> None:
    clock = [1_000_000.0]
    api = OsvApi(base_url=fake_osv, cache_dir=tmp_path / "c", ttl_seconds=60, now=lambda: clock[0])
    api.lookup([("torch", "2.0.0")])
    _FakeOsv.requests.clear()
    clock[0] += 61
    api.lookup([("torch", "2.0.0")])
    assert [p for p, _ in _FakeOsv.requests] == ["/v1/querybatch"]  # the record itself is still fresh


def test_unreachable_api_uses_stale_cache_and_says_so(fake_osv: str, tmp_path: Path) -> None:
    clock = [1_700_000_000.0]
    OsvApi(base_url=fake_osv, cache_dir=tmp_path / "c", now=lambda: clock[0]).lookup([("torch", "2.0.0")])
    clock[0] += 10 * 24 * 3600
    dead = OsvApi(base_url="http://127.0.0.1:9", cache_dir=tmp_path / "c", timeout=0.5, now=lambda: clock[0])
    result = dead.lookup([("torch", "2.0.0"), ("transformers", "4.0.0")])
    assert _ids(result, ("torch", "2.0.0")) == ["MWTEST-2024-0001"]
    assert result.warning is not None and "used cached results from 2023-11-14" in result.warning
    assert "no vulnerability data for 1 package(s)" in result.warning and result.missing == 1


def test_timeout_is_a_warning_never_a_silent_pass(tmp_path: Path) -> None:
    import socket

    listener = socket.socket()
    listener.bind(("127.0.0.1", 0))
    listener.listen(1)  # accepts, never answers
    try:
        OsvApi._down_until.clear()
        api = OsvApi(base_url=f"http://127.0.0.1:{listener.getsockname()[1]}", cache_dir=tmp_path, timeout=0.3)
        result = api.lookup([("torch", "2.0.0")])
    finally:
        listener.close()
        OsvApi._down_until.clear()
    assert result.advisories == {} and result.missing == 1
    assert result.warning is not None and "results incomplete" in result.warning


def test_source_selection(monkeypatch: pytest.MonkeyPatch) -> None:
    assert vuln_source({"osv": "off"}) is None
    assert isinstance(vuln_source({"osv": "offline"}), NoData)
    assert isinstance(vuln_source({"osv": "offline", "osv_db": str(FIXTURE)}), OsvDirectory)
    assert isinstance(vuln_source({"osv": "online", "osv_url": "http://evil.example"}), NoData)
    assert isinstance(vuln_source({"osv": "sometimes"}), NoData)
    monkeypatch.setenv("MLWARDEN_OSV", "")
    monkeypatch.setenv("MLWARDEN_OSV_DB", str(FIXTURE))
    assert isinstance(vuln_source({}), OsvDirectory)
