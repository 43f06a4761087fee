"""Format by content: magic numbers and bounded structure checks on the first bytes of a file.

The extension never decides a binary format (a pickle renamed ``model.txt`` is still a pickle); it
only breaks ties where bytes cannot: ONNX versus other protobuf, ``saved_model.pb``, and the text
formats (see ``textsniff``). Nothing here executes, imports or fully parses the content.

Containers are sniffed from the local headers visible in ``head``; the walker refines zip and tar
formats from the full member list (``zip_format`` / ``tar_format``), because a head only shows the
first members.
"""

from __future__ import annotations

import lzma
import re
import struct
import zlib
from collections.abc import Iterable, Sequence

from mlwarden.artifacts.formats import Format
from mlwarden.artifacts.headparse import ProtoField, parse_pickle_head, parse_proto_fields
from mlwarden.artifacts.textsniff import sniff_text

__all__ = [
    "HEAD_BYTES",
    "TORCH_LEGACY_MAGIC",
    "is_executable",
    "is_lzma_alone",
    "is_tar",
    "sniff",
    "tar_format",
    "zf_offset",
    "zip_format",
]

HEAD_BYTES = 64 * 1024
TORCH_LEGACY_MAGIC = 0x1950A86A20F9469CFC6C

_HDF5 = b"\x89HDF\r\n\x1a\n"
_XZ = b"\xfd7zXZ\x00"
_BZ2_BLOCKS = (b"1AY&SY", b"\x17rE8P\x90")
_TORCH_ZIP_MARKERS = ("data.pkl", "byteorder", ".data/version", "constants.pkl", "version")
_KERAS_ONLY = frozenset({"config.json", "model.weights.npz", "variables.h5"})
_TORCH_TAR_MEMBERS = frozenset({"sys_info", "pickle", "storages", "tensors"})
_ONNX_FIELDS = {1: 0, 2: 2, 3: 2, 4: 2, 5: 0, 6: 2, 7: 2, 8: 2, 14: 2, 20: 2, 25: 2, 26: 2}
_SAVEDMODEL_FIELDS = {1: 0, 2: 2}
_GRAPHDEF_FIELDS = {1: 2, 2: 2, 3: 0, 4: 2}
# The tag byte of every ONNX and SavedModel top-level field (number << 3 | wire type, one byte).
_PROTO_FIRST_BYTES = frozenset({0x08, 0x0A, 0x12, 0x1A, 0x22, 0x28, 0x32, 0x3A, 0x42, 0x72, 0xA2, 0xCA, 0xD2})
_PICKLE_MIN_OPCODES = 16
_BROKEN_MIN_OPCODES = 8
_SEVEN_ZIP = b"7z\xbc\xaf\x27\x1c"
_LZMA_ALONE_MAX_SIZE = 1 << 48  # a declared uncompressed size above this is not a real .lzma file


def zip_format(names: Iterable[str]) -> Format:
    """Which zip-based format a list of member names makes: PyTorch, npz, Keras v3 or a generic zip.

    PyTorch: every member under one top folder (any name: torch uses the file stem or ``archive``)
    and a ``data.pkl``/``byteorder``/``version`` marker there. npz: only ``*.npy`` members. Keras v3:
    ``config.json`` with ``metadata.json`` or ``model.weights.h5`` at the top.
    """
    listed = [name for name in names if not name.endswith("/")]
    if not listed:
        return Format.ZIP
    roots = {name.split("/", 1)[0] for name in listed}
    if len(roots) == 1 and all("/" in name for name in listed):
        inner = {name.split("/", 1)[1] for name in listed}
        if inner.intersection(_TORCH_ZIP_MARKERS) - {"version"}:
            return Format.PYTORCH_ZIP
    if all(name.endswith(".npy") for name in listed):
        return Format.NUMPY_NPZ
    top = set(listed)
    if "[Content_Types].xml" in top and any(name.startswith("xl/") for name in listed):
        return Format.EXCEL  # an Office Open XML workbook (.xlsx/.xlsm): a dataset, not an archive to expand
    if "config.json" in top and (top.intersection({"metadata.json", "model.weights.h5"}) or top <= _KERAS_ONLY):
        return Format.KERAS_V3  # keras.saving deserializes config.json before it looks for the weights
    return Format.ZIP


