"""Compositional builders for the training set and the separate validation split.

``training_records()`` expands ``grammar_en`` / ``grammar_multi`` (plus obfuscated and code-switched
variants) and the natural-register ``grammar_natural`` / ``grammar_natural_multi``;
``validation_records()`` expands ``grammar_val`` only; ``natural_holdout_records()`` expands
``natural_holdout`` only (used to choose settings, never trained on); the world-language grammars
(``grammar_world``) are drawn with their own seed, and ``world_holdout_records()`` returns the separate
held-out world-language set (``world_holdout``, never trained on). All are seeded and deterministic.
Records: ``{"text", "label" (1 injection / 0 benign), "category", "language"}``.
"""

from __future__ import annotations

# ruff: noqa: E501 - tables of counts and wrappers
import random
from collections.abc import Mapping, Sequence

from mlwarden.guard.injection.data import grammar_en as en
from mlwarden.guard.injection.data import grammar_multi as multi
from mlwarden.guard.injection.data import grammar_natural as nat
from mlwarden.guard.injection.data import grammar_natural_multi as nat_multi
from mlwarden.guard.injection.data import grammar_val as val
from mlwarden.guard.injection.data import grammar_world as world
from mlwarden.guard.injection.data import natural_holdout as hold
from mlwarden.guard.injection.data.compose import expand, noisy, obfuscate
from mlwarden.guard.injection.data.world_holdout import WORLD_HOLDOUT

__all__ = [
    "natural_holdout_records",
    "training_records",
    "validation_records",
    "world_holdout_records",
    "world_records",
]

Record = dict[str, object]

TRAIN_SEED = 31337
VAL_SEED = 4242
NATURAL_SEED = 2718  # its own stream, so adding natural text leaves the older records unchanged
HOLDOUT_SEED = 1618
WORLD_SEED = 5077  # the world-language grammars: their own stream, older records unchanged
# Attack expansions per English category; benign expansions are drawn to keep a realistic balance.
_EN_COUNTS = {
    "override": 1600,
    "roleplay": 1100,
    "extraction": 1700,
    "indirect": 1100,
    "exfiltration": 500,
    "delimiter": 400,
}
_RU_COUNT = 320
_EN_BENIGN, _EN_BENIGN_MORE, _EN_BENIGN_PERSONA, _EN_BENIGN_TECH, _RU_BENIGN = 7000, 4500, 1200, 2500, 1400
_OBFUSCATED = 1400
_EU_COUNT = 200
# Natural-register draws: attacks by category, benign by style (about two benign per attack).
_NAT_ATTACK = {
    "exfiltration": 700,
    "extraction": 900,
    "delimiter": 600,
    "override": 800,
    "indirect": 900,
    "roleplay": 700,
}
_NAT_BENIGN = {"act_as": 1600, "support": 900, "coding": 900, "security_talk": 600, "keywords": 700, "everyday": 1500,
               "emails": 1200, "documents": 900, "agent_tasks": 900, "rewrite": 500, "tech_prose": 600}  # fmt: skip
_NAT_RU_ATTACK, _NAT_RU_BENIGN, _NAT_EU_ATTACK, _NAT_EU_BENIGN = 130, 1300, 60, 160
# World-language draws per language (before de-duplication; about two benign per attack), and the
# English / Russian exfiltration-without-URL and Russian benign business text.
_WORLD_ATTACK, _WORLD_BENIGN = 110, 240
_WORLD_EN_EXFIL, _WORLD_EN_EXFIL_BENIGN, _WORLD_RU_EXFIL, _WORLD_RU_BENIGN = 700, 900, 260, 1300
_WRAPS = ["{x}", "{x}", "{x}", "{x}", "Hello! {x}", "{x} Thanks.", "Here is my text:\n\n{x}", "FYI: {x}", "Forwarded message: {x}",
          "From my manager: {x}", "Transcript: {x}", "Note: {x}", "{x} - sent from my phone", "Ticket text: {x}", "> {x}",
          "Q: {x}", "User says: {x}", "{x}\n\n--\nBest regards", "Привет! {x}", "{x} Спасибо.", "Hola, {x}"]  # fmt: skip


def _record(text: str, label: int, category: str, language: str) -> Record:
    return {"text": text, "label": label, "category": category, "language": language}


def _grammar(base: Mapping[str, Sequence[str]], own: Mapping[str, Sequence[str]]) -> dict[str, Sequence[str]]:
    return {**base, **own}


def _draw(grammar: Mapping[str, Sequence[str]], count: int, rng: random.Random, *, wrap: bool = True) -> list[str]:
    out = []
    for _ in range(count):
        text = noisy(expand(grammar, "S", rng), rng)
        out.append(rng.choice(_WRAPS).format(x=text) if wrap else text)
    return out


