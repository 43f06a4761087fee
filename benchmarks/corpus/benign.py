"""Benign artifacts written by the real libraries, the way users write them.

These are the false-positive half of the corpus: every file here must scan clean. Writers only write.
"""

from __future__ import annotations

import pickle
from collections import OrderedDict
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from corpus.formats import dense_layer, gguf_file, input_layer, keras_archive, keras_h5, onnx_linear, sequential
from corpus.malicious_formats import CHATML

LLAMA2 = (
    "{% if messages[0]['role'] == 'system' %}{% set loop_messages = messages[1:] %}"
    "{% set system_message = messages[0]['content'] %}{% else %}{% set loop_messages = messages %}"
    "{% set system_message = false %}{% endif %}{% for message in loop_messages %}"
    "{% if (message['role'] == 'user') != (loop.index0 % 2 == 0) %}"
    "{{ raise_exception('Conversation roles must alternate user/assistant/user/assistant/...') }}{% endif %}"
    "{% if loop.index0 == 0 and system_message != false %}"
    "{% set content = '<<SYS>>\\n' + system_message + '\\n<</SYS>>\\n\\n' + message['content'] %}"
    "{% else %}{% set content = message['content'] %}{% endif %}{% if message['role'] == 'user' %}"
    "{{ bos_token + '[INST] ' + content.strip() + ' [/INST]' }}{% elif message['role'] == 'assistant' %}"
    "{{ ' '  + content.strip() + ' ' + eos_token }}{% endif %}{% endfor %}"
)


@dataclass(frozen=True)
class BenignCase:
    """One benign artifact: its file name, format label, writer and the library that wrote it."""

    name: str
    fmt: str
    library: str
    write: Callable[[Path], None]


def _rng() -> Any:
    import numpy as np

    return np.random.default_rng(7)


def _xy(n: int = 60) -> tuple[Any, Any]:
    x = _rng().normal(size=(n, 4))
    return x, (x[:, 0] + x[:, 1] > 0).astype(int)


def _mlp() -> Any:
    import torch

    torch.manual_seed(0)
    return torch.nn.Sequential(torch.nn.Linear(4, 8), torch.nn.ReLU(), torch.nn.Linear(8, 2))


# --- torch ----------------------------------------------------------------------------------------------------------
def torch_state_dict(path: Path) -> None:
    import torch

    torch.save(_mlp().state_dict(), path)


def torch_full_module(path: Path) -> None:
    import torch

    torch.save(_mlp(), path)


def torch_optimizer(path: Path) -> None:
    import torch

    model = _mlp()
    opt = torch.optim.Adam(model.parameters(), lr=1e-3)
    model(torch.ones(2, 4)).sum().backward()
    opt.step()
    torch.save(opt.state_dict(), path)


def torch_training_checkpoint(path: Path) -> None:
    import torch

    model = _mlp()
    opt = torch.optim.SGD(model.parameters(), lr=0.1, momentum=0.9)
    torch.save(
        {
            "epoch": 3,
            "model": model.state_dict(),
            "optimizer": opt.state_dict(),
            "loss": 0.25,
            "config": {"name": "mlp", "layers": [4, 8, 2], "activation": "relu"},
        },
        path,
    )


def torch_dtypes(path: Path) -> None:
    import torch

    torch.save(
        {
            "bf16": torch.ones(3, dtype=torch.bfloat16),
            "i8": torch.arange(4, dtype=torch.int8),
            "f16": torch.zeros(2, 2, dtype=torch.float16),
            "bool": torch.tensor([True, False]),
            "c64": torch.ones(2, dtype=torch.complex64),
        },
        path,
    )


def torch_legacy(path: Path) -> None:
    import torch

    torch.save(_mlp().state_dict(), path, _use_new_zipfile_serialization=False)


def torchscript_scripted(path: Path) -> None:
    import torch

    torch.jit.save(torch.jit.script(_mlp()), str(path))


def torchscript_traced(path: Path) -> None:
    import torch

    torch.jit.save(torch.jit.trace(_mlp(), torch.ones(1, 4)), str(path))


