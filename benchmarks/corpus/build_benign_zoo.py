"""Build the benign model zoo: tiny random-weight models from the libraries users save models with.

Every file is written by the real library, in each save format it has (no weights are downloaded: models
are built from tiny configs). Run with the zoo environment:

    python3 -m venv benchmarks/.venv-zoo
    benchmarks/.venv-zoo/bin/pip install torch==2.13.0 transformers tokenizers safetensors accelerate peft \
        xgboost lightgbm catboost skops statsmodels scikit-learn joblib onnx diffusers requests
    benchmarks/.venv-zoo/bin/pip install --no-deps sentence-transformers
    benchmarks/.venv-zoo/bin/python benchmarks/corpus/build_benign_zoo.py [DEST]

Writes the files under ``DEST/benign/<library>/`` and ``labels.json`` in the format of build_model_corpus.py
(every file benign), so ``benchmarks/model_scan_detection.py --corpus DEST`` runs on it. A library that is
not installed is skipped with a note on stderr; nothing is ever loaded from an untrusted source.
"""

from __future__ import annotations

import argparse
import importlib.metadata
import json
import pickle
import shutil
import sys
import tempfile
import traceback
from collections.abc import Callable
from pathlib import Path
from typing import Any

DEFAULT_DEST = Path(__file__).resolve().parent.parent / "work" / "benign-zoo"
SUFFIX_FORMATS = {
    ".safetensors": "safetensors",
    ".json": "json",
    ".ubj": "ubjson",
    ".onnx": "onnx",
    ".cbm": "catboost",
    ".skops": "skops",
    ".txt": "text",
    ".model": "sentencepiece-or-text",
    ".pkl": "pickle",
    ".pickle": "pickle",
    ".joblib": "joblib",
    ".bin": "pytorch",
    ".pt": "pytorch",
    ".pth": "pytorch",
    ".ckpt": "pytorch",
    ".md": "text",
}


def _rng() -> Any:
    import numpy as np

    return np.random.default_rng(7)


def _xy(n: int = 80, classes: int = 2) -> tuple[Any, Any]:
    x = _rng().normal(size=(n, 5))
    return x, ((x[:, 0] + x[:, 1] > 0).astype(int) + (x[:, 2] > 1).astype(int) * (classes - 2)).clip(0, classes - 1)


def _dump_pickles(obj: Any, out: Path, stem: str) -> None:
    """pickle (default protocol and protocol 2) and joblib (plain and compressed) of one object."""
    import joblib

    (out / f"{stem}.pkl").write_bytes(pickle.dumps(obj))
    (out / f"{stem}.p2.pkl").write_bytes(pickle.dumps(obj, protocol=2))
    joblib.dump(obj, out / f"{stem}.joblib")
    joblib.dump(obj, out / f"{stem}.z3.joblib", compress=3)


# --- transformers ---------------------------------------------------------------------------------------------------
def _tiny_configs() -> dict[str, Any]:
    from transformers import BertConfig, GPT2Config, LlamaConfig, RobertaConfig, T5Config, ViTConfig

    small = {"vocab_size": 128}
    return {
        "bert": BertConfig(
            hidden_size=32, num_hidden_layers=1, num_attention_heads=2, intermediate_size=37, **small
        ),
        "roberta": RobertaConfig(
            hidden_size=32, num_hidden_layers=1, num_attention_heads=2, intermediate_size=37, **small
        ),
        "gpt2": GPT2Config(n_embd=32, n_layer=1, n_head=2, n_positions=64, **small),
        "t5": T5Config(d_model=32, d_ff=37, d_kv=8, num_layers=1, num_heads=2, **small),
        "llama": LlamaConfig(
            hidden_size=32, intermediate_size=64, num_hidden_layers=1, num_attention_heads=2, num_key_value_heads=1,
            max_position_embeddings=64, **small,
        ),
        "vit": ViTConfig(
            hidden_size=32, num_hidden_layers=1, num_attention_heads=2, intermediate_size=37, image_size=16,
            patch_size=8,
        ),
    }  # fmt: skip


def _tiny_models() -> dict[str, Any]:
    import torch
    from transformers import (
        BertForSequenceClassification,
        GPT2LMHeadModel,
        LlamaForCausalLM,
        RobertaForMaskedLM,
        T5ForConditionalGeneration,
        ViTForImageClassification,
    )

    torch.manual_seed(0)
    classes = {
        "bert": BertForSequenceClassification,
        "roberta": RobertaForMaskedLM,
        "gpt2": GPT2LMHeadModel,
        "t5": T5ForConditionalGeneration,
        "llama": LlamaForCausalLM,
        "vit": ViTForImageClassification,
    }
    return {name: classes[name](config) for name, config in _tiny_configs().items()}


