"""Sniffing cases found by the scanners' owners: workbooks, legacy encodings, polyglots, big notebooks."""

from __future__ import annotations

import io
import json
import pickle
import random
import zipfile
from pathlib import Path

from mlwarden.artifacts.encoding import decode_bytes, guess_encoding
from mlwarden.artifacts.formats import Format
from mlwarden.artifacts.limits import Budget
from mlwarden.artifacts.walk import walk


def _formats(root: Path) -> dict[str, Format]:
    return {
        item.path.rsplit("/", 1)[-1]: item.format for item in walk([root], budget=Budget()) if hasattr(item, "format")
    }


def test_xlsx_is_a_dataset_not_an_archive(tmp_path: Path) -> None:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as book:
        book.writestr("[Content_Types].xml", "<Types/>")
        book.writestr("_rels/.rels", "<Relationships/>")
        book.writestr("xl/workbook.xml", "<workbook/>")
        book.writestr("xl/worksheets/sheet1.xml", "<worksheet/>")
    (tmp_path / "people.bin").write_bytes(buffer.getvalue())
    assert _formats(tmp_path)["people.bin"] is Format.EXCEL


def test_windows_1251_csv_is_text_and_decodes_to_cyrillic(tmp_path: Path) -> None:
    rows = "фио;телефон;город\n" + "".join(f"Иванов Иван Иванович;+7 912 000-00-{i:02d};Москва\n" for i in range(50))
    data = rows.encode("cp1251")
    (tmp_path / "clients.csv").write_bytes(data)
    assert _formats(tmp_path)["clients.csv"] is Format.CSV
    assert guess_encoding(data, truncated=False) == "cp1251"
    assert "Иванов" in decode_bytes(data)


def test_utf16_text_files_are_text_not_binary(tmp_path: Path) -> None:
    (tmp_path / ".env").write_bytes("API_TOKEN=x\nDEBUG=1\n".encode("utf-16"))
    (tmp_path / "Dockerfile").write_bytes(b"\xfe\xff" + "FROM python:3.11\nUSER app\n".encode("utf-16-be"))
    (tmp_path / "notes.txt").write_bytes(("Привет мир 😀\u200d\n" * 5000).encode("utf-16"))  # head cut mid-pair
    formats = _formats(tmp_path)
    assert (formats[".env"], formats["Dockerfile"], formats["notes.txt"]) == (
        Format.DOTENV,
        Format.DOCKERFILE,
        Format.TEXT,
    )


def test_utf16_bom_before_binary_is_not_text(tmp_path: Path) -> None:
    noise = random.Random(7).randbytes(20_000)
    (tmp_path / "blob.txt").write_bytes(b"\xff\xfe" + noise)
    assert _formats(tmp_path)["blob.txt"] is not Format.TEXT


def test_utf8_with_one_stray_byte_stays_utf8_text(tmp_path: Path) -> None:
    data = ("name,city\n" + "Анна,Казань\n" * 200).encode() + b"broken \xff byte\n"
    (tmp_path / "mostly.csv").write_bytes(data)
    assert _formats(tmp_path)["mostly.csv"] is Format.CSV
    assert guess_encoding(data, truncated=False) == "utf-8"


def test_binary_noise_is_not_text(tmp_path: Path) -> None:
    (tmp_path / "noise.csv").write_bytes(bytes(range(128, 256)) * 64)
    assert _formats(tmp_path)["noise.csv"] is not Format.CSV


def test_pickle_with_a_zip_tail_goes_to_the_pytorch_scanner(tmp_path: Path) -> None:
    archive = io.BytesIO()
    with zipfile.ZipFile(archive, "w") as inner:
        inner.writestr("archive/data.pkl", pickle.dumps({"w": 1}))
    (tmp_path / "model.pt").write_bytes(pickle.dumps({"a": 1}, protocol=2) + archive.getvalue())
    (tmp_path / "plain.pkl").write_bytes(pickle.dumps({"a": 1}, protocol=2))
    formats = _formats(tmp_path)
    assert formats["model.pt"] is Format.PYTORCH_LEGACY
    assert formats["plain.pkl"] is Format.PICKLE


def test_large_notebook_with_nbformat_last_is_a_notebook(tmp_path: Path) -> None:
    cell = {"cell_type": "code", "metadata": {}, "source": ["print(1)"], "outputs": [], "execution_count": 1}
    document = {"cells": [cell] * 3000, "metadata": {}, "nbformat": 4, "nbformat_minor": 5}
    (tmp_path / "big.ipynb").write_text(json.dumps(document), encoding="utf-8")
    assert (tmp_path / "big.ipynb").stat().st_size > 64 * 1024
    assert _formats(tmp_path)["big.ipynb"] is Format.NOTEBOOK


def test_polyglot_zip_members_are_scanned_end_to_end(tmp_path: Path) -> None:
    from mlwarden.scanners.engine import run_scan

    evil = b"\x80\x04\x8c\x02os\x8c\x06system\x93\x8c\x04true\x85R."  # would run `true` if ever loaded
    archive = io.BytesIO()
    with zipfile.ZipFile(archive, "w") as inner:
        inner.writestr("archive/data.pkl", evil)
    target = tmp_path / "model.pt"
    target.write_bytes(pickle.dumps({"a": 1}, protocol=2) + archive.getvalue())
    rules = {(f.rule_id, f.location.member) for f in run_scan([target]).findings}
    assert ("MW-TORCH-006", None) in rules
    assert ("MW-PICKLE-001", "archive/data.pkl") in rules


def test_python_file_named_like_a_dockerfile_is_python(tmp_path: Path) -> None:
    (tmp_path / "dockerfile.py").write_text("import os\n\nprint(os.getcwd())\n", encoding="utf-8")
    (tmp_path / "Dockerfile.gpu").write_text("FROM python:3.11\n", encoding="utf-8")
    formats = _formats(tmp_path)
    assert formats["dockerfile.py"] is Format.PYTHON
    assert formats["Dockerfile.gpu"] is Format.DOCKERFILE
