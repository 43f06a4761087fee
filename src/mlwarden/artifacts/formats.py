"""The artifact formats mlwarden recognises, named by what the bytes are, never by file extension."""

from __future__ import annotations

from enum import StrEnum

__all__ = ["ARCHIVE_FORMATS", "MODEL_FORMATS", "TEXT_FORMATS", "Format"]


class Format(StrEnum):
    """A sniffed content type. Scanners declare which of these they read."""

    # Model serialisation formats.
    PICKLE = "pickle"
    PYTORCH_ZIP = "pytorch-zip"
    PYTORCH_LEGACY = "pytorch-legacy"
    JOBLIB = "joblib"
    NUMPY = "numpy"
    NUMPY_NPZ = "numpy-npz"
    HDF5 = "hdf5"
    KERAS_V3 = "keras-v3"
    SAFETENSORS = "safetensors"
    GGUF = "gguf"
    ONNX = "onnx"
    TF_SAVEDMODEL = "tf-savedmodel"
    # Generic containers, expanded by the walker into member artifacts.
    ZIP = "zip"
    TAR = "tar"
    GZIP = "gzip"
    BZIP2 = "bzip2"
    XZ = "xz"
    ZLIB = "zlib"
    SEVEN_ZIP = "7z"
    # Text and structured data.
    NOTEBOOK = "notebook"
    PYTHON = "python"
    JSON = "json"
    JSONL = "jsonl"
    YAML = "yaml"
    TOML = "toml"
    INI = "ini"
    DOTENV = "dotenv"
    CSV = "csv"
    TSV = "tsv"
    PARQUET = "parquet"
    EXCEL = "excel"
    REQUIREMENTS = "requirements"
    DOCKERFILE = "dockerfile"
    TEXT = "text"
    # Everything else.
    EXECUTABLE = "executable"  # a native program (PE, ELF, Mach-O); its appended zip, if any, is read instead
    BINARY = "binary"
    EMPTY = "empty"


MODEL_FORMATS = frozenset(
    {
        Format.PICKLE,
        Format.PYTORCH_ZIP,
        Format.PYTORCH_LEGACY,
        Format.JOBLIB,
        Format.NUMPY,
        Format.NUMPY_NPZ,
        Format.HDF5,
        Format.KERAS_V3,
        Format.SAFETENSORS,
        Format.GGUF,
        Format.ONNX,
        Format.TF_SAVEDMODEL,
    }
)

ARCHIVE_FORMATS = frozenset(
    {Format.ZIP, Format.TAR, Format.GZIP, Format.BZIP2, Format.XZ, Format.ZLIB, Format.SEVEN_ZIP}
)

TEXT_FORMATS = frozenset(
    {
        Format.NOTEBOOK,
        Format.PYTHON,
        Format.JSON,
        Format.JSONL,
        Format.YAML,
        Format.TOML,
        Format.INI,
        Format.DOTENV,
        Format.CSV,
        Format.TSV,
        Format.REQUIREMENTS,
        Format.DOCKERFILE,
        Format.TEXT,
    }
)
