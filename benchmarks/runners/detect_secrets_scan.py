"""Run Yelp's detect-secrets over the secrets set, in ``benchmarks/.venv-pii-peers``, and time it.

    benchmarks/.venv-pii-peers/bin/python benchmarks/runners/detect_secrets_scan.py IN.jsonl OUT.jsonl

Each record is written (before timing starts) to its own directory under a temporary folder with the file
name it carries (``.env``, ``settings.py``, ``config.yaml`` ...), because detect-secrets picks keyword rules
by file type. Timed: ``SecretsCollection.scan_file`` over every file with ``default_settings()`` (all
plugins and the default filters, as ``detect-secrets scan`` uses). detect-secrets reports a line and the
secret value; the character offsets written out are where that value sits on that line.
"""

from __future__ import annotations

import json
import sys
import tempfile
import time
from importlib.metadata import version
from pathlib import Path
from typing import Any

T0 = time.perf_counter()
from detect_secrets import SecretsCollection  # noqa: E402
from detect_secrets.settings import default_settings  # noqa: E402


def offsets(text: str, line_number: int, value: str | None) -> tuple[int, int]:
    lines = text.splitlines(keepends=True)
    line_start = sum(len(line) for line in lines[: line_number - 1])
    line = lines[line_number - 1] if 0 < line_number <= len(lines) else ""
    at = line.find(value) if value else -1
    if at < 0:
        return line_start, line_start + len(line.rstrip("\n"))
    return line_start + at, line_start + at + len(value or "")


def main() -> None:
    src, out = Path(sys.argv[1]), Path(sys.argv[2])
    records = [json.loads(line) for line in src.read_text(encoding="utf-8").splitlines() if line.strip()]
    init, init_cpu = time.perf_counter() - T0, time.process_time()
    with tempfile.TemporaryDirectory() as tmp:
        paths = []
        for i, rec in enumerate(records):
            folder = Path(tmp) / f"{i:05d}"
            folder.mkdir()
            path = folder / rec["filename"]
            path.write_text(rec["text"], encoding="utf-8")
            paths.append(str(path))
        secrets = SecretsCollection()
        start, cpu = time.perf_counter(), time.process_time()
        with default_settings():
            for path in paths:
                secrets.scan_file(path)
        seconds, cpu = time.perf_counter() - start, time.process_time() - cpu
        found: dict[str, list[Any]] = {name: list(items) for name, items in secrets.data.items()}
    with out.open("w", encoding="utf-8") as fh:
        for rec, path in zip(records, paths, strict=True):
            matches = []
            for item in found.get(path, []):
                begin, end = offsets(rec["text"], item.line_number, item.secret_value)
                matches.append({"start": begin, "end": end, "type": item.type})
            fh.write(json.dumps({"matches": matches}) + "\n")
    size = sum(len(r["text"].encode("utf-8")) for r in records)
    stats = {
        "records": len(records),
        "bytes": size,
        "seconds": seconds,
        "all_seconds": [seconds],
        "cpu_seconds": cpu,
        "init_seconds": init,
        "init_cpu_seconds": init_cpu,
        "tool": f"detect-secrets {version('detect-secrets')}",
    }
    json.dump(stats, sys.stdout)


if __name__ == "__main__":
    main()