def torch_with_numpy(path: Path) -> None:
    import numpy as np
    import torch

    torch.save({"model": _mlp().state_dict(), "feature_mean": np.linspace(0, 1, 4), "best_score": np.float64(0.93),
                "label_names": np.array(["neg", "pos"])}, path)  # fmt: skip


def torch_sparse_quantized(path: Path) -> None:
    import warnings

    import torch

    warnings.filterwarnings("ignore", message=".*quantize_per_tensor.*")
    dense = torch.tensor([[0.0, 1.5], [2.0, 0.0]])
    torch.save({"sparse": dense.to_sparse(), "quantized": torch.quantize_per_tensor(dense, 0.1, 0, torch.quint8),
                "param": torch.nn.Parameter(torch.ones(2))}, path)  # fmt: skip


# --- scikit-learn ---------------------------------------------------------------------------------------------------
def _pickle_to(obj: Any, path: Path, protocol: int = pickle.DEFAULT_PROTOCOL) -> None:
    path.write_bytes(pickle.dumps(obj, protocol=protocol))


def sk_logreg(path: Path) -> None:
    from sklearn.linear_model import LogisticRegression

    _pickle_to(LogisticRegression().fit(*_xy()), path)


def sk_forest_joblib(path: Path) -> None:
    import joblib
    from sklearn.ensemble import RandomForestClassifier

    joblib.dump(RandomForestClassifier(n_estimators=5, random_state=0).fit(*_xy()), path)


def sk_pipeline_svc(path: Path) -> None:
    from sklearn.pipeline import make_pipeline
    from sklearn.preprocessing import StandardScaler
    from sklearn.svm import SVC

    _pickle_to(make_pipeline(StandardScaler(), SVC()).fit(*_xy()), path)


def _column_pipeline() -> Any:
    import numpy as np
    import pandas as pd
    from sklearn.compose import ColumnTransformer
    from sklearn.ensemble import GradientBoostingClassifier
    from sklearn.pipeline import Pipeline
    from sklearn.preprocessing import FunctionTransformer, OneHotEncoder

    frame = pd.DataFrame({"city": ["a", "b", "c", "a"] * 10, "amount": np.arange(40.0)})
    pre = ColumnTransformer(
        [("cat", OneHotEncoder(handle_unknown="ignore"), ["city"]), ("num", FunctionTransformer(np.log1p), ["amount"])]
    )
    pipe = Pipeline([("pre", pre), ("gb", GradientBoostingClassifier(n_estimators=5, random_state=0))])
    return pipe.fit(frame, [0, 1] * 20)


def sk_column_transformer(compress: Any) -> Callable[[Path], None]:
    def write(path: Path) -> None:
        import joblib

        joblib.dump(_column_pipeline(), path, compress=compress)

    return write


def sk_kmeans_gzip(path: Path) -> None:
    import joblib
    from sklearn.cluster import KMeans

    joblib.dump(KMeans(n_clusters=3, n_init=2, random_state=0).fit(_xy()[0]), path, compress=("gzip", 3))


def sk_text_bz2(path: Path) -> None:
    import joblib
    from sklearn.feature_extraction.text import TfidfVectorizer
    from sklearn.naive_bayes import MultinomialNB
    from sklearn.pipeline import make_pipeline

    docs = ["good model", "bad model", "safe tensors", "unsafe pickle"] * 5
    joblib.dump(
        make_pipeline(TfidfVectorizer(), MultinomialNB()).fit(docs, [1, 0, 1, 0] * 5), path, compress=("bz2", 3)
    )


def sk_mlp_lzma(path: Path) -> None:
    import joblib
    from sklearn.neural_network import MLPClassifier

    model = MLPClassifier(hidden_layer_sizes=(5,), max_iter=50, random_state=0)
    import warnings

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        model.fit(*_xy())
    joblib.dump(model, path, compress=("lzma", 3))


def sk_regressor_xz(path: Path) -> None:
    import joblib
    from sklearn.ensemble import GradientBoostingRegressor

    x, y = _xy()
    joblib.dump(GradientBoostingRegressor(n_estimators=5).fit(x, y.astype(float)), path, compress=("xz", 3))


