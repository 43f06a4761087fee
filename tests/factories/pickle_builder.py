"""An opcode-level pickle builder for crafting hostile and odd pickles inside tests.

Our own code (fickling's idea, not its implementation): every method appends one opcode with a
correctly encoded argument, so a test spells out exactly the stream it means. Nothing here loads a
pickle; the tests only scan what they build.
"""

from __future__ import annotations

import struct


class PickleBuilder:
    """Append opcodes with ``.op(...)`` style methods, then take ``.data``."""

    def __init__(self, protocol: int | None = 4) -> None:
        self._out = bytearray()
        if protocol is not None and protocol >= 2:
            self.raw(b"\x80" + bytes([protocol]))

    @property
    def data(self) -> bytes:
        """The bytes built so far."""
        return bytes(self._out)

    def raw(self, chunk: bytes) -> PickleBuilder:
        """Append raw bytes (for garbage, broken opcodes or inline payloads)."""
        self._out += chunk
        return self

    # --- literals -------------------------------------------------------------------------
    def unicode(self, text: str) -> PickleBuilder:
        """SHORT_BINUNICODE / BINUNICODE, by length."""
        data = text.encode("utf-8", "surrogatepass")
        if len(data) < 256:
            return self.raw(b"\x8c" + bytes([len(data)]) + data)
        return self.raw(b"X" + struct.pack("<I", len(data)) + data)

    def unicode8(self, text: str) -> PickleBuilder:
        """BINUNICODE8."""
        data = text.encode("utf-8")
        return self.raw(b"\x8d" + struct.pack("<Q", len(data)) + data)

    def unicode_nl(self, text: str) -> PickleBuilder:
        """Protocol 0 UNICODE (raw-unicode-escape, newline-terminated)."""
        return self.raw(b"V" + text.encode("raw-unicode-escape") + b"\n")

    def string_nl(self, text: str) -> PickleBuilder:
        """Protocol 0 STRING (quoted repr)."""
        return self.raw(b"S" + repr(text).encode("ascii") + b"\n")

    def short_binstring(self, text: str) -> PickleBuilder:
        """SHORT_BINSTRING (latin-1 bytes)."""
        data = text.encode("latin-1")
        return self.raw(b"U" + bytes([len(data)]) + data)

    def binbytes(self, data: bytes) -> PickleBuilder:
        """SHORT_BINBYTES / BINBYTES, by length."""
        if len(data) < 256:
            return self.raw(b"C" + bytes([len(data)]) + data)
        return self.raw(b"B" + struct.pack("<I", len(data)) + data)

    def binbytes8_header(self, length: int) -> PickleBuilder:
        """BINBYTES8 with a declared length but no payload (for lying-length tests)."""
        return self.raw(b"\x8e" + struct.pack("<Q", length))

    def bytearray8(self, data: bytes) -> PickleBuilder:
        """BYTEARRAY8."""
        return self.raw(b"\x96" + struct.pack("<Q", len(data)) + data)

    def int_(self, value: int) -> PickleBuilder:
        """BININT1 / BININT."""
        if 0 <= value < 256:
            return self.raw(b"K" + bytes([value]))
        return self.raw(b"J" + struct.pack("<i", value))

    def none(self) -> PickleBuilder:
        """NONE."""
        return self.raw(b"N")

    def newtrue(self) -> PickleBuilder:
        """NEWTRUE."""
        return self.raw(b"\x88")

    def newfalse(self) -> PickleBuilder:
        """NEWFALSE."""
        return self.raw(b"\x89")

    # --- structure ------------------------------------------------------------------------
    def mark(self) -> PickleBuilder:
        """MARK."""
        return self.raw(b"(")

    def tuple_(self, n: int | None = None) -> PickleBuilder:
        """TUPLE1/2/3 for n <= 3, EMPTY_TUPLE for 0, TUPLE (after a MARK) for None."""
        codes = {0: b")", 1: b"\x85", 2: b"\x86", 3: b"\x87"}
        return self.raw(b"t" if n is None else codes[n])

    def empty_dict(self) -> PickleBuilder:
        """EMPTY_DICT."""
        return self.raw(b"}")

    def empty_list(self) -> PickleBuilder:
        """EMPTY_LIST."""
        return self.raw(b"]")

    def append(self) -> PickleBuilder:
        """APPEND."""
        return self.raw(b"a")

    def setitem(self) -> PickleBuilder:
        """SETITEM."""
        return self.raw(b"s")

    def setitems(self) -> PickleBuilder:
        """SETITEMS (after a MARK)."""
        return self.raw(b"u")

    def pop(self) -> PickleBuilder:
        """POP."""
        return self.raw(b"0")

    def memoize(self) -> PickleBuilder:
        """MEMOIZE."""
        return self.raw(b"\x94")

    def put(self, index: int) -> PickleBuilder:
        """BINPUT / LONG_BINPUT."""
        if index < 256:
            return self.raw(b"q" + bytes([index]))
        return self.raw(b"r" + struct.pack("<I", index))

    def put_nl(self, index: int) -> PickleBuilder:
        """Protocol 0 PUT."""
        return self.raw(b"p" + str(index).encode() + b"\n")

    def get(self, index: int) -> PickleBuilder:
        """BINGET / LONG_BINGET."""
        if index < 256:
            return self.raw(b"h" + bytes([index]))
        return self.raw(b"j" + struct.pack("<I", index))

    def get_nl(self, index: int) -> PickleBuilder:
        """Protocol 0 GET."""
        return self.raw(b"g" + str(index).encode() + b"\n")

    # --- imports and calls ----------------------------------------------------------------
    def global_(self, module: str, name: str) -> PickleBuilder:
        """GLOBAL (protocol 0 text form)."""
        return self.raw(b"c" + module.encode() + b"\n" + name.encode() + b"\n")

    def stack_global(self, module: str | None = None, name: str | None = None) -> PickleBuilder:
        """STACK_GLOBAL, pushing ``module`` and ``name`` first when given."""
        if module is not None:
            self.unicode(module)
        if name is not None:
            self.unicode(name)
        return self.raw(b"\x93")

    def inst(self, module: str, name: str) -> PickleBuilder:
        """INST (after a MARK and the arguments)."""
        return self.raw(b"i" + module.encode() + b"\n" + name.encode() + b"\n")

    def obj(self) -> PickleBuilder:
        """OBJ (after a MARK, the class and the arguments)."""
        return self.raw(b"o")

    def ext1(self, code: int) -> PickleBuilder:
        """EXT1."""
        return self.raw(b"\x82" + bytes([code]))

    def ext2(self, code: int) -> PickleBuilder:
        """EXT2."""
        return self.raw(b"\x83" + struct.pack("<H", code))

    def ext4(self, code: int) -> PickleBuilder:
        """EXT4."""
        return self.raw(b"\x84" + struct.pack("<i", code))

    def reduce(self) -> PickleBuilder:
        """REDUCE."""
        return self.raw(b"R")

    def newobj(self) -> PickleBuilder:
        """NEWOBJ."""
        return self.raw(b"\x81")

    def newobj_ex(self) -> PickleBuilder:
        """NEWOBJ_EX."""
        return self.raw(b"\x92")

    def build(self) -> PickleBuilder:
        """BUILD."""
        return self.raw(b"b")

    def binpersid(self) -> PickleBuilder:
        """BINPERSID."""
        return self.raw(b"Q")

    def frame(self, length: int) -> PickleBuilder:
        """FRAME with a declared length."""
        return self.raw(b"\x95" + struct.pack("<Q", length))

    def stop(self) -> PickleBuilder:
        """STOP."""
        return self.raw(b".")

    # --- shortcuts ------------------------------------------------------------------------
    def call(self, module: str, name: str, *args: str) -> PickleBuilder:
        """``module.name(*args)`` with string arguments through STACK_GLOBAL + REDUCE."""
        self.stack_global(module, name)
        for arg in args:
            self.unicode(arg)
        return self.tuple_(len(args)).reduce()

    def call_global(self, module: str, name: str, *args: str) -> PickleBuilder:
        """``module.name(*args)`` through the protocol 0 GLOBAL + MARK + TUPLE + REDUCE."""
        self.global_(module, name).mark()
        for arg in args:
            self.string_nl(arg)
        return self.tuple_().reduce()
