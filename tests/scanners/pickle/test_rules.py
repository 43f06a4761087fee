"""The pickle rules and the judge: ids, texts, normalisation and allowlist precedence."""

from __future__ import annotations

import pytest

from mlwarden.scanners.pickle.rules import PICKLE_RULES, Verdict
from mlwarden.scanners.pickle.verdicts import judge, normalise_module


def test_rules_are_complete() -> None:
    assert [r.id for r in PICKLE_RULES] == [f"MW-PICKLE-{n:03d}" for n in range(1, 6)]
    for rule in PICKLE_RULES:
        assert rule.help and rule.remediation
        assert rule.risk_ids[0] == "MODEL-07"


@pytest.mark.parametrize(("alias", "canonical"), [("posix", "os"), ("nt.path", "os.path"), ("__builtin__", "builtins")])
def test_module_aliases(alias: str, canonical: str) -> None:
    assert normalise_module(alias) == canonical


@pytest.mark.parametrize(
    ("module", "name", "verdict"),
    [
        ("torch._utils", "_rebuild_tensor_v2", Verdict.SAFE),
        ("torch.nn.modules.linear", "Linear", Verdict.SAFE),
        ("torch.nn.modules.linear", "__builtins__", Verdict.DANGEROUS),
        ("numpy", "__builtins__", Verdict.DANGEROUS),
        ("builtins", "list", Verdict.SAFE),
        ("builtins", "getattr", Verdict.DANGEROUS),
        ("posix", "system", Verdict.DANGEROUS),
        ("pathlib", "PosixPath", Verdict.SAFE),
        ("pathlib", "Path.write_text", Verdict.DANGEROUS),
        ("collections", "OrderedDict.fromkeys", Verdict.UNKNOWN),
        ("my_models", "Net", Verdict.UNKNOWN),
        ("os ", "system", Verdict.DANGEROUS),
    ],
)
def test_judge(module: str, name: str, verdict: Verdict) -> None:
    assert judge(module, name).verdict is verdict