def sk_isolation_forest_p5(path: Path) -> None:
    from sklearn.ensemble import IsolationForest

    _pickle_to(IsolationForest(n_estimators=5, random_state=0).fit(_xy()[0]), path, protocol=5)


def sk_hist_gb_pipeline(path: Path) -> None:
    import joblib
    import numpy as np
    from sklearn.ensemble import HistGradientBoostingClassifier
    from sklearn.impute import SimpleImputer
    from sklearn.pipeline import make_pipeline

    x, y = _xy()
    x[::7, 1] = np.nan
    model = make_pipeline(SimpleImputer(strategy="median"), HistGradientBoostingClassifier(max_iter=5))
    joblib.dump(model.fit(x, y), path, compress=3)


# --- numpy / pandas ---------------------------------------------------------------------------------------------------
def np_float(path: Path) -> None:
    import numpy as np

    np.save(path, _rng().normal(size=(16, 8)).astype(np.float32))


def np_structured(path: Path) -> None:
    import numpy as np

    data = np.array([(1, 0.5, b"ab"), (2, 1.5, b"cd")], dtype=[("id", "<i4"), ("score", "<f8"), ("tag", "S2")])
    np.save(path, data)


def np_npz(path: Path) -> None:
    import numpy as np

    np.savez(path, weights=np.ones((4, 4)), bias=np.zeros(4), steps=np.arange(10))


def np_npz_compressed(path: Path) -> None:
    import numpy as np

    np.savez_compressed(path, embeddings=_rng().normal(size=(32, 16)), ids=np.arange(32))


def np_object_strings(path: Path) -> None:
    import numpy as np

    np.save(path, np.array(["alpha", "beta", None, 3], dtype=object), allow_pickle=True)


def _frame() -> Any:
    import pandas as pd

    return pd.DataFrame(
        {
            "ts": pd.date_range("2024-01-01", periods=6, freq="h"),
            "label": pd.Categorical(["a", "b", "a", "c", "b", "a"]),
            "value": [0.1, 0.2, 0.3, 0.4, 0.5, 0.6],
            "text": ["x", "y", "z", "u", "v", "w"],
        }
    )


def pd_pickle(path: Path) -> None:
    _frame().to_pickle(path)


def pd_pickle_gz(path: Path) -> None:
    _frame().to_pickle(path, compression="gzip")


def pd_multiindex(path: Path) -> None:
    import pandas as pd

    index = pd.MultiIndex.from_product([["train", "test"], [1, 2, 3]], names=["split", "fold"])
    frame = pd.DataFrame({"auc": [0.9, 0.8, 0.85, 0.7, 0.75, 0.72], "notes": ["a", None, "c", "d", "e", "f"]},
                         index=index)  # fmt: skip
    frame.to_pickle(path, protocol=5)


def pd_series_bz2(path: Path) -> None:
    import pandas as pd

    pd.Series([1.0, 2.0, 3.0], index=["a", "b", "c"], name="s").to_pickle(path, compression="bz2")


# --- onnx / safetensors / keras / gguf / hf ---------------------------------------------------------------------------
def onnx_inline(path: Path) -> None:
    path.write_bytes(onnx_linear())


def onnx_external(path: Path) -> None:
    import onnx

    model = onnx.load_from_string(onnx_linear())
    onnx.save_model(
        model,
        str(path),
        save_as_external_data=True,
        all_tensors_to_one_file=True,
        location=path.name + ".data",
        size_threshold=0,
    )


def st_torch(path: Path) -> None:
    from safetensors.torch import save_file

    save_file({k: v.contiguous() for k, v in _mlp().state_dict().items()}, str(path), metadata={"format": "pt"})


def st_numpy(path: Path) -> None:
    from safetensors.numpy import save_file

    save_file({"embedding": _rng().normal(size=(8, 4)).astype("float32")}, str(path))


def keras_v3_dense(path: Path) -> None:
    layers = [input_layer(4), dense_layer("dense", 8), dense_layer("dense_1", 2, "softmax")]
    path.write_bytes(keras_archive(sequential(layers), ["dense", "dense_1"]))


