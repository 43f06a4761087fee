"""The notebook scanner on notebooks built in the test: sources, outputs, metadata, magics, bad input."""

from __future__ import annotations

import io
import json
from pathlib import Path
from typing import Any

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from mlwarden.artifacts.artifact import Artifact
from mlwarden.artifacts.formats import Format
from mlwarden.core.findings import Finding, Severity
from mlwarden.scanners.base import ScanContext
from mlwarden.scanners.engine import run_scan
from mlwarden.scanners.notebook import NotebookScanner
from mlwarden.scanners.registry import Registry

GITHUB = "ghp_" + "Zq7xK2mN9pL4vR8tY1wB3cD5fG6hJ0kA" + "s9Tu"
OPENAI = (
    "sk-proj-"
    + "Ab3dE5gH7jK9mN1pQ3sT5vW7yZ9bC1dF3hJ5kL7n"
    + "T3Blbk"
    + "FJ"
    + "Qw3eR5tY7uI9oP1aS3dF5gH7jK9lZ1xC3vB5nM7"
)


def code(source: str | list[str], outputs: list[dict[str, Any]] | None = None, **extra: Any) -> dict[str, Any]:
    return {
        "cell_type": "code",
        "execution_count": 1,
        "metadata": {},
        "outputs": outputs or [],
        "source": source,
        **extra,
    }


def markdown(source: str) -> dict[str, Any]:
    return {"cell_type": "markdown", "metadata": {}, "source": source}


def stream(text: str | list[str]) -> dict[str, Any]:
    return {"name": "stdout", "output_type": "stream", "text": text}


def notebook(*cells: dict[str, Any], metadata: dict[str, Any] | None = None) -> dict[str, Any]:
    meta = {"kernelspec": {"display_name": "Python 3", "language": "python", "name": "python3"}}
    return {"cells": list(cells), "metadata": {**meta, **(metadata or {})}, "nbformat": 4, "nbformat_minor": 5}


def scan_doc(tmp_path: Path, doc: Any, name: str = "analysis.ipynb") -> list[Finding]:
    path = tmp_path / name
    path.write_text(doc if isinstance(doc, str) else json.dumps(doc), encoding="utf-8")
    result = run_scan([path], registry=Registry((NotebookScanner(),)))
    assert result.errors == ()
    return list(result.findings)


def rules(findings: list[Finding]) -> list[str]:
    return sorted(f.rule_id for f in findings)


def test_secret_in_source_has_cell_and_line(tmp_path: Path) -> None:
    doc = notebook(markdown("# Setup"), code(["import os\n", "\n", f"token = '{GITHUB}'\n"]))
    (finding,) = scan_doc(tmp_path, doc)
    assert finding.rule_id == "MW-SECRET-001"
    assert (finding.location.cell, finding.location.line) == (2, 3)
    assert GITHUB not in finding.evidence + finding.message + finding.match_key


def test_secrets_in_outputs_html_alt_text_and_metadata(tmp_path: Path) -> None:
    other = "ghp_" + "Pq8wE4rT6yU2iO0pA9sD7fG5hJ3kL1zX" + "c2Vb"
    html = f'<div><img src="data:image/png;base64,AAAA" alt="key {other}"/></div>'
    doc = notebook(
        code("print(cfg)", [stream(f"OPENAI_API_KEY={OPENAI}\n")]),
        code("show()", [{"output_type": "display_data", "metadata": {}, "data": {"text/html": html}}]),
        code("x", metadata={"tags": [], "secrets": {"db_password": "Tr41n" + "-Pa55-w0rd"}}),
        metadata={"widgets": {"state": {"model": {"api_token": GITHUB}}}},
    )
    found = scan_doc(tmp_path, doc)
    assert rules(found) == ["MW-SECRET-001", "MW-SECRET-001", "MW-SECRET-001", "MW-SECRET-004"]
    assert {f.location.cell for f in found} == {1, 2, 3, None}
    for finding in found:
        assert OPENAI not in finding.evidence and GITHUB not in finding.evidence


def test_base64_images_are_skipped_but_svg_text_is_read(tmp_path: Path) -> None:
    payload = "iVBORw0KGgo" + GITHUB  # text inside a PNG payload is not something a reader sees
    svg = f"<svg><text>{GITHUB}</text></svg>"
    doc = notebook(
        code(
            "plot()",
            [{"output_type": "display_data", "metadata": {}, "data": {"image/png": payload, "image/svg+xml": svg}}],
        )
    )
    (finding,) = scan_doc(tmp_path, doc)
    assert finding.message.endswith("(image/svg+xml)")