def _sharded_bin(model: Any, out: Path) -> None:
    """transformers 4.x save_pretrained(safe_serialization=False, max_shard_size=...): torch.save of each shard
    (a dict of tensors) and pytorch_model.bin.index.json."""
    import torch

    state = model.state_dict()
    names = list(state)
    half = len(names) // 2
    shards = {"pytorch_model-00001-of-00002.bin": names[:half], "pytorch_model-00002-of-00002.bin": names[half:]}
    weight_map = {}
    for shard, keys in shards.items():
        torch.save({k: state[k].contiguous() for k in keys}, out / shard)
        weight_map.update(dict.fromkeys(keys, shard))
    size = sum(t.numel() * t.element_size() for t in state.values())
    index = {"metadata": {"total_size": size}, "weight_map": weight_map}
    (out / "pytorch_model.bin.index.json").write_text(json.dumps(index, indent=2, sort_keys=True) + "\n")


def transformers_models(out: Path) -> None:
    """save_pretrained (safetensors + config), pytorch_model.bin as 4.x wrote it (zip, legacy, sharded), whole
    models and configs through torch.save and pickle."""
    import torch

    for name, model in _tiny_models().items():
        d = out / name
        model.save_pretrained(d / "save_pretrained")
        pt = d / "pytorch_model"
        pt.mkdir(parents=True)
        model.config.to_json_file(pt / "config.json")
        torch.save(model.state_dict(), pt / "pytorch_model.bin")
        legacy = d / "pytorch_model_legacy"
        legacy.mkdir()
        torch.save(model.state_dict(), legacy / "pytorch_model.bin", _use_new_zipfile_serialization=False)
        sharded = d / "sharded"
        sharded.mkdir()
        _sharded_bin(model, sharded)
        torch.save(model, d / "whole_model.pt")
        torch.save(model.config, d / "config.pt")
        (d / "config.pkl").write_bytes(pickle.dumps(model.config))
        if getattr(model, "generation_config", None) is not None and name in {"gpt2", "llama", "t5"}:
            (d / "generation_config.pkl").write_bytes(pickle.dumps(model.generation_config))


def _tiny_tokenizer() -> Any:
    from tokenizers import Tokenizer, decoders, models, normalizers, pre_tokenizers, processors, trainers
    from transformers import PreTrainedTokenizerFast

    texts = ["the quick brown fox jumps over the lazy dog", "hello world, tiny models save tiny files"] * 20
    tok = Tokenizer(models.WordPiece(unk_token="[UNK]"))
    tok.normalizer = normalizers.BertNormalizer(lowercase=True)
    tok.pre_tokenizer = pre_tokenizers.BertPreTokenizer()
    tok.decoder = decoders.WordPiece()
    special = ["[PAD]", "[UNK]", "[CLS]", "[SEP]", "[MASK]"]
    tok.train_from_iterator(texts, trainers.WordPieceTrainer(vocab_size=100, special_tokens=special))
    tok.post_processor = processors.TemplateProcessing(
        single="[CLS] $A [SEP]", pair="[CLS] $A [SEP] $B [SEP]", special_tokens=[("[CLS]", 2), ("[SEP]", 3)]
    )
    return tok, PreTrainedTokenizerFast(
        tokenizer_object=tok, unk_token="[UNK]", pad_token="[PAD]", cls_token="[CLS]", sep_token="[SEP]",
        mask_token="[MASK]",
    )  # fmt: skip


def _bpe_tokenizer() -> Any:
    from tokenizers import Tokenizer, decoders, models, pre_tokenizers, trainers

    tok = Tokenizer(models.BPE())
    tok.pre_tokenizer = pre_tokenizers.ByteLevel(add_prefix_space=False)
    tok.decoder = decoders.ByteLevel()
    tok.train_from_iterator(["tiny byte level bpe files"] * 10, trainers.BpeTrainer(vocab_size=300))
    return tok


