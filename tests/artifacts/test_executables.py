"""Native executables and zips behind a prefix: llamafile-style APE archives, PE/ELF headers on model files.

Zip readers (``zipfile``, hence ``keras.saving``; llamafile's own loader) find an archive by its end record
and accept any bytes in front, so a program or junk before the archive must not hide its members. A program
named like a model file is a finding of its own. Payloads are canaries inside ``tmp_path``; nothing is loaded.
"""

from __future__ import annotations

import io
import json
import struct
import sys
import zipfile
from pathlib import Path

import numpy as np
import pytest
from tests.factories.archives import zip_bytes
from tests.factories.pickle_builder import PickleBuilder

import mlwarden
from mlwarden.artifacts.formats import Format
from mlwarden.artifacts.sniff import HEAD_BYTES, is_executable, sniff
from mlwarden.core.findings import Finding, Severity


def _payload(canary: Path) -> bytes:
    return PickleBuilder().stack_global("os", "system").unicode(f"touch {canary}").tuple_(1).reduce().stop().data


def _pe_header() -> bytes:
    """A minimal PE: ``MZ``, ``e_lfanew`` at 0x3c pointing at ``PE\\0\\0`` and a COFF header."""
    dos = bytearray(128)
    dos[:2] = b"MZ"
    struct.pack_into("<I", dos, 0x3C, 0x80)
    return bytes(dos) + b"PE\x00\x00" + struct.pack("<HH", 0x8664, 0) + bytes(512)


def _elf_header() -> bytes:
    with open(Path(sys.executable).resolve(), "rb") as handle:
        return handle.read(4096)


def _scan(path: Path) -> list[Finding]:
    return list(mlwarden.scan([path]).findings)


def _rules(findings: list[Finding]) -> set[str]:
    return {f.rule_id for f in findings if f.severity >= Severity.MEDIUM}


@pytest.fixture
def canary(tmp_path: Path) -> Path:
    return tmp_path / "canary"


def test_executable_headers_are_sniffed() -> None:
    assert is_executable(_pe_header()) and is_executable(_elf_header())
    assert sniff(_elf_header(), name="model.bin", size=1 << 20) == Format.EXECUTABLE
    assert sniff(_pe_header(), name="model.pkl", size=1 << 20) == Format.EXECUTABLE
    # Two bytes of MZ happen at the start of raw weights; without the PE header it is plain binary.
    weights = b"MZ" + np.random.default_rng(1).standard_normal(4096).astype(np.float32).tobytes()
    assert sniff(weights[:HEAD_BYTES], name="weights.bin", size=len(weights)) == Format.BINARY


@pytest.mark.parametrize("header", [_pe_header, _elf_header], ids=["pe", "elf"])
def test_program_named_like_a_model_is_a_finding(header: object, tmp_path: Path) -> None:
    # Malware staged in model repositories under weight names; also the ".pkl polyglot" with a PE/ELF front.
    path = tmp_path / "pytorch_model.bin"
    path.write_bytes(header() + bytes(1024))  # type: ignore[operator]
    findings = _scan(path)
    assert _rules(findings) == {"MW-ARCHIVE-013"}
    assert findings[0].severity is Severity.HIGH


def test_program_under_its_own_name_is_clean(tmp_path: Path) -> None:
    path = tmp_path / "llamafile-server"
    path.write_bytes(_elf_header() + bytes(1024))
    assert _rules(_scan(path)) == set()


def test_llamafile_style_zip_after_an_elf_is_expanded(tmp_path: Path, canary: Path) -> None:
    # llamafile / Cosmopolitan APE: an executable with a zip appended; the members are what gets loaded.
    path = tmp_path / "model.llamafile"
    path.write_bytes(_elf_header() + zip_bytes([("weights/model.pkl", _payload(canary))]))
    findings = _scan(path)
    assert "MW-PICKLE-001" in _rules(findings)
    assert any(f.location.member == "weights/model.pkl" for f in findings)
    assert not canary.exists()


def test_pe_front_on_a_torch_zip_is_read(tmp_path: Path, canary: Path) -> None:
    path = tmp_path / "model.pt"
    path.write_bytes(_pe_header() + zip_bytes([("archive/data.pkl", _payload(canary)), ("archive/version", b"3\n")]))
    assert "MW-PICKLE-001" in _rules(_scan(path))
    assert not canary.exists()


def test_keras_archive_behind_junk_is_read(tmp_path: Path, canary: Path) -> None:
    # keras.saving opens .keras with zipfile, which accepts any prefix before the archive.
    layer = {
        "module": "keras.layers",
        "class_name": "Lambda",
        "config": {"name": "lam", "function": {"module": "os", "class_name": "function", "config": "system"}},
    }
    config = {"module": "keras", "class_name": "Sequential", "config": {"name": "s", "layers": [layer]}}
    archive = zip_bytes([("metadata.json", b"{}"), ("config.json", json.dumps(config).encode())])
    path = tmp_path / "model.keras"
    path.write_bytes(b"\x00junk" * 64 + archive)
    assert "MW-KERAS-002" in _rules(_scan(path))
    assert not canary.exists()


def test_loadable_pe_pickle_polyglot_is_a_pickle(tmp_path: Path, canary: Path) -> None:
    # "MZ" is BININT2: 'MZ' + one byte pushes an int, POP drops it, and the rest is an ordinary pickle.
    path = tmp_path / "model.pkl"
    path.write_bytes(b"MZ\x90" + b"0" + _payload(canary))
    assert "MW-PICKLE-001" in _rules(_scan(path))
    assert not canary.exists()


def test_benign_binary_with_a_zip_tail_is_clean(tmp_path: Path) -> None:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("README.txt", "hello\n")
        archive.writestr("weights.npy", b"")
    path = tmp_path / "bundle.bin"
    path.write_bytes(np.zeros(256, dtype=np.float32).tobytes() + buffer.getvalue())
    assert _rules(_scan(path)) == set()
