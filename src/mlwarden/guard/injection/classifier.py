"""The bundled prompt-injection classifier: hashed n-grams and a logistic regression, in pure Python.

Features live in ``injection/features.py`` (character n-grams, stemmed word n-grams and skip-grams,
verb-near-meta-referent counts, decoded-view markers); ``model_input()`` is the one place that
turns normalised views into the classifier's input, used by both ``scripts/train_injection_model.py``
and the detector, so training and inference can never disagree. The weights
(``model/injection.json``) are int16-quantised and base64-encoded, no numpy, no pickle, nothing
downloaded at run time.
"""

from __future__ import annotations

import base64
import json
import math
import sys
from array import array
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources

from mlwarden.guard.injection.features import MAX_CHARS, dot, feature_counts, features
from mlwarden.guard.normalize import NormalizedText

__all__ = ["MAX_CHARS", "InjectionClassifier", "features", "load_default", "model_input"]

_MODEL = "injection.json"
_VIEW_MARKERS = ("base64", "base32", "hex", "url")


def model_input(normalized: NormalizedText) -> tuple[str, tuple[str, ...]]:
    """The folded text and the decoded-view markers (``base64`` ...) the classifier sees."""
    extras = tuple(sorted({d.encoding for d in normalized.decoded if d.encoding in _VIEW_MARKERS}))
    return normalized.folded.text, extras


@dataclass(frozen=True, slots=True)
class InjectionClassifier:
    """A linear model over ``features()``: ``probability(text)`` is P(injection)."""

    buckets: int
    bias: float
    scale: float
    weights: array[int]
    version: str = ""
    # Below this probability the classifier adds no evidence (so it blocks alone at (1 + floor) / 2).
    floor: float = 0.5

    def evidence(self, probability: float) -> float:
        """How much a probability counts towards the injection score: 0 at ``floor``, 1 at p = 1."""
        return max(0.0, (probability - self.floor) / (1.0 - self.floor))

    def probability(self, folded: str, extras: tuple[str, ...] = ()) -> float:
        """P(injection) for text already folded by ``mlwarden.guard.normalize`` (see ``model_input``)."""
        if not folded.strip():
            return 0.0
        z = self.bias + self.scale * dot(feature_counts(folded, self.buckets, extras), self.weights)
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
            floor=float(str(data.get("floor", 0.5))),
        )

    def to_json(self) -> dict[str, object]:
        """The JSON form stored in ``model/injection.json`` (weights little-endian)."""
        stored = array("h", self.weights)
        if sys.byteorder == "big":
            stored.byteswap()
        return {
            "format": "mlwarden-injection-linear/1",
            "version": self.version,
            "buckets": self.buckets,
            "bias": self.bias,
            "scale": self.scale,
            "floor": self.floor,
            "weights": base64.b64encode(stored.tobytes()).decode("ascii"),
        }


@lru_cache(maxsize=1)
def load_default() -> InjectionClassifier | None:
    """The model shipped in the package, or None if it is missing (rules still work)."""
    resource = resources.files("mlwarden.guard.injection").joinpath("model", _MODEL)
    if not resource.is_file():
        return None
    return InjectionClassifier.from_json(json.loads(resource.read_text(encoding="utf-8")))