def keras_h5_dense(path: Path) -> None:
    dense = {"class_name": "Dense", "config": {"name": "dense", "units": 2, "activation": "relu"}}
    model = {
        "class_name": "Sequential",
        "config": {
            "name": "sequential",
            "layers": [
                {"class_name": "InputLayer", "config": {"batch_input_shape": [None, 4], "name": "input_1"}},
                dense,
            ],
        },
    }
    path.write_bytes(keras_h5(model, ["dense"]))


def gguf_chatml(path: Path) -> None:
    path.write_bytes(gguf_file(CHATML, name="tiny-chatml"))


def gguf_llama2(path: Path) -> None:
    path.write_bytes(gguf_file(LLAMA2, name="tiny-llama2"))


TOOLS_TEMPLATE = (
    "{%- set ns = namespace(system='') -%}{%- for m in messages -%}{%- if m['role'] == 'system' -%}"
    "{%- set ns.system = m['content'] -%}{%- endif -%}{%- endfor -%}"
    "{%- if tools %}<|im_start|>system\n{{ ns.system }}\n# Tools\n{%- for tool in tools %}\n{{ tool | tojson }}"
    "{%- endfor %}<|im_end|>\n{%- endif %}{%- for m in messages if m['role'] != 'system' -%}"
    "<|im_start|>{{ m['role'] }}\n{{ m['content'] | trim }}{%- if m.tool_calls is defined %}"
    "{%- for call in m.tool_calls %}<tool_call>{{ call.function | tojson }}</tool_call>{%- endfor %}{%- endif %}"
    "<|im_end|>\n{%- if loop.last and add_generation_prompt %}<|im_start|>assistant\n{%- endif %}{%- endfor -%}"
)


def gguf_tools(path: Path) -> None:
    path.write_bytes(gguf_file(TOOLS_TEMPLATE, name="tiny-tools"))


def hf_tokenizer_config(path: Path) -> None:
    import json

    config = {"tokenizer_class": "PreTrainedTokenizerFast", "bos_token": "<s>", "eos_token": "</s>",
              "model_max_length": 2048, "chat_template": CHATML}  # fmt: skip
    path.write_text(json.dumps(config, indent=2))


def hf_config(path: Path) -> None:
    import json

    config = {
        "architectures": ["BertForMaskedLM"],
        "model_type": "bert",
        "hidden_size": 8,
        "num_attention_heads": 2,
        "num_hidden_layers": 1,
        "vocab_size": 30,
        "torch_dtype": "float32",
    }
    path.write_text(json.dumps(config, indent=2))


# --- plain Python pickles ---------------------------------------------------------------------------------------------
def py_dict_proto0(path: Path) -> None:
    _pickle_to({"lr": 0.01, "epochs": 10, "tags": ["a", "b"], "nested": {"x": (1, 2)}}, path, protocol=0)


def py_collections_p5(path: Path) -> None:
    value = OrderedDict(a=1, b={1, 2}, c=frozenset({3}), d=b"\x00\x01", e=complex(1, 2), f=None, g=True)
    _pickle_to(value, path, protocol=5)


def py_strings_about_danger(path: Path) -> None:
    notes = {
        "doc": "never call os.system or subprocess.Popen on user input",
        "code": "eval(x) is unsafe",
        "modules": ["os", "subprocess", "builtins.exec"],
        "cmd": "rm -rf / is dangerous",
    }
    _pickle_to(notes, path, protocol=4)


