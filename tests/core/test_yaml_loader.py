"""The bounded YAML loader: line numbers, bombs, depth and syntax errors become ConfigError."""

from __future__ import annotations

import contextlib
import string

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from mlwarden.core.errors import ConfigError
from mlwarden.core.yaml_loader import load_yaml


def test_lines_of_nested_keys() -> None:
    document = load_yaml("a: 1\nb:\n  - x: 2\n    y: 3\n", source="t.yaml")
    assert document.data == {"a": 1, "b": [{"x": 2, "y": 3}]}
    assert document.line_of(("b", 0, "y")) == 4
    assert document.line_of(("b", 0, "missing")) == 3


def test_billion_laughs_is_refused() -> None:
    names = string.ascii_lowercase
    lines = ["a: &a [x, x, x, x, x, x, x, x, x]"]
    for i in range(1, 16):
        refs = ", ".join([f"*{names[i - 1]}"] * 9)
        lines.append(f"{names[i]}k: &{names[i]} [{refs}]")
    with pytest.raises(ConfigError, match="aliases"):
        load_yaml("\n".join(lines), source="bomb.yaml")


def test_depth_and_size_limits() -> None:
    with pytest.raises(ConfigError, match="nesting"):
        load_yaml("[" * 100 + "]" * 100, source="deep.yaml", max_depth=50)
    with pytest.raises(ConfigError, match="larger than"):
        load_yaml("a: " + "x" * 200, source="big.yaml", max_bytes=100)


def test_unsafe_tags_are_rejected_not_run() -> None:
    with pytest.raises(ConfigError):
        load_yaml("a: !!python/object/apply:os.system ['true']\n", source="evil.yaml")


@settings(max_examples=200, deadline=None)
@given(st.text(max_size=300))
def test_arbitrary_text_never_raises_anything_but_config_error(text: str) -> None:
    with contextlib.suppress(ConfigError):
        load_yaml(text, source="fuzz.yaml")


@pytest.mark.parametrize(
    "text",
    [
        "[" * 100_000 + "]" * 100_000,
        "{a: " * 100_000 + "1" + "}" * 100_000,
        "- " * 100_000 + "x\n",
        "spec: " + "[" * 100_000,  # unterminated: still refused for depth, not parsed to the end
    ],
    ids=["flow-sequence", "flow-mapping", "block-sequence", "unterminated"],
)
def test_hundred_thousand_levels_are_refused_without_crashing(text: str) -> None:
    # Composing this recursed once per level and overflowed the C stack (SIGSEGV) with libyaml.
    with pytest.raises(ConfigError, match="nesting deeper than 64") as caught:
        load_yaml(text, source="deep.yaml", max_bytes=10 * 1024 * 1024)
    assert caught.value.line == 1


def test_duplicate_keys_are_refused_only_when_asked() -> None:
    text = "fail_on: high\nnested:\n  a: 1\n  b: 2\n  a: 3\n"
    assert load_yaml(text, source="p.yaml").data["nested"]["a"] == 3  # untrusted YAML: PyYAML's last-wins
    with pytest.raises(ConfigError, match=r"duplicate key 'a' \(first on line 3\)") as info:
        load_yaml(text, source="p.yaml", unique_keys=True)
    assert info.value.line == 5


def test_merge_keys_may_override_without_being_duplicates() -> None:
    text = "base: &b {x: 1, y: 2}\nderived:\n  <<: *b\n  x: 3\n"
    assert load_yaml(text, source="p.yaml", unique_keys=True).data["derived"] == {"x": 3, "y": 2}