def tar_format(names: Sequence[str]) -> Format:
    """PyTorch's pre-1.6 tar layout (only ``sys_info``/``pickle``/``storages``/``tensors``) or a tar."""
    if names and "pickle" in names and set(names) <= _TORCH_TAR_MEMBERS:
        return Format.PYTORCH_LEGACY
    return Format.TAR


def _zip_head_names(head: bytes) -> list[str]:
    """Member names from the local headers visible in ``head`` (stops at a data descriptor)."""
    names: list[str] = []
    pos = 0
    while head.startswith(b"PK\x03\x04", pos) and pos + 30 <= len(head) and len(names) < 64:
        flags, csize, nlen, xlen = struct.unpack_from("<2xH10xI4xHH", head, pos + 4)
        names.append(head[pos + 30 : pos + 30 + nlen].decode("utf-8", "replace"))
        if flags & 0x08 and csize == 0:
            break
        pos += 30 + nlen + xlen + csize
    return names


def _tar_checksum_ok(block: bytes) -> bool:
    if len(block) < 512 or not block[0]:
        return False
    field = block[148:156].split(b"\x00", 1)[0].strip()
    try:
        stored = int(field or b"x", 8)
    except ValueError:
        return False
    return stored == sum(block[:148]) + 256 + sum(block[156:512])


def _tar_head_names(head: bytes) -> list[str]:
    names: list[str] = []
    pos = 0
    while pos + 512 <= len(head) and _tar_checksum_ok(head[pos : pos + 512]) and len(names) < 64:
        names.append(head[pos : pos + 100].split(b"\x00", 1)[0].decode("utf-8", "replace"))
        size_field = head[pos + 124 : pos + 136].split(b"\x00", 1)[0].strip() or b"0"
        try:
            size = int(size_field, 8)
        except ValueError:
            break
        pos += 512 + (size + 511) // 512 * 512
    return names


def is_tar(head: bytes) -> bool:
    """Whether ``head`` starts with a tar header (ustar magic or a valid v7 checksum)."""
    return head[257:262] == b"ustar" or _tar_checksum_ok(head[:512])


def _pickle_format(head: bytes, *, truncated: bool) -> Format | None:
    """PICKLE, PYTORCH_LEGACY or JOBLIB when the head parses as pickle opcodes (nothing is executed).

    joblib writes raw array bytes *inside* the pickle stream, right after its ``NumpyArrayWrapper``
    object, so a joblib file is accepted on a valid binary-protocol prefix plus that class name.
    """
    if not head or (head[0] == 0x80 and not (len(head) > 1 and head[1] <= 5)):
        return None  # PROTO 0 and 1 are legal too: loaders accept any protocol up to their highest
    parsed = parse_pickle_head(head)
    if parsed.protocol is not None and parsed.opcodes >= 8 and b"joblib.numpy_pickle" in head:
        return Format.JOBLIB
    if not parsed.valid or not (parsed.complete or truncated):
        # nullifAI: a PROTO header and a run of valid opcodes, then a deliberately broken opcode or the end
        # of the file. A loader executes everything before the break, so the file is a pickle regardless.
        if parsed.protocol is not None and parsed.opcodes >= _BROKEN_MIN_OPCODES:
            return Format.PICKLE
        if not parsed.valid:
            return None
    enough = _PICKLE_MIN_OPCODES if parsed.protocol is None else 3
    if not parsed.complete and not (truncated and parsed.cut and parsed.opcodes >= enough):
        return None
    if parsed.first_name in ("LONG1", "LONG4", "LONG", "INT") and parsed.first_arg == TORCH_LEGACY_MAGIC:
        return Format.PYTORCH_LEGACY
    return Format.PICKLE


