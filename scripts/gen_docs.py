"""Write docs/catalog.md from the packaged risk catalog and the built-in rules.

Run after changing ``src/mlwarden/catalog/risks.yaml`` or any rule: ``python scripts/gen_docs.py``.
``--check`` exits 1 (without writing) when the committed file is stale, for CI.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from mlwarden.cli.risks import all_rules
from mlwarden.core.catalog import load_catalog
from mlwarden.core.catalog_doc import render_markdown

CATALOG_DOC = Path(__file__).resolve().parent.parent / "docs" / "catalog.md"


def generate() -> str:
    """The catalog document as it should be committed (built-in scanners only, no plugins)."""
    return render_markdown(load_catalog(), all_rules(plugins=False))


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--check", action="store_true", help="fail if docs/catalog.md is out of date")
    args = parser.parse_args(argv)
    text = generate()
    if args.check:
        current = CATALOG_DOC.read_text(encoding="utf-8") if CATALOG_DOC.exists() else ""
        if current != text:
            sys.stderr.write(f"{CATALOG_DOC} is out of date; run: python scripts/gen_docs.py\n")
            return 1
        return 0
    CATALOG_DOC.parent.mkdir(parents=True, exist_ok=True)
    CATALOG_DOC.write_text(text, encoding="utf-8", newline="\n")
    sys.stdout.write(f"wrote {CATALOG_DOC}\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