def _english(rng: random.Random) -> list[Record]:
    records = []
    for category, count in _EN_COUNTS.items():
        grammar = _grammar(en.SHARED, en.ATTACK[category])
        records += [_record(t, 1, category, "en") for t in _draw(grammar, count, rng)]
    benign = _grammar(en.SHARED, en.BENIGN)
    records += [_record(t, 0, "benign", "en") for t in _draw(benign, _EN_BENIGN, rng)]
    more = _grammar(en.SHARED, en.BENIGN_MORE)
    records += [_record(t, 0, "benign", "en") for t in _draw(more, _EN_BENIGN_MORE, rng)]
    persona = _grammar(en.SHARED, en.BENIGN_PERSONA)
    records += [_record(t, 0, "benign", "en") for t in _draw(persona, _EN_BENIGN_PERSONA, rng, wrap=False)]
    tech = _grammar({**en.SHARED, "num": en.BENIGN["num"]}, en.BENIGN_TECH)
    records += [_record(expand(tech, "S", rng), 0, "benign", "en") for _ in range(_EN_BENIGN_TECH)]
    return records


def _obfuscated(rng: random.Random, attack: Mapping[str, Mapping[str, Sequence[str]]], shared: Mapping[str, Sequence[str]],
                wrappers: Sequence[str], count: int) -> list[Record]:  # fmt: skip
    records = []
    categories = [c for c in attack if c not in ("indirect", "delimiter", "ru")]
    for _ in range(count):
        grammar = _grammar(shared, attack[rng.choice(categories)])
        kind, text = obfuscate(expand(grammar, "S", rng).strip(), rng)
        records.append(_record(rng.choice(wrappers).replace("{x}", text), 1, "obfuscation", kind))
    return records


def _russian(rng: random.Random) -> list[Record]:
    records = []
    for category, grammar in multi.RU_ATTACK.items():
        records += [_record(t, 1, category, "ru") for t in _draw(grammar, _RU_COUNT, rng, wrap=False)]
    records += [_record(t, 0, "benign", "ru") for t in _draw(multi.RU_BENIGN, _RU_BENIGN, rng, wrap=False)]
    return records


def _other_languages(rng: random.Random) -> list[Record]:
    records = []
    for language, pairs in multi.OTHER_ATTACKS.items():
        for category, text in pairs:
            records += [_record(noisy(rng.choice(_WRAPS).format(x=text), rng), 1, category, language) for _ in range(6)]
    for language, texts in multi.OTHER_BENIGN.items():
        for text in texts:
            records += [_record(noisy(rng.choice(_WRAPS).format(x=text), rng), 0, "benign", language) for _ in range(6)]
    return records


def _european(rng: random.Random) -> list[Record]:
    records = []
    for language, (attack, benign) in multi.EU_GRAMMARS.items():
        records += [_record(t, 1, "multilingual", language) for t in _draw(attack, _EU_COUNT, rng, wrap=False)]
        records += [_record(t, 0, "benign", language) for t in _draw(benign, 2 * _EU_COUNT, rng, wrap=False)]
    return records


def _natural(rng: random.Random) -> list[Record]:
    records = []
    for category, count in _NAT_ATTACK.items():
        grammar = _grammar(nat.NAT_SHARED, nat.NAT_ATTACK[category])
        records += [_record(t, 1, category, "en") for t in _draw(grammar, count, rng, wrap=False)]
    for style, count in _NAT_BENIGN.items():
        grammar = _grammar(nat.NAT_SHARED, nat.NAT_BENIGN[style])
        records += [_record(t, 0, "benign", "en") for t in _draw(grammar, count, rng, wrap=False)]
    for category, own in nat_multi.RU_ATTACK.items():
        grammar = _grammar(nat_multi.RU_SHARED, own)
        records += [_record(t, 1, category, "ru") for t in _draw(grammar, _NAT_RU_ATTACK, rng, wrap=False)]
    benign = _grammar(nat_multi.RU_SHARED, nat_multi.RU_BENIGN)
    records += [_record(t, 0, "benign", "ru") for t in _draw(benign, _NAT_RU_BENIGN, rng, wrap=False)]
    for language, (attack, harmless) in nat_multi.EU_NATURAL.items():
        records += [_record(t, 1, "multilingual", language) for t in _draw(attack, _NAT_EU_ATTACK, rng, wrap=False)]
        records += [_record(t, 0, "benign", language) for t in _draw(harmless, _NAT_EU_BENIGN, rng, wrap=False)]
    return records