def _protobuf_format(head: bytes, *, name: str, truncated: bool) -> Format | None:
    """ONNX, a SavedModel or a frozen TensorFlow GraphDef, from the top-level protobuf fields.

    Serializers write fields in number order, but parsers accept any order: a model whose ``ir_version``
    comes last still loads, so a first field other than 1 is accepted when the other fields make the
    type plain (an ONNX graph and opset list, or the ``.onnx`` name).
    """
    if not head or head[0] not in _PROTO_FIRST_BYTES:
        return None
    fields = parse_proto_fields(head, truncated=truncated)
    if not fields:
        return None
    base = name.replace("\\", "/").rsplit("/", 1)[-1].lower()
    if base == "saved_model.pb" and all(_SAVEDMODEL_FIELDS.get(f.number) == f.wire_type for f in fields):
        return Format.TF_SAVEDMODEL
    if base.endswith(".pb") and fields[0].number == 1 and _is_graph_def(fields):
        return Format.TF_SAVEDMODEL  # a frozen GraphDef: tf.compat.v1.import_graph_def runs the same ops
    return Format.ONNX if _is_onnx(fields, onnx_name=base.endswith(".onnx")) else None


def _is_onnx(fields: list[ProtoField], *, onnx_name: bool) -> bool:
    """ModelProto fields only, a plausible ir_version, and a graph or opset list (or the .onnx name)."""
    if not all(_ONNX_FIELDS.get(f.number) == f.wire_type for f in fields):
        return False
    if any(f.number == 1 and not 1 <= f.value <= 64 for f in fields):
        return False
    numbers = {f.number for f in fields}
    if fields[0].number == 1:
        return bool(numbers & {7, 8}) or onnx_name
    return numbers >= {7, 8} or (onnx_name and bool(numbers & {7, 8}))


_OP_FIELD = re.compile(rb'(?m)^[ \t]*op:[ \t]*"')


def _graph_text(head: bytes, name: str) -> bool:
    """A text-format SavedModel or GraphDef (``saved_model.pbtxt``, which TensorFlow loads when no .pb exists)."""
    return name.lower().endswith(".pbtxt") and _OP_FIELD.search(head) is not None


def _is_graph_def(fields: list[ProtoField]) -> bool:
    """GraphDef: node (1) messages first, then library (2), versions (4) or the old version int (3)."""
    return all(_GRAPHDEF_FIELDS.get(f.number) == f.wire_type for f in fields) and fields[0].wire_type == 2


def _safetensors(head: bytes, size: int) -> bool:
    if len(head) < 10 or head[8:9] != b"{":
        return False
    length: int = struct.unpack_from("<Q", head)[0]
    return 2 <= length <= size - 8


_MACHO = (b"\xfe\xed\xfa\xce", b"\xfe\xed\xfa\xcf", b"\xce\xfa\xed\xfe", b"\xcf\xfa\xed\xfe")


def is_executable(head: bytes) -> bool:
    """A native program header: PE (``MZ`` whose ``e_lfanew`` points at ``PE\\0\\0``), ELF or Mach-O.

    Two bytes of ``MZ`` alone appear by chance at the start of raw weight files, so a PE needs its
    second header too; ELF needs a valid class, byte order and version.
    """
    if head.startswith(b"MZ") and len(head) >= 64:
        pe: int = struct.unpack_from("<I", head, 0x3C)[0]
        return head.startswith(b"PE\x00\x00", pe) if 64 <= pe <= len(head) - 4 else False
    if head.startswith(b"\x7fELF") and len(head) >= 7:
        return head[4] in (1, 2) and head[5] in (1, 2) and head[6] == 1
    return head.startswith(_MACHO)


def _hdf5_user_block(head: bytes) -> bool:
    offset = 512
    while offset + 8 <= len(head):
        if head.startswith(_HDF5, offset):
            return True
        offset *= 2
    return False