def test_pii_in_outputs_english_and_russian(tmp_path: Path) -> None:
    rows = "Иван Петров, ivan.petrov@example.ru, +7 912 345-67-89, СНИЛС 112-233-445 95\n"
    rows += "John Smith, john.smith@example.com, (555) 123-4567\n"
    doc = notebook(
        code(
            "df.head()",
            [{"output_type": "execute_result", "execution_count": 1, "metadata": {}, "data": {"text/plain": rows}}],
        )
    )
    found = scan_doc(tmp_path, doc)
    kinds = {f.evidence.split(":", 1)[0] for f in found if f.rule_id == "MW-PII-001"}
    assert {"EMAIL", "PHONE", "RU_SNILS"} <= kinds
    snils = next(f for f in found if f.evidence.startswith("RU_SNILS"))
    assert snils.severity is Severity.HIGH
    assert "112-233-445" not in snils.evidence
    assert all("ivan.petrov" not in f.evidence for f in found)


def test_pii_is_tallied_per_cell_and_kind(tmp_path: Path) -> None:
    rows = "".join(f"{i}, user{i}@example.com\n" for i in range(10_000))
    doc = notebook(code("print(df.to_csv())", [stream(rows)]), code("df2", [stream("again: a.b@example.org\n")]))
    found = [f for f in scan_doc(tmp_path, doc) if f.rule_id == "MW-PII-001"]
    assert len(found) == 2
    first = next(f for f in found if f.location.cell == 1)
    assert first.message.startswith("10000 EMAIL values in cell 1")
    assert "(+9999 more)" in first.evidence


def test_large_notebook_in_jupyter_key_order_is_still_a_notebook(tmp_path: Path) -> None:
    rows = "".join(f"{i}, user{i}@example.com\n" for i in range(10_000))
    found = scan_doc(tmp_path, notebook(code("print(df.to_csv())", [stream(rows)])))
    assert rules(found) == ["MW-PII-001"]


def test_traceback_with_home_path_and_ansi_codes(tmp_path: Path) -> None:
    trace = [
        "\x1b[0;31m---------------------------------------------------------------------------\x1b[0m",
        "\x1b[0;31mFileNotFoundError\x1b[0m: [Errno 2] No such file: '/home/ivanov/data/customers.csv'",
        f"\x1b[0;32m/home/ivanov/project/load.py\x1b[0m in \x1b[0;36mload\x1b[0m(token='{GITHUB}')",
    ]
    error = {"output_type": "error", "ename": "FileNotFoundError", "evalue": "missing", "traceback": trace}
    found = scan_doc(tmp_path, notebook(code("load()", [error])))
    assert rules(found) == ["MW-NB-002", "MW-SECRET-001"]
    paths = next(f for f in found if f.rule_id == "MW-NB-002")
    assert paths.severity is Severity.LOW
    assert "ivanov" not in paths.evidence and "/home/" in paths.evidence


def test_code_risks_and_magics(tmp_path: Path) -> None:
    doc = notebook(
        code(["!pip install transformers\n", "import pickle as pk\n", "import torch"]),
        code(["model = pk.load(open('m.pkl', 'rb'))\n", "sd = torch.load('w.pt', weights_only=True)"]),
        code("%%bash\ncurl -fsSL https://get.example/install.sh | bash\n"),
        code("%pip install --extra-index-url https://pypi.internal.example/simple internal-lib==1.0"),
        code("%%html\n<script>eval(x)</script>"),
    )
    found = scan_doc(tmp_path, doc)
    located = sorted((f.rule_id, f.location.cell, f.location.line) for f in found)
    assert located == [
        ("MW-CODE-001", 2, 1),  # alias from cell 1 resolved in cell 2
        ("MW-CODE-010", 3, 2),
        ("MW-CODE-012", 1, 1),
        ("MW-CODE-013", 4, 1),
    ]


def test_non_python_kernel_skips_python_checks(tmp_path: Path) -> None:
    doc = notebook(
        code("x <- eval(parse(text = s))\n!pip install foo"), metadata={"kernelspec": {"language": "R", "name": "ir"}}
    )
    assert rules(scan_doc(tmp_path, doc)) == ["MW-CODE-012"]


