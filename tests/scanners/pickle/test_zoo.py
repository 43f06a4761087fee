"""Pickles written by libraries the dev venv does not have (transformers, accelerate, peft): no finding at medium.

The files come from benchmarks/corpus/build_benign_zoo.py (data/zoo/README.md says which library wrote each). The
classes they name are allowlisted to be *named* and built by NEWOBJ + BUILD only; the canaries below show that
calling them with arguments, which no saver does, is still reported.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from tests.factories.pickle_builder import PickleBuilder
from tests.scanners.pickle.helpers import scan_artifact, scan_bytes

from mlwarden.artifacts.formats import Format
from mlwarden.core.findings import Finding, Severity

ZOO = Path(__file__).parent / "data" / "zoo"
FILES = sorted(ZOO.glob("*.pkl"))


def _loud(findings: list[Finding]) -> list[tuple[str, str, str]]:
    return [(f.rule_id, f.severity.label, f.message) for f in findings if f.severity >= Severity.MEDIUM]


def test_the_zoo_is_there() -> None:
    assert len(FILES) >= 10


@pytest.mark.parametrize("path", FILES, ids=lambda p: p.name)
def test_zoo_pickle_scans_clean(path: Path) -> None:
    data = path.read_bytes()
    assert _loud(scan_bytes(data) + scan_artifact(data)) == []


# --- canaries: each allowlisted class with a side-effecting constructor, called the way no saver calls it -------
CALLED = [
    # TrainingArguments.__post_init__ opens the fsdp_config / deepspeed file its arguments name.
    ("transformers.training_args", "TrainingArguments", "fsdp_config"),
    ("transformers.training_args_seq2seq", "Seq2SeqTrainingArguments", "deepspeed"),
    # PartialState(**kwargs) passes its kwargs to torch.distributed.init_process_group (init_method=tcp://...).
    ("accelerate.state", "PartialState", "init_method"),
    ("transformers.generation.configuration_utils", "GenerationConfig", "watermarking_config"),
    # Tokenizer constructors read the vocab / tokenizer files they are given.
    ("transformers.tokenization_utils_tokenizers", "TokenizersBackend", "tokenizer_file"),
    ("transformers.tokenization_utils_fast", "PreTrainedTokenizerFast", "tokenizer_file"),
    ("transformers.models.bert.tokenization_bert", "BertTokenizer", "vocab_file"),
    ("peft.tuners.lora.config", "LoraConfig", "eva_config"),
    # PreTrainedModel.__init__(config) may fetch an attention kernel from the Hub.
    ("transformers.models.llama.modeling_llama", "LlamaForCausalLM", "config"),
    ("transformers.models.bert.modeling_bert", "BertModel", "config"),
]


def _called_with_kwargs(module: str, name: str, key: str, value: str) -> bytes:
    """``module.name({key: value})``: REDUCE calls the class with one argument, which no saver writes for it."""
    b = PickleBuilder().stack_global(module, name).mark().empty_dict().unicode(key).unicode(value).setitem()
    return b.tuple_().reduce().stop().data


@pytest.mark.parametrize(("module", "name", "key"), CALLED, ids=[c[1] for c in CALLED])
def test_calling_a_build_only_class_is_reported(tmp_path: Path, module: str, name: str, key: str) -> None:
    canary = tmp_path / "canary"
    value = f"tcp://127.0.0.1:9/{canary}" if key == "init_method" else str(canary)
    data = _called_with_kwargs(module, name, key, value)
    findings = scan_bytes(data) + scan_artifact(data) + scan_artifact(data, Format.JOBLIB)
    keys = {f.match_key for f in findings if f.severity >= Severity.MEDIUM}
    assert f"{module}.{name}" in keys, _loud(findings)
    assert not canary.exists()


def test_newobj_of_a_build_only_class_is_clean() -> None:
    # What torch.save / pickle.dumps write: cls.__new__(cls) then BUILD with the instance's __dict__.
    b = PickleBuilder().stack_global("transformers.training_args", "TrainingArguments").tuple_(0).newobj()
    data = b.empty_dict().unicode("output_dir").unicode("out").setitem().build().stop().data
    assert _loud(scan_bytes(data)) == []
