"""Generate the example's model files into models/generated/ (run by `make demo`).

The malicious files are crafted opcode by opcode; nothing here loads a pickle. If some tool ever
did load them, the payload would only create `mlwarden-demo-payload-ran` in the temp directory.
"""

from __future__ import annotations

import io
import json
import pickle
import struct
import tarfile
import tempfile
import zipfile
from pathlib import Path

OUT = Path(__file__).resolve().parent / "models" / "generated"
CANARY = Path(tempfile.gettempdir()) / "mlwarden-demo-payload-ran"


def _short_unicode(text: str) -> bytes:
    data = text.encode()
    return b"\x8c" + bytes([len(data)]) + data


def malicious_pickle() -> bytes:
    """PROTO 4; os.system('touch <canary>') via STACK_GLOBAL, then a harmless dict so it looks normal."""
    command = f"touch {CANARY}"
    return (
        b"\x80\x04"
        + _short_unicode("os")
        + _short_unicode("system")
        + b"\x93"  # STACK_GLOBAL
        + _short_unicode(command)
        + b"\x85"  # TUPLE1
        + b"R"  # REDUCE
        + b"0"  # POP: the loader has already run the command
        + pickle.dumps({"weights": [0.1, 0.2, 0.3], "classes": ["churn", "stay"]}, protocol=4)[2:]
    )


def torch_like_checkpoint(data_pkl: bytes) -> bytes:
    """A zip laid out as torch.save writes it, with our own data.pkl."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("checkpoint/data.pkl", data_pkl)
        archive.writestr("checkpoint/byteorder", "little")
        archive.writestr("checkpoint/.data/version", "3\n")
        archive.writestr("checkpoint/data/0", struct.pack("<4f", 0.1, 0.2, 0.3, 0.4))
    return buffer.getvalue()


def safetensors_file() -> bytes:
    """A clean two-by-two float32 tensor in the safetensors layout."""
    header = json.dumps({"weight": {"dtype": "F32", "shape": [2, 2], "data_offsets": [0, 16]}}).encode()
    header += b" " * (-len(header) % 8)
    return struct.pack("<Q", len(header)) + header + struct.pack("<4f", 1.0, 0.0, 0.0, 1.0)


def tarball(member_name: str, payload: bytes) -> bytes:
    """A .tar.gz holding one file, the way old model bundles were shipped."""
    buffer = io.BytesIO()
    with tarfile.open(fileobj=buffer, mode="w:gz") as archive:
        info = tarfile.TarInfo(member_name)
        info.size = len(payload)
        archive.addfile(info, io.BytesIO(payload))
    return buffer.getvalue()


def main() -> None:
    """Write every example model file."""
    OUT.mkdir(parents=True, exist_ok=True)
    evil = malicious_pickle()
    (OUT / "classifier.pkl").write_bytes(evil)
    (OUT / "checkpoint.pt").write_bytes(torch_like_checkpoint(evil))
    (OUT / "weights.safetensors").write_bytes(safetensors_file())
    (OUT / "bundle.tar.gz").write_bytes(tarball("models/old_model.pkl", evil))
    shown = OUT.relative_to(Path.cwd()) if OUT.is_relative_to(Path.cwd()) else OUT
    print(f"wrote {len(list(OUT.iterdir()))} model files to {shown}")


if __name__ == "__main__":
    main()