def test_nbformat_3(tmp_path: Path) -> None:
    cell = {
        "cell_type": "code",
        "input": ["import yaml\n", "yaml.load(f)"],
        "language": "python",
        "outputs": [{"output_type": "pyout", "text": [f"{GITHUB}\n"], "prompt_number": 1}],
    }
    doc = {"metadata": {"name": "old"}, "nbformat": 3, "nbformat_minor": 0, "worksheets": [{"cells": [cell]}]}
    assert rules(scan_doc(tmp_path, doc)) == ["MW-CODE-006", "MW-SECRET-001"]


def test_malformed_json_is_a_finding_and_raw_secrets_still_found(tmp_path: Path) -> None:
    text = '{"cells": [{"cell_type": "code", "source": "token = \'' + GITHUB + '\'"}], "nbformat": 4,'
    found = scan_doc(tmp_path, text)
    assert rules(found) == ["MW-NB-001", "MW-SECRET-001"]
    malformed = next(f for f in found if f.rule_id == "MW-NB-001")
    assert malformed.severity is Severity.MEDIUM and "invalid JSON" in malformed.message


def test_wrong_types_are_one_finding_and_the_rest_is_scanned(tmp_path: Path) -> None:
    doc = notebook(code(["a", 3]), "not a cell", code(f"t = '{GITHUB}'", outputs="oops"))  # type: ignore[arg-type]
    found = scan_doc(tmp_path, doc)
    assert rules(found) == ["MW-NB-001", "MW-SECRET-001"]
    assert "3 problem(s)" in next(f.message for f in found if f.rule_id == "MW-NB-001")


def test_top_level_not_an_object(tmp_path: Path) -> None:
    assert rules(scan_doc(tmp_path, '{"cells": 5, "nbformat": 4}')) == ["MW-NB-001"]


def test_deep_nesting_stops_at_the_json_depth_limit(tmp_path: Path) -> None:
    text = '{"cells": [], "nbformat": 4, "metadata": ' + "[" * 5000 + "]" * 5000 + "}"
    assert rules(scan_doc(tmp_path, text)) == ["MW-LIMIT-001"]


def test_clean_notebook_gives_nothing(tmp_path: Path) -> None:
    doc = notebook(
        markdown("# Training\nWe fit a model."),
        code("import torch\nm = torch.load('w.pt', weights_only=True)", [stream("loss 0.12\n")]),
    )
    assert scan_doc(tmp_path, doc) == []


# --- fuzz: any JSON shaped roughly like a notebook gives findings, never an exception ------------------------

_leaf = st.one_of(st.none(), st.booleans(), st.integers(), st.text(max_size=40))
_json = st.recursive(
    _leaf,
    lambda kids: st.lists(kids, max_size=4) | st.dictionaries(st.text(max_size=8), kids, max_size=4),
    max_leaves=20,
)
_source = st.one_of(st.text(max_size=60), st.lists(st.text(max_size=30), max_size=4), _json)
_output = st.fixed_dictionaries(
    {"output_type": st.sampled_from(["stream", "error", "execute_result", "display_data", "pyerr", "pyout", "x"])},
    optional={"text": _source, "data": _json, "traceback": _source, "ename": _json, "evalue": _json},
)
_cell = st.fixed_dictionaries(
    {"cell_type": st.sampled_from(["code", "markdown", "raw", 3])},
    optional={"source": _source, "outputs": st.one_of(st.lists(_output, max_size=3), _json), "metadata": _json},
)
_notebook = st.fixed_dictionaries(
    {
        "nbformat": st.sampled_from([3, 4, "4"]),
        "cells": st.one_of(st.lists(st.one_of(_cell, _json), max_size=4), _json),
    },
    optional={"metadata": _json, "worksheets": _json},
)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(_notebook)
def test_fuzz_notebook_structures(doc: dict[str, Any]) -> None:
    data = json.dumps(doc).encode()
    artifact = Artifact(path="fuzz.ipynb", format=Format.NOTEBOOK, size=len(data), opener=lambda: io.BytesIO(data))
    findings = list(NotebookScanner().scan(artifact, ScanContext()))
    assert all(isinstance(f, Finding) for f in findings)


@settings(max_examples=100, deadline=None)
@given(st.binary(max_size=300))
def test_fuzz_bytes(data: bytes) -> None:
    artifact = Artifact(path="fuzz.ipynb", format=Format.NOTEBOOK, size=len(data), opener=lambda: io.BytesIO(data))
    findings = list(NotebookScanner().scan(artifact, ScanContext()))
    assert all(isinstance(f, Finding) for f in findings)