def _world(rng: random.Random) -> list[Record]:
    records = []
    for language, (attack, benign) in world.WORLD.items():
        records += [_record(t, 1, "multilingual", language) for t in _draw(attack, _WORLD_ATTACK, rng, wrap=False)]
        records += [_record(t, 0, "benign", language) for t in _draw(benign, _WORLD_BENIGN, rng, wrap=False)]
    records += [_record(t, 1, "exfiltration", "en") for t in _draw(world.EN_EXFIL, _WORLD_EN_EXFIL, rng, wrap=False)]
    more = _draw(world.EN_EXFIL_BENIGN, _WORLD_EN_EXFIL_BENIGN, rng, wrap=False)
    records += [_record(t, 0, "benign", "en") for t in more]
    records += [_record(t, 1, "exfiltration", "ru") for t in _draw(world.RU_EXFIL, _WORLD_RU_EXFIL, rng, wrap=False)]
    records += [_record(t, 0, "benign", "ru") for t in _draw(world.RU_BENIGN_MORE, _WORLD_RU_BENIGN, rng, wrap=False)]
    return records


def _dedupe(records: list[Record]) -> list[Record]:
    unique: dict[str, Record] = {}
    for record in records:
        unique.setdefault(str(record["text"]), record)
    return list(unique.values())


def training_records(*, world: bool = True) -> list[Record]:
    """The compositional part of the training set (``generate.build`` adds the older templates).

    ``world=False`` leaves out ``world_records()`` (which come last, after every older record).
    """
    rng = random.Random(TRAIN_SEED)  # noqa: S311 - reproducible data, not security
    records = _english(rng) + _russian(rng) + _other_languages(rng) + _european(rng)
    records += _obfuscated(rng, en.ATTACK, en.SHARED, en.OBF_WRAPPERS, _OBFUSCATED)
    records += _natural(random.Random(NATURAL_SEED))  # noqa: S311 - reproducible data, not security
    return _dedupe(records + world_records()) if world else _dedupe(records)


def world_records() -> list[Record]:
    """The world-language records alone (``training_records()`` includes them after the older ones)."""
    return _world(random.Random(WORLD_SEED))  # noqa: S311 - reproducible data, not security


def validation_records(per_rule: int = 30) -> list[Record]:
    """The validation split: ``grammar_val`` only (other fragments and shapes than training)."""
    rng = random.Random(VAL_SEED)  # noqa: S311 - reproducible data, not security
    records: list[Record] = []
    for category, own in val.VAL_ATTACK.items():
        grammar = _grammar(val.VAL_SHARED, own)
        language = "ru" if category == "ru" else "en"
        count = per_rule * len(own["S"])
        records += [_record(noisy(expand(grammar, "S", rng), rng), 1, category, language) for _ in range(count)]
    records += _obfuscated(rng, val.VAL_ATTACK, val.VAL_SHARED, val.VAL_OBF_WRAPPERS, per_rule * 8)
    benign = _grammar(val.VAL_SHARED, val.VAL_BENIGN)
    records += [_record(noisy(expand(benign, "S", rng), rng), 0, "benign", "en") for _ in range(per_rule * 60)]
    return _dedupe(records)


def natural_holdout_records(per_rule: int = 12) -> list[Record]:
    """The held-out natural-register set: ``natural_holdout`` only (to choose settings; never trained on)."""
    rng = random.Random(HOLDOUT_SEED)  # noqa: S311 - reproducible data, not security
    records: list[Record] = []
    for category, own in hold.HOLD_ATTACK.items():
        grammar = _grammar(hold.HOLD_SHARED, own)
        records += [_record(t, 1, category, "en") for t in _draw(grammar, per_rule * len(own["S"]), rng, wrap=False)]
    ru_attack = _draw(hold.HOLD_RU_ATTACK, per_rule * len(hold.HOLD_RU_ATTACK["S"]), rng, wrap=False)
    records += [_record(t, 1, "ru", "ru") for t in ru_attack]
    benign = _grammar(hold.HOLD_SHARED, hold.HOLD_BENIGN)
    records += [_record(t, 0, "benign", "en") for t in _draw(benign, per_rule * 60, rng, wrap=False)]
    ru_benign = _draw(hold.HOLD_RU_BENIGN, per_rule * len(hold.HOLD_RU_BENIGN["S"]), rng, wrap=False)
    records += [_record(t, 0, "benign", "ru") for t in ru_benign]
    return _dedupe(records)


def world_holdout_records() -> list[Record]:
    """The held-out world-language set (``world_holdout``), as written: reported per language, never trained on."""
    records: list[Record] = []
    for language, (attacks, benign) in WORLD_HOLDOUT.items():
        records += [_record(t, 1, "multilingual", language) for t in attacks]
        records += [_record(t, 0, "benign", language) for t in benign]
    return _dedupe(records)