def transformers_tokenizers(out: Path) -> None:
    """tokenizer.json/tokenizer_config.json (save_pretrained), vocab files, and pickles of tokenizers."""
    import torch
    from transformers import BertTokenizer

    raw, fast = _tiny_tokenizer()
    fast.save_pretrained(out / "fast")
    raw.save(str(out / "raw_tokenizer.json"))
    bpe = _bpe_tokenizer()
    bpe.save(str(out / "bpe_tokenizer.json"))
    bpe.model.save(str(out), "bpe")  # vocab.json + merges.txt
    vocab = out / "vocab.txt"
    vocab.write_text("\n".join(raw.get_vocab()) + "\n")
    slow = BertTokenizer(str(vocab))
    slow.save_pretrained(out / "slow")
    (out / "fast_tokenizer.pkl").write_bytes(pickle.dumps(fast))
    (out / "raw_tokenizer.pkl").write_bytes(pickle.dumps(raw))
    (out / "bpe_tokenizer.pkl").write_bytes(pickle.dumps(bpe))
    (out / "slow_tokenizer.pkl").write_bytes(pickle.dumps(slow))
    torch.save(fast, out / "fast_tokenizer.pt")
    encoded = fast(["hello world", "the lazy dog"], padding=True, return_tensors="pt")
    torch.save(encoded, out / "batch_encoding.pt")
    (out / "batch_encoding.pkl").write_bytes(pickle.dumps(fast(["hello world"])))


class _TinyDataset:
    """A torch-style dataset of fixed-length inputs for the Trainer."""

    def __init__(self, n: int = 8) -> None:
        import torch

        self.items = [
            {
                "input_ids": torch.randint(5, 100, (8,)),
                "attention_mask": torch.ones(8, dtype=torch.long),
                "labels": i % 2,
            }
            for i in range(n)
        ]

    def __len__(self) -> int:
        return len(self.items)

    def __getitem__(self, i: int) -> dict[str, Any]:
        return self.items[i]


def transformers_trainer(out: Path) -> None:
    """A real Trainer run of two steps with checkpoints: training_args.bin, optimizer.pt, scheduler.pt,
    rng_state.pth, trainer_state.json, the model; then TrainingArguments pickled in other configurations."""
    import torch
    from transformers import BertForSequenceClassification, Trainer, TrainingArguments

    torch.manual_seed(0)
    model = BertForSequenceClassification(_tiny_configs()["bert"])
    variants = {
        "adamw_linear": {"lr_scheduler_type": "linear", "optim": "adamw_torch"},
        "sgd_cosine_warmup": {"lr_scheduler_type": "cosine", "optim": "sgd", "warmup_steps": 1},
        "adafactor_constant": {"lr_scheduler_type": "constant", "optim": "adafactor", "gradient_accumulation_steps": 2},
    }
    for name, extra in variants.items():
        args = TrainingArguments(
            output_dir=str(out / name), max_steps=2, save_steps=2, per_device_train_batch_size=4, report_to=[],
            logging_steps=1, use_cpu=True, save_strategy="steps", seed=3, **extra,
        )  # fmt: skip
        Trainer(model=model, args=args, train_dataset=_TinyDataset()).train()
    args = TrainingArguments(
        output_dir=str(out / "args"), eval_strategy="steps", eval_steps=5, lr_scheduler_type="cosine_with_restarts",
        lr_scheduler_kwargs={"num_cycles": 2}, label_names=["labels"], metric_for_best_model="loss",
        load_best_model_at_end=True, save_total_limit=2, report_to="none", hub_strategy="every_save",
        push_to_hub=False, run_name="zoo", torch_compile=False, gradient_checkpointing=True,
        gradient_checkpointing_kwargs={"use_reentrant": False},
    )  # fmt: skip
    (out / "args").mkdir(parents=True, exist_ok=True)
    torch.save(args, out / "args" / "training_args.bin")
    (out / "args" / "training_args.pkl").write_bytes(pickle.dumps(args))


def transformers_seq2seq_args(out: Path) -> None:
    """Seq2SeqTrainingArguments with a GenerationConfig, torch.save'd as Seq2SeqTrainer writes it."""
    import torch
    from transformers import GenerationConfig, Seq2SeqTrainingArguments

    args = Seq2SeqTrainingArguments(
        output_dir=str(out), predict_with_generate=True, generation_max_length=16,
        generation_config=GenerationConfig(max_new_tokens=8, num_beams=2), report_to=[],
    )  # fmt: skip
    torch.save(args, out / "training_args.bin")


