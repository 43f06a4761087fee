"""The bundled prompt-injection classifier: hashed n-grams and a logistic regression, in pure Python.

Features are computed here and nowhere else: ``scripts/train_injection_model.py`` calls
``features()`` to build its training matrix, so training and inference can never disagree.
The weights (``model/injection.json``) are int16-quantised and base64-encoded: about 200 KB,
no numpy, no pickle, nothing downloaded at run time.

Features: character 1-5-grams (word-bounded, padded with spaces) and word 1-2-grams of the
folded text, hashed with CRC32 into ``buckets`` slots; each count becomes ``1 + log(count)`` and
the vector is L2-normalised.
"""

from __future__ import annotations

import base64
import json
import math
import sys
import zlib
from array import array
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources

__all__ = ["MAX_CHARS", "InjectionClassifier", "features", "load_default"]

MAX_CHARS = 3000  # longer texts: the head and the tail are scored
_HEAD, _TAIL = 2000, 1000
_MODEL = "injection.json"


def _clip(text: str) -> str:
    if len(text) <= MAX_CHARS:
        return text
    return text[:_HEAD] + " " + text[-_TAIL:]


def _bucket(token: str, buckets: int) -> int:
    return zlib.crc32(token.encode("utf-8", "replace")) % buckets


def features(text: str, buckets: int) -> dict[int, float]:
    """The L2-normalised sparse feature vector of ``text`` (already folded)."""
    text = _clip(text)
    counts: dict[int, int] = {}
    words = text.split()
    for word in words:
        padded = f" {word} "
        size = len(padded)
        for n in range(1, 6):
            for i in range(size - n + 1):
                index = _bucket("c" + padded[i : i + n], buckets)
                counts[index] = counts.get(index, 0) + 1
    for i, word in enumerate(words):
        index = _bucket("w" + word, buckets)
        counts[index] = counts.get(index, 0) + 1
        if i + 1 < len(words):
            index = _bucket("b" + word + " " + words[i + 1], buckets)
            counts[index] = counts.get(index, 0) + 1
    values = {k: 1.0 + math.log(v) for k, v in counts.items()}
    norm = math.sqrt(sum(v * v for v in values.values())) or 1.0
    return {k: v / norm for k, v in values.items()}


@dataclass(frozen=True, slots=True)
class InjectionClassifier:
    """A linear model over ``features()``: ``probability(text)`` is P(injection)."""

    buckets: int
    bias: float
    scale: float
    weights: array[int]
    version: str = ""

    def probability(self, folded: str) -> float:
        """P(injection) for text already folded by ``mlwarden.guard.normalize``."""
        if not folded.strip():
            return 0.0
        weights, scale = self.weights, self.scale
        z = self.bias + sum(weights[k] * scale * v for k, v in features(folded, self.buckets).items())
        return 1.0 / (1.0 + math.exp(-max(min(z, 30.0), -30.0)))

    @classmethod
    def from_json(cls, data: dict[str, object]) -> InjectionClassifier:
        """Build from the exported JSON form (see ``to_json``)."""
        weights = array("h")
        weights.frombytes(base64.b64decode(str(data["weights"])))
        if sys.byteorder == "big":
            weights.byteswap()  # stored little-endian
        buckets = int(str(data["buckets"]))
        if len(weights) != buckets:
            raise ValueError(f"model has {len(weights)} weights for {buckets} buckets")
        return cls(
            buckets=buckets,
            bias=float(str(data["bias"])),
            scale=float(str(data["scale"])),
            weights=weights,
            version=str(data.get("version", "")),
        )

    def to_json(self) -> dict[str, object]:
        """The JSON form stored in ``model/injection.json``."""
        return {
            "format": "mlwarden-injection-linear/1",
            "version": self.version,
            "buckets": self.buckets,
            "bias": self.bias,
            "scale": self.scale,
            "weights": base64.b64encode(self.weights.tobytes()).decode("ascii"),
        }


@lru_cache(maxsize=1)
def load_default() -> InjectionClassifier | None:
    """The model shipped in the package, or None if it is missing (rules still work)."""
    resource = resources.files("mlwarden.guard.injection").joinpath("model", _MODEL)
    if not resource.is_file():
        return None
    return InjectionClassifier.from_json(json.loads(resource.read_text(encoding="utf-8")))
