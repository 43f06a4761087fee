"""Run fickling over files the way its own Hugging Face scanner routes them; print one JSON line per file.

Runs inside the peers' environment (``benchmarks/.venv-peers/bin/python``), never in mlwarden's. fickling parses
pickles symbolically; it does not unpickle them.

Routing copies ``fickling.cli._scan_huggingface``: zip containers (PyTorch or plain, or a zip-pickle extension) go
to ``scan_zip_archive``; valid pickles or raw-pickle extensions go to ``scan_file``; anything else (7z, tar, NumPy,
other formats) is reported as unsupported, as fickling itself skips it.
"""

from __future__ import annotations

import json
import sys
from pathlib import PurePosixPath
from typing import Any


def scan(path: str) -> dict[str, Any]:
    """fickling's verdict for one file: detected means at least one result is not LIKELY_SAFE."""
    from fickling import scan_file, scan_zip_archive
    from fickling.cli import HF_RAW_PICKLE_EXTENSIONS, HF_ZIP_PICKLE_EXTENSIONS
    from fickling.polyglot import find_file_properties

    ext = PurePosixPath(path).suffix.lower()
    props = find_file_properties(path)
    if props["is_torch_zip"] or props["is_standard_zip"] or ext in HF_ZIP_PICKLE_EXTENSIONS:
        results = list(scan_zip_archive(path, graceful=True).values())
    elif props["is_valid_pickle"] or ext in HF_RAW_PICKLE_EXTENSIONS:
        results = [scan_file(path, graceful=True)]
    else:
        return {"path": path, "status": "unsupported", "detected": False, "detail": "not a pickle or zip"}
    if not results:
        return {"path": path, "status": "unsupported", "detected": False, "detail": "no pickle members"}
    worst = max((r.severity for r in results), key=lambda sev: sev.value[0])
    errors = [e for r in results for e in r.errors]
    return {
        "path": path,
        "status": "error" if errors else "ok",
        "detected": any(not r.is_safe for r in results),
        "severity": worst.name,
        "detail": worst.name + (f"; {errors[0][:120]}" if errors else ""),
    }


def main(paths: list[str]) -> int:
    for path in paths:
        try:
            row = scan(path)
        except Exception as exc:  # a crash on one file must not hide the others
            row = {"path": path, "status": "error", "detected": False, "detail": f"{type(exc).__name__}: {exc}"[:200]}
        print(json.dumps(row), flush=True)
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
