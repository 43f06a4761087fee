"""Generated reference docs must match the code that generates them."""

from __future__ import annotations

import importlib.util
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def test_rules_doc_is_up_to_date() -> None:
    spec = importlib.util.spec_from_file_location("gen_docs_rules", ROOT / "scripts" / "gen_docs.py")
    assert spec is not None and spec.loader is not None
    gen_docs = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(gen_docs)
    committed = gen_docs.RULES_DOC.read_text(encoding="utf-8")
    assert committed == gen_docs.generate_rules(), "docs/rules.md is stale: run `python scripts/gen_docs.py`"
    assert "MW-PICKLE-001" in committed