CASES: tuple[BenignCase, ...] = (
    BenignCase("torch_state_dict.pt", "pytorch-zip", "torch", torch_state_dict),
    BenignCase("torch_full_module.pt", "pytorch-zip", "torch", torch_full_module),
    BenignCase("torch_optimizer.pt", "pytorch-zip", "torch", torch_optimizer),
    BenignCase("torch_training_checkpoint.pth", "pytorch-zip", "torch", torch_training_checkpoint),
    BenignCase("torch_dtypes.pt", "pytorch-zip", "torch", torch_dtypes),
    BenignCase("torch_legacy.pth", "pytorch-legacy", "torch", torch_legacy),
    BenignCase("torchscript_scripted.pt", "torchscript", "torch", torchscript_scripted),
    BenignCase("torchscript_traced.pt", "torchscript", "torch", torchscript_traced),
    BenignCase("torch_with_numpy.pt", "pytorch-zip", "torch+numpy", torch_with_numpy),
    BenignCase("torch_sparse_quantized.pt", "pytorch-zip", "torch", torch_sparse_quantized),
    BenignCase("sklearn_logreg.pkl", "pickle", "scikit-learn", sk_logreg),
    BenignCase("sklearn_hist_gb_pipeline.joblib", "joblib-zlib", "scikit-learn+joblib", sk_hist_gb_pipeline),
    BenignCase("sklearn_forest.joblib", "joblib", "scikit-learn+joblib", sk_forest_joblib),
    BenignCase("sklearn_pipeline_svc.pkl", "pickle", "scikit-learn", sk_pipeline_svc),
    BenignCase("sklearn_column_pipeline.joblib", "joblib", "scikit-learn+joblib", sk_column_transformer(0)),
    BenignCase(
        "sklearn_column_pipeline_zlib.joblib", "joblib-zlib", "scikit-learn+joblib", sk_column_transformer(("zlib", 3))
    ),
    BenignCase("sklearn_kmeans_gzip.joblib", "joblib-gzip", "scikit-learn+joblib", sk_kmeans_gzip),
    BenignCase("sklearn_text_bz2.joblib", "joblib-bz2", "scikit-learn+joblib", sk_text_bz2),
    BenignCase("sklearn_mlp_lzma.joblib", "joblib-lzma", "scikit-learn+joblib", sk_mlp_lzma),
    BenignCase("sklearn_regressor_xz.joblib", "joblib-xz", "scikit-learn+joblib", sk_regressor_xz),
    BenignCase("sklearn_isolation_forest_p5.pkl", "pickle", "scikit-learn", sk_isolation_forest_p5),
    BenignCase("numpy_float.npy", "numpy", "numpy", np_float),
    BenignCase("numpy_structured.npy", "numpy", "numpy", np_structured),
    BenignCase("numpy_arrays.npz", "numpy", "numpy", np_npz),
    BenignCase("numpy_compressed.npz", "numpy", "numpy", np_npz_compressed),
    BenignCase("numpy_object_strings.npy", "numpy", "numpy", np_object_strings),
    BenignCase("pandas_frame.pkl", "pickle", "pandas", pd_pickle),
    BenignCase("pandas_multiindex.pkl", "pickle", "pandas", pd_multiindex),
    BenignCase("pandas_frame.pkl.gz", "pickle-gzip", "pandas", pd_pickle_gz),
    BenignCase("pandas_series.pkl.bz2", "pickle-bz2", "pandas", pd_series_bz2),
    BenignCase("onnx_linear.onnx", "onnx", "onnx", onnx_inline),
    BenignCase("onnx_external/model.onnx", "onnx", "onnx", onnx_external),
    BenignCase("safetensors_torch.safetensors", "safetensors", "safetensors+torch", st_torch),
    BenignCase("safetensors_numpy.safetensors", "safetensors", "safetensors+numpy", st_numpy),
    BenignCase("keras_dense.keras", "keras-v3", "zipfile+h5py (Keras v3 layout)", keras_v3_dense),
    BenignCase("keras_dense.h5", "keras-h5", "h5py (Keras 2 layout)", keras_h5_dense),
    BenignCase("gguf_chatml.gguf", "gguf", "struct (GGUF v3 spec)", gguf_chatml),
    BenignCase("gguf_llama2.gguf", "gguf", "struct (GGUF v3 spec)", gguf_llama2),
    BenignCase("gguf_tools.gguf", "gguf", "struct (GGUF v3 spec)", gguf_tools),
    BenignCase("hf_bert/config.json", "hf-config", "json (transformers layout)", hf_config),
    BenignCase("hf_bert/tokenizer_config.json", "hf-config", "json (transformers layout)", hf_tokenizer_config),
    BenignCase("python_dict_proto0.pkl", "pickle", "pickle", py_dict_proto0),
    BenignCase("python_collections_p5.pkl", "pickle", "pickle", py_collections_p5),
    BenignCase("python_strings_about_danger.pkl", "pickle", "pickle", py_strings_about_danger),
)