def _magic(head: bytes, *, size: int, truncated: bool) -> Format | None:
    """Formats with an unambiguous signature at a fixed offset."""
    if head.startswith((b"PK\x03\x04", b"PK\x05\x06", b"PK\x07\x08")):
        return zip_format(_zip_head_names(head))
    table: tuple[tuple[bool, Format], ...] = (
        (head.startswith(b"\x93NUMPY"), Format.NUMPY),
        (head.startswith(_HDF5), Format.HDF5),
        (head.startswith(b"GGUF") and len(head) >= 8, Format.GGUF),
        (head.startswith(b"PAR1") and (truncated or head.endswith(b"PAR1")) and size >= 8, Format.PARQUET),
        (head.startswith(b"\x1f\x8b\x08"), Format.GZIP),
        (
            head.startswith(b"BZh") and head[3:4] in b"123456789" and head[4:10] in (b"1AY&SY", b"\x17rE8P\x90"),
            Format.BZIP2,
        ),
        (head.startswith(_SEVEN_ZIP) and len(head) >= 32, Format.SEVEN_ZIP),
        (head.startswith(_XZ) or is_lzma_alone(head), Format.XZ),  # .xz and legacy .lzma: one lzma reader
        (zf_offset(head) > 0, Format.ZLIB),
    )
    return next((fmt for ok, fmt in table if ok), None)


def is_lzma_alone(head: bytes) -> bool:
    """A legacy ``.lzma`` ("LZMA alone", ``lzma.FORMAT_ALONE``) header that really decodes.

    The 13-byte header has no magic: a properties byte (lc/lp/pb, below 225), a little-endian
    dictionary size and an 8-byte uncompressed size (all ones when unknown). Those are checked first,
    then at most 4 KiB of input must decode to some output without error (bounded work).
    """
    if len(head) < 14 or head[0] >= 225 or head[13] != 0:  # the range coder's first byte is always 0
        return False
    dict_size, size = struct.unpack_from("<IQ", head, 1)
    low = dict_size & -dict_size  # liblzma writes 2^n or 2^n + 2^(n-1)
    if dict_size < 4096 or dict_size > 1 << 30 or dict_size not in (low, low * 3):
        return False
    if size != (1 << 64) - 1 and size > _LZMA_ALONE_MAX_SIZE:
        return False
    try:
        return bool(lzma.LZMADecompressor(lzma.FORMAT_ALONE).decompress(head[:4096], 64))
    except lzma.LZMAError:
        return False


def zf_offset(head: bytes) -> int:
    """Where the zlib stream starts in joblib's old ``ZF`` framing (a padded hex length first), or -1."""
    if not head.startswith(b"ZF"):
        return -1
    for pos in range(2, min(len(head) - 1, 40)):
        if head[pos] == 0x78 and (head[pos] * 256 + head[pos + 1]) % 31 == 0:
            return pos
    return -1


def _inflates(head: bytes) -> bool:
    """A weak zlib check: a valid two-byte header and a stream that really produces bytes."""
    if len(head) < 3 or head[0] != 0x78 or head[1] not in (0x01, 0x5E, 0x9C, 0xDA):
        return False
    if (head[0] * 256 + head[1]) % 31:
        return False
    try:
        return bool(zlib.decompressobj().decompress(head[:4096], 64))
    except zlib.error:
        return False


def sniff(head: bytes, *, name: str, size: int) -> Format:
    """The format of a file whose first bytes are ``head`` (up to ``HEAD_BYTES``) and length ``size``.

    ``name`` is only a tiebreak (protobuf flavours and text formats). Never raises on any input.
    """
    if size == 0 or not head:
        return Format.EMPTY
    truncated = size > len(head)
    found = _magic(head, size=size, truncated=truncated)
    if found is None and is_tar(head):
        found = tar_format(_tar_head_names(head))
    if found is None and _safetensors(head, size):
        found = Format.SAFETENSORS
    if found is None:
        found = _pickle_format(head, truncated=truncated) or _protobuf_format(head, name=name, truncated=truncated)
    if found is None and is_executable(head):
        found = Format.EXECUTABLE  # after the pickle check: a PE/pickle polyglot that unpickles is a pickle
    if found is None and _hdf5_user_block(head):
        found = Format.HDF5
    if found is None and _graph_text(head, name):
        found = Format.TF_SAVEDMODEL
    if found is None:
        found = sniff_text(head, name=name, truncated=truncated)
    if found is None and _inflates(head):
        found = Format.ZLIB
    return found or Format.BINARY
