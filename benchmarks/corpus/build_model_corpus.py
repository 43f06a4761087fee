"""Build the labelled model-file corpus: hostile canaries crafted by hand, benign files from real libraries.

Run with the peers' environment (it has torch, sklearn, pandas, onnx, h5py, py7zr):

    benchmarks/.venv-peers/bin/python benchmarks/corpus/build_model_corpus.py [DEST]

Writes the files and ``labels.json`` (file -> label, technique, source, format, description). Nothing is loaded.
"""

from __future__ import annotations

import argparse
import json
import shutil
import sys
from dataclasses import asdict, dataclass
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from corpus import benign, malicious_containers, malicious_formats, malicious_pickles

DEFAULT_DEST = Path(__file__).resolve().parent.parent / "work" / "model-corpus"


@dataclass(frozen=True)
class Entry:
    """One labelled file of the corpus (path relative to the corpus root)."""

    file: str
    label: str
    technique: str
    source: str
    format: str
    description: str


def _write(dest: Path, rel: str, data: bytes) -> None:
    path = dest / rel
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(data)


def build_malicious(dest: Path) -> list[Entry]:
    """Write every hostile technique under ``dest/malicious``."""
    entries: list[Entry] = []
    for case in malicious_pickles.CASES:
        rel = f"malicious/{case.technique}.pkl"
        _write(dest, rel, case.build(case.technique))
        entries.append(Entry(rel, "malicious", case.technique, case.source, "pickle", case.description))
    for ccase in malicious_containers.CASES:
        rel = f"malicious/{ccase.technique}{ccase.ext}"
        _write(dest, rel, ccase.build(ccase.technique))
        entries.append(Entry(rel, "malicious", ccase.technique, ccase.source, ccase.fmt, ccase.description))
    for fcase in malicious_formats.CASES:
        rel = _format_rel(fcase.technique, fcase.ext)
        _write(dest, rel, fcase.build(fcase.technique))
        entries.append(Entry(rel, "malicious", fcase.technique, fcase.source, fcase.fmt, fcase.description))
    hf_dir = dest / "malicious" / "hf_auto_map_remote_code"
    (hf_dir / "modeling_canary.py").write_bytes(malicious_formats.hf_modeling_source("hf_auto_map_remote_code"))
    return entries


def _format_rel(technique: str, ext: str) -> str:
    if ext.startswith("."):
        return f"malicious/{technique}{ext}"
    return f"malicious/{technique}/{ext}"


def build_benign(dest: Path) -> list[Entry]:
    """Write every benign artifact under ``dest/benign`` with the real library."""
    entries: list[Entry] = []
    for case in benign.CASES:
        path = dest / "benign" / case.name
        path.parent.mkdir(parents=True, exist_ok=True)
        case.write(path)
        technique = "benign-" + case.name.replace("/", "-")
        entries.append(
            Entry(f"benign/{case.name}", "benign", technique, case.library, case.fmt, f"written by {case.library}")
        )
    return entries


def build(dest: Path) -> list[Entry]:
    """Build the whole corpus into ``dest`` (emptied first) and write ``labels.json``."""
    if dest.exists():
        shutil.rmtree(dest)
    dest.mkdir(parents=True)
    entries = build_malicious(dest) + build_benign(dest)
    labels = {e.file: {k: v for k, v in asdict(e).items() if k != "file"} for e in entries}
    (dest / "labels.json").write_text(json.dumps(labels, indent=2, sort_keys=True) + "\n")
    return entries


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("dest", nargs="?", type=Path, default=DEFAULT_DEST)
    args = parser.parse_args(argv)
    entries = build(args.dest)
    bad = sum(e.label == "malicious" for e in entries)
    techniques = len({e.technique for e in entries if e.label == "malicious"})
    print(
        f"wrote {len(entries)} files ({bad} malicious / {techniques} techniques, {len(entries) - bad} benign) "
        f"to {args.dest}"
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