# --- accelerate, peft, sentence-transformers, diffusers -------------------------------------------------------------
def accelerate_state(out: Path) -> None:
    """Accelerator.save_state with a model, an optimizer, a scheduler and a registered object (pickle and
    safetensors variants)."""
    import torch
    from accelerate import Accelerator
    from accelerate.utils import set_seed

    set_seed(0)
    model = torch.nn.Sequential(torch.nn.Linear(4, 8), torch.nn.GELU(), torch.nn.Linear(8, 2))
    opt = torch.optim.AdamW(model.parameters(), lr=1e-3)
    sched = torch.optim.lr_scheduler.StepLR(opt, step_size=1)
    accelerator = Accelerator(cpu=True)
    model, opt, sched = accelerator.prepare(model, opt, sched)
    accelerator.backward(model(torch.ones(2, 4)).sum())
    opt.step()
    sched.step()
    accelerator.save_state(str(out / "safetensors"))
    accelerator.save_state(str(out / "pickle"), safe_serialization=False)
    accelerator.save_model(model, str(out / "save_model"))


def peft_adapters(out: Path) -> None:
    """LoRA and prefix-tuning adapters: adapter_config.json with adapter_model.safetensors or .bin."""
    from peft import LoraConfig, PrefixTuningConfig, TaskType, get_peft_model

    models = _tiny_models()
    lora = get_peft_model(models["llama"], LoraConfig(r=4, lora_alpha=8, target_modules=["q_proj", "v_proj"]))
    lora.save_pretrained(out / "lora_llama")
    lora.save_pretrained(out / "lora_llama_bin", safe_serialization=False)
    bert = get_peft_model(
        models["bert"], LoraConfig(task_type=TaskType.SEQ_CLS, r=2, target_modules=["query", "value"])
    )
    bert.save_pretrained(out / "lora_bert_bin", safe_serialization=False)
    prefix = get_peft_model(models["gpt2"], PrefixTuningConfig(task_type=TaskType.CAUSAL_LM, num_virtual_tokens=4))
    prefix.save_pretrained(out / "prefix_gpt2_bin", safe_serialization=False)
    (out / "lora_config.pkl").write_bytes(pickle.dumps(lora.peft_config["default"]))


def sentence_transformers_model(out: Path) -> None:
    """SentenceTransformer(Transformer + Pooling + Normalize) saved from a tiny local BERT."""
    from sentence_transformers import SentenceTransformer, models

    with tempfile.TemporaryDirectory() as tmp:
        bert = _tiny_models()["bert"].base_model
        bert.save_pretrained(tmp)
        _tiny_tokenizer()[1].save_pretrained(tmp)
        word = models.Transformer(tmp, max_seq_length=16)
        pool = models.Pooling(word.get_word_embedding_dimension(), pooling_mode="mean")
        st = SentenceTransformer(modules=[word, pool, models.Normalize()], device="cpu")
        st.save(str(out / "st_model"))
        st.save(str(out / "st_model_bin"), safe_serialization=False)


def diffusers_folders(out: Path) -> None:
    """A tiny UNet2DModel + DDPMScheduler pipeline folder (model_index.json), safetensors and .bin."""
    from diffusers import DDPMPipeline, DDPMScheduler, UNet2DModel

    unet = UNet2DModel(
        sample_size=8, in_channels=1, out_channels=1, layers_per_block=1, block_out_channels=(8, 16),
        down_block_types=("DownBlock2D", "DownBlock2D"), up_block_types=("UpBlock2D", "UpBlock2D"), norm_num_groups=4,
    )  # fmt: skip
    pipe = DDPMPipeline(unet=unet, scheduler=DDPMScheduler(num_train_timesteps=10))
    pipe.save_pretrained(out / "ddpm_pipeline")
    pipe.save_pretrained(out / "ddpm_pipeline_bin", safe_serialization=False)


def torch_exports(out: Path) -> None:
    """ONNX exported from torch (a tiny BERT and an MLP), TorchScript of an MLP, torch.export .pt2."""
    import torch

    mlp = torch.nn.Sequential(torch.nn.Linear(4, 8), torch.nn.ReLU(), torch.nn.Linear(8, 2)).eval()
    x = torch.ones(1, 4)
    torch.onnx.export(mlp, (x,), str(out / "mlp.onnx"), dynamo=False, input_names=["x"], output_names=["y"])
    bert = _tiny_models()["bert"].eval()
    ids = torch.ones(1, 8, dtype=torch.long)
    torch.onnx.export(bert, (ids,), str(out / "bert.onnx"), dynamo=False, input_names=["input_ids"])
    torch.jit.save(torch.jit.trace(mlp, x), str(out / "mlp_traced.pt"))
    torch.jit.save(torch.jit.script(mlp), str(out / "mlp_scripted.pt"))
    torch.export.save(torch.export.export(mlp, (x,)), str(out / "mlp.pt2"))


