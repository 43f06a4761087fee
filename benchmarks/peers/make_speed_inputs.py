"""Write the speed-benchmark inputs with the real libraries (run in the peers' environment).

    benchmarks/.venv-peers/bin/python benchmarks/peers/make_speed_inputs.py OUT_DIR [--checkpoint-mb 1024]
        [--pickle-mb 300]

- ``checkpoint.pt``: ``torch.save`` of a state_dict of a few large float32 tensors (default ~1 GiB).
- ``records.pkl``: ``pickle.dump`` of a list of small dicts (int, float, short str, tuple of str), the shape of a
  pickled tabular dataset (default ~300 MB).
"""

from __future__ import annotations

import argparse
import pickle
import random
from pathlib import Path
from typing import Any

MIB = 1024 * 1024


def write_checkpoint(path: Path, size_mb: int) -> None:
    import torch

    torch.manual_seed(0)
    per_tensor = 256 * MIB // 4  # float32 elements in a 256 MiB tensor
    count, rest = divmod(size_mb * MIB // 4, per_tensor)
    shapes = [(per_tensor // 4096, 4096)] * count + ([(rest // 1024, 1024)] if rest >= 1024 else [])
    state = {f"layers.{i}.weight": torch.randn(*shape) for i, shape in enumerate(shapes)}
    state["layers.0.bias"] = torch.zeros(4096)
    torch.save(state, path)


def _record(rng: random.Random, i: int) -> dict[str, Any]:
    labels = ("cat", "dog", "bird", "fish", "horse", "cow")
    return {
        "id": i,
        "score": rng.random(),
        "label": rng.choice(labels) + str(i % 97),
        "tags": (rng.choice(labels), "v" + str(i % 13)),
    }


def write_records(path: Path, size_mb: int) -> None:
    rng = random.Random(0)
    sample = [_record(rng, i) for i in range(20_000)]
    per_record = len(pickle.dumps(sample, protocol=4)) / len(sample)
    count = int(size_mb * MIB / per_record)
    records = [_record(rng, i) for i in range(count)]
    with path.open("wb") as fh:
        pickle.dump(records, fh, protocol=4)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("out", type=Path)
    parser.add_argument("--checkpoint-mb", type=int, default=1024)
    parser.add_argument("--pickle-mb", type=int, default=300)
    args = parser.parse_args()
    args.out.mkdir(parents=True, exist_ok=True)
    write_checkpoint(args.out / "checkpoint.pt", args.checkpoint_mb)
    write_records(args.out / "records.pkl", args.pickle_mb)
    for name in ("checkpoint.pt", "records.pkl"):
        print(f"{name}: {(args.out / name).stat().st_size / MIB:.1f} MiB")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