# --- gradient boosting, sklearn, statsmodels, skops -----------------------------------------------------------------
def xgboost_models(out: Path) -> None:
    """XGBClassifier/XGBRegressor/XGBRanker and a raw Booster: pickle, joblib, save_model .json/.ubj."""
    import xgboost as xgb

    x, y = _xy()
    clf = xgb.XGBClassifier(n_estimators=3, max_depth=2).fit(x, y)
    reg = xgb.XGBRegressor(n_estimators=3, max_depth=2).fit(x, x[:, 0])
    multi = xgb.XGBClassifier(n_estimators=2, max_depth=2).fit(x, _xy(classes=3)[1])
    ranker = xgb.XGBRanker(n_estimators=2, max_depth=2).fit(x, y, qid=[i // 10 for i in range(len(y))])
    booster = xgb.train({"max_depth": 2}, xgb.DMatrix(x, label=y), num_boost_round=3)
    for stem, obj in {"clf": clf, "reg": reg, "multi": multi, "ranker": ranker, "booster": booster}.items():
        _dump_pickles(obj, out, stem)
        obj.save_model(out / f"{stem}.json")
        obj.save_model(out / f"{stem}.ubj")


def lightgbm_models(out: Path) -> None:
    """LGBMClassifier/LGBMRegressor and a raw Booster: pickle, joblib, text model, JSON dump."""
    import lightgbm as lgb

    x, y = _xy()
    clf = lgb.LGBMClassifier(n_estimators=3, num_leaves=4, verbose=-1).fit(x, y)
    reg = lgb.LGBMRegressor(n_estimators=3, num_leaves=4, verbose=-1).fit(x, x[:, 0])
    booster = lgb.train({"num_leaves": 4, "verbose": -1}, lgb.Dataset(x, label=y), num_boost_round=3)
    for stem, obj in {"clf": clf, "reg": reg, "booster": booster}.items():
        _dump_pickles(obj, out, stem)
    booster.save_model(str(out / "booster.txt"))
    (out / "booster_dump.json").write_text(json.dumps(booster.dump_model()))


def catboost_models(out: Path) -> None:
    """CatBoostClassifier/CatBoostRegressor: pickle, joblib, save_model .cbm/.json."""
    import catboost as cb

    x, y = _xy()
    clf = cb.CatBoostClassifier(iterations=3, depth=2, verbose=False, allow_writing_files=False).fit(x, y)
    reg = cb.CatBoostRegressor(iterations=3, depth=2, verbose=False, allow_writing_files=False).fit(x, x[:, 0])
    for stem, obj in {"clf": clf, "reg": reg}.items():
        _dump_pickles(obj, out, stem)
        obj.save_model(str(out / f"{stem}.cbm"))
        obj.save_model(str(out / f"{stem}.json"), format="json")


def _sklearn_pipeline() -> Any:
    import numpy as np
    import pandas as pd
    from sklearn.compose import ColumnTransformer
    from sklearn.ensemble import HistGradientBoostingClassifier
    from sklearn.pipeline import Pipeline
    from sklearn.preprocessing import OneHotEncoder, StandardScaler

    x, y = _xy()
    frame = pd.DataFrame(x, columns=list("abcde"))
    frame["cat"] = np.where(y > 0, "u", "v")
    pre = ColumnTransformer([("num", StandardScaler(), list("abcde")), ("cat", OneHotEncoder(), ["cat"])])
    return Pipeline([("pre", pre), ("model", HistGradientBoostingClassifier(max_iter=3))]).fit(frame, y)


def sklearn_models(out: Path) -> None:
    """Estimators the hub carries as .pkl/.joblib: text pipelines, MLP, k-means, gradient boosting."""
    from sklearn.cluster import KMeans
    from sklearn.feature_extraction.text import TfidfVectorizer
    from sklearn.linear_model import LogisticRegression
    from sklearn.neural_network import MLPClassifier
    from sklearn.pipeline import make_pipeline

    x, y = _xy()
    texts = ["good movie", "bad movie", "great film", "awful film"] * 5
    models = {
        "tfidf_logreg": make_pipeline(TfidfVectorizer(), LogisticRegression()).fit(texts, [1, 0, 1, 0] * 5),
        "mlp": MLPClassifier(hidden_layer_sizes=(4,), max_iter=20, random_state=0).fit(x, y),
        "kmeans": KMeans(n_clusters=2, n_init=1, random_state=0).fit(x),
        "column_pipeline": _sklearn_pipeline(),
    }
    for stem, obj in models.items():
        _dump_pickles(obj, out, stem)


def skops_files(out: Path) -> None:
    """skops.io.dump of a fitted pipeline and a logistic regression (.skops, a zip of schema.json and .npy)."""
    import skops.io as sio
    from sklearn.linear_model import LogisticRegression

    x, y = _xy()
    sio.dump(_sklearn_pipeline(), out / "pipeline.skops")
    sio.dump(LogisticRegression().fit(x, y), out / "logreg.skops")


def statsmodels_results(out: Path) -> None:
    """statsmodels results.save (pickle, with and without data), ARIMA and GLM results, joblib."""
    import joblib
    import statsmodels.api as sm
    from statsmodels.tsa.arima.model import ARIMA

    x, y = _xy()
    ols = sm.OLS(x[:, 0], sm.add_constant(x[:, 1:])).fit()
    ols.save(str(out / "ols_results.pickle"))
    ols.save(str(out / "ols_results_nodata.pickle"), remove_data=True)
    glm = sm.GLM(y, sm.add_constant(x), family=sm.families.Binomial()).fit()
    glm.save(str(out / "glm_results.pickle"))
    arima = ARIMA(_rng().normal(size=40).cumsum(), order=(1, 0, 0)).fit()
    arima.save(str(out / "arima_results.pkl"))
    joblib.dump(ols, out / "ols_results.joblib")


WRITERS: dict[str, tuple[str, Callable[[Path], None]]] = {
    "transformers/models": ("transformers", transformers_models),
    "transformers/tokenizers": ("transformers", transformers_tokenizers),
    "transformers/trainer": ("transformers", transformers_trainer),
    "transformers/seq2seq_args": ("transformers", transformers_seq2seq_args),
    "accelerate": ("accelerate", accelerate_state),
    "peft": ("peft", peft_adapters),
    "sentence_transformers": ("sentence-transformers", sentence_transformers_model),
    "diffusers": ("diffusers", diffusers_folders),
    "torch_exports": ("torch", torch_exports),
    "xgboost": ("xgboost", xgboost_models),
    "lightgbm": ("lightgbm", lightgbm_models),
    "catboost": ("catboost", catboost_models),
    "sklearn": ("scikit-learn", sklearn_models),
    "skops": ("skops", skops_files),
    "statsmodels": ("statsmodels", statsmodels_results),
}


def _version(dist: str) -> str:
    try:
        return importlib.metadata.version(dist)
    except importlib.metadata.PackageNotFoundError:
        return "missing"


def _format(path: Path) -> str:
    if path.name in {"training_args.bin", "optimizer.pt", "scheduler.pt", "rng_state.pth"}:
        return "pytorch"
    if path.suffix == ".pt2":
        return "torch-export"
    return SUFFIX_FORMATS.get(path.suffix, path.suffix.lstrip(".") or "other")


def build(dest: Path, only: set[str] | None = None) -> dict[str, dict[str, str]]:
    """Write every library's files under ``dest/benign`` (emptied first) and return the labels."""
    if dest.exists():
        shutil.rmtree(dest)
    labels: dict[str, dict[str, str]] = {}
    for group, (dist, writer) in WRITERS.items():
        if only and group.split("/")[0] not in only and group not in only:
            continue
        out = dest / "benign" / group
        out.mkdir(parents=True, exist_ok=True)
        source = f"{dist} {_version(dist)}"
        try:
            writer(out)
        except Exception:  # a library that fails to build is skipped, and said so
            print(f"skipped {group}: {traceback.format_exc(limit=3)}", file=sys.stderr)
            continue
        for path in sorted(p for p in out.rglob("*") if p.is_file()):
            rel = path.relative_to(dest).as_posix()
            technique = "benign-" + rel.removeprefix("benign/").replace("/", "-")
            labels[rel] = {
                "label": "benign",
                "technique": technique,
                "source": source,
                "format": _format(path),
                "description": f"written by {source} ({writer.__name__})",
            }
    (dest / "labels.json").write_text(json.dumps(labels, indent=2, sort_keys=True) + "\n")
    return labels


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("dest", nargs="?", type=Path, default=DEFAULT_DEST)
    parser.add_argument("--only", default="", help="comma-separated groups (transformers, xgboost, ...)")
    args = parser.parse_args(argv)
    only = {g.strip() for g in args.only.split(",") if g.strip()} or None
    labels = build(args.dest, only)
    print(f"wrote {len(labels)} benign files under {args.dest}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
