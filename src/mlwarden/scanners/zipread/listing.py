"""A zip reader for hostile archives that sees every member any real loader could see.

``zipfile``-based scanners have been bypassed because it is stricter than the loaders that matter:
PyTorch reads with miniz built without CRC checks (pytorch/pytorch#28858), ignores the local header's
name and flags and locates names case-insensitively, so a bad CRC or an odd local flag makes
``zipfile`` raise while ``torch.load`` runs the pickle (picklescan GHSA-w8jq-xcqf-f792,
GHSA-7q5r-7gvp-wc82). ``zipfile`` keeps the last duplicate and shifts offsets when bytes are
prepended; miniz does not; streaming unzippers walk local headers the directory never lists. So this
reader reads every end record's directory, compares local headers with it, probes unaccounted bytes
for local headers, reports CRC mismatches instead of refusing, and streams members with bounded output.
"""

from __future__ import annotations

import io
import struct
from collections import Counter
from dataclasses import dataclass, field, replace
from typing import BinaryIO

from mlwarden.artifacts.limits import Budget, Deadline

__all__ = ["LOCAL_SIG", "Window", "ZipEntry", "ZipIssue", "ZipListing", "ZipReadError", "read_listing"]

LOCAL_SIG = b"PK\x03\x04"
_CENTRAL_SIG = b"PK\x01\x02"
_EOCD_SIG = b"PK\x05\x06"
_EOCD64_SIG = b"PK\x06\x06"
_LOC64_SIG = b"PK\x06\x07"
_TAIL = 22 + 0xFFFF + 20
_MAX_EOCD = 8
_GAP_PROBE = 1 << 20
_CHUNK = 1 << 16
_FLAG_ENCRYPTED = 0x1
_FLAG_DESCRIPTOR = 0x8
_FLAG_UTF8 = 0x800
_SAT32 = 0xFFFFFFFF


class ZipReadError(Exception):
    """The archive (or one member) cannot be read; the message says why."""


@dataclass(frozen=True, slots=True)
class ZipEntry:
    """One member candidate: from the central directory (``source="central"``) or a stray local header."""

    name: str
    method: int
    flags: int
    crc: int
    comp_size: int
    size: int
    header_offset: int
    data_offset: int
    source: str = "central"

    @property
    def is_dir(self) -> bool:
        """A directory entry (no data)."""
        return self.name.endswith("/")


@dataclass(frozen=True, slots=True)
class ZipIssue:
    """A structural anomaly; ``kind`` is one of duplicate, header-mismatch, zip64, prefix, hidden, gap,
    encrypted, malformed."""

    kind: str
    message: str
    member: str | None = None
    offset: int | None = None


@dataclass(slots=True)
class ZipListing:
    """Every member candidate, in central-directory order first, and the anomalies seen."""

    entries: list[ZipEntry] = field(default_factory=list)
    issues: list[ZipIssue] = field(default_factory=list)


@dataclass(frozen=True, slots=True)
class _Eocd:
    offset: int
    entries: int
    cd_size: int
    cd_offset: int


def read_listing(stream: BinaryIO, size: int, budget: Budget, deadline: Deadline) -> ZipListing:
    """List every member candidate of the zip in ``stream`` (``size`` bytes); raise ZipReadError if none."""
    lister = _Lister(stream, size, budget, deadline, ZipListing())
    return lister.run()


@dataclass(slots=True)
class _Lister:
    stream: BinaryIO
    size: int
    budget: Budget
    deadline: Deadline
    listing: ZipListing

    def issue(self, kind: str, message: str, member: str | None = None, offset: int | None = None) -> None:
        self.listing.issues.append(ZipIssue(kind, message, member, offset))

    def run(self) -> ZipListing:
        ends = self._find_eocds()
        if not ends:
            raise ZipReadError("no end-of-central-directory record")
        seen: set[tuple[str, int]] = set()
        for end in ends:
            for base in self._bases(end):
                for entry in self._central(end, base):
                    if (entry.name, entry.header_offset) not in seen:
                        seen.add((entry.name, entry.header_offset))
                        self.listing.entries.append(entry)
        if not self.listing.entries and all(end.entries for end in ends):
            raise ZipReadError("the central directory lists no readable member")
        _duplicates(self.listing)
        _hidden(self.stream, self.size, ends[0], self.listing)
        return self.listing

    def _find_eocds(self) -> list[_Eocd]:
        start = max(0, self.size - _TAIL)
        self.stream.seek(start)
        tail = self.stream.read(self.size - start)
        found: list[_Eocd] = []
        pos = len(tail)
        while len(found) < _MAX_EOCD and (pos := tail.rfind(_EOCD_SIG, 0, pos)) >= 0:
            if len(tail) - pos >= 22:
                found.append(self._parse_eocd(tail[pos : pos + 22], start + pos))
        distinct = {(e.cd_offset, e.cd_size, e.entries) for e in found}
        if len(distinct) > 1:
            self.issue("zip64", f"{len(distinct)} different end-of-central-directory records")
        return found

    def _parse_eocd(self, record: bytes, offset: int) -> _Eocd:
        _, disk, _, _, total, cd_size, cd_offset, _ = struct.unpack("<4s4H2LH", record)
        end = _Eocd(offset, total, cd_size, cd_offset)
        if disk not in (0, 0xFFFF):
            self.issue("zip64", f"multi-disk archive (disk {disk})")
        self.stream.seek(max(0, offset - 20))
        loc = self.stream.read(20)
        if offset < 20 or loc[:4] != _LOC64_SIG:
            if _SAT32 in (cd_size, cd_offset) or total == 0xFFFF:
                self.issue("zip64", "end record is saturated but no ZIP64 locator precedes it")
            return end
        (stated,) = struct.unpack("<Q", loc[8:16])
        # miniz follows the locator's offset; zipfile reads the record just before the locator.
        for eocd64_offset in dict.fromkeys((stated, max(0, offset - 76))):
            self.stream.seek(eocd64_offset)
            rec = self.stream.read(56)
            if len(rec) == 56 and rec[:4] == _EOCD64_SIG:
                break
        else:
            self.issue("zip64", "ZIP64 locator points at no ZIP64 end record", offset=stated)
            return end
        wide = struct.unpack("<3Q", rec[32:56])
        for narrow, value, what in zip(
            (total, cd_size, cd_offset), wide, ("entry count", "size", "offset"), strict=True
        ):
            if narrow not in (value, 0xFFFF, _SAT32):
                self.issue("zip64", f"ZIP64 central directory {what} {value} disagrees with {narrow}")
        return _Eocd(eocd64_offset, wide[0], wide[1], wide[2])

    def _bases(self, end: _Eocd) -> tuple[int, ...]:
        """Offsets are absolute for miniz; zipfile adds the bytes prepended before the central directory."""
        concat = end.offset - end.cd_size - end.cd_offset
        if concat <= 0:
            return (0,)
        self.issue("prefix", f"{concat} bytes precede the zip data; readers disagree on offsets")
        return (0, concat)

    def _central(self, end: _Eocd, base: int) -> list[ZipEntry]:
        self.budget.check("archive_members", end.entries, where="zip central directory")
        if end.cd_offset + base + end.cd_size > self.size:
            self.issue("malformed", "central directory runs past the end of the file")
            return []
        reader = io.BufferedReader(Window(self.stream, end.cd_offset + base, end.cd_size), _CHUNK)
        out: list[ZipEntry] = []
        while len(head := reader.read(46)) == 46 and head[:4] == _CENTRAL_SIG:
            if len(out) % 1024 == 0:
                self.deadline.check("zip central directory")
                self.budget.check("archive_members", len(out) + 1, where="zip central directory")
            fields = struct.unpack("<4s6H3L5H2L", head)
            raw_name = reader.read(fields[10])
            extra = reader.read(fields[11])
            reader.read(fields[12])
            name = raw_name.decode("utf-8" if fields[3] & _FLAG_UTF8 else "cp437", "replace")
            comp, usize, offset = _zip64_extra(extra, fields[8], fields[9], fields[16])
            entry = ZipEntry(name, fields[4], fields[3], fields[7], comp, usize, offset + base, -1)
            out.append(_with_local(self.stream, self.size, entry, self.listing))
        return out


def _zip64_extra(extra: bytes, comp: int, usize: int, offset: int) -> tuple[int, int, int]:
    pos = 0
    while pos + 4 <= len(extra):
        tag, length = struct.unpack("<2H", extra[pos : pos + 4])
        body = extra[pos + 4 : pos + 4 + length]
        if tag == 1:
            values = [v for (v,) in struct.iter_unpack("<Q", body[: len(body) // 8 * 8])]
            if usize == _SAT32 and values:
                usize = values.pop(0)
            if comp == _SAT32 and values:
                comp = values.pop(0)
            if offset == _SAT32 and values:
                offset = values.pop(0)
        pos += 4 + length
    return comp, usize, offset


def _with_local(stream: BinaryIO, size: int, entry: ZipEntry, listing: ZipListing) -> ZipEntry:
    stream.seek(entry.header_offset)
    head = stream.read(30)
    if len(head) < 30 or head[:4] != LOCAL_SIG:
        listing.issues.append(ZipIssue("header-mismatch", "no local header where the directory points", entry.name))
        return entry
    _, _, flags, method, _, _, crc, comp, usize, name_len, extra_len = struct.unpack("<4s5H3L2H", head)
    raw_name = stream.read(name_len)
    local_name = raw_name.decode("utf-8" if flags & _FLAG_UTF8 else "cp437", "replace")
    problems = []
    if local_name != entry.name:
        problems.append(f"local name {local_name[:80]!r}")
    if method != entry.method:
        problems.append(f"local method {method} vs {entry.method}")
    if (flags ^ entry.flags) & ~_FLAG_UTF8:
        problems.append(f"local flags 0x{flags:x} vs 0x{entry.flags:x}")
    if (
        not flags & _FLAG_DESCRIPTOR
        and _SAT32 not in (comp, usize)
        and (crc, comp, usize)
        != (
            entry.crc,
            entry.comp_size,
            entry.size,
        )
    ):
        problems.append("local sizes or CRC differ")
    if problems:
        listing.issues.append(ZipIssue("header-mismatch", "; ".join(problems), entry.name, entry.header_offset))
    if entry.flags & _FLAG_ENCRYPTED:
        listing.issues.append(ZipIssue("encrypted", "member is flagged as encrypted", entry.name))
    data = entry.header_offset + 30 + name_len + extra_len
    if data + entry.comp_size > size:
        listing.issues.append(ZipIssue("malformed", "member data runs past the end of the file", entry.name))
    return replace(entry, data_offset=data)


def _duplicates(listing: ZipListing) -> None:
    counts = Counter(e.name.lower() for e in listing.entries if not e.is_dir)
    for name, count in counts.items():
        if count > 1:
            listing.issues.append(ZipIssue("duplicate", f"{count} members share the name (miniz ignores case)", name))


def _hidden(stream: BinaryIO, size: int, end: _Eocd, listing: ZipListing) -> None:
    """Report bytes no entry accounts for and turn local headers found there into candidates."""
    spans = sorted((e.header_offset, e.data_offset + e.comp_size) for e in listing.entries if e.data_offset >= 0)
    cursor = 0
    stop = min(max(0, end.offset - end.cd_size), size) if spans else 0
    for begin, finish in [*spans, (stop, stop)]:
        gap = begin - cursor
        if gap > 24 or (cursor == 0 and gap > 0):
            _probe_gap(stream, cursor, begin, listing)
        cursor = max(cursor, finish)


def _probe_gap(stream: BinaryIO, begin: int, end: int, listing: ZipListing) -> None:
    stream.seek(begin)
    window = stream.read(min(end - begin, _GAP_PROBE))
    hit = window.find(LOCAL_SIG)
    if hit < 0 or hit + 30 > len(window):
        kind = "prefix" if begin == 0 else "gap"
        listing.issues.append(ZipIssue(kind, f"{end - begin} bytes belong to no member", offset=begin))
        return
    offset = begin + hit
    _, _, flags, method, _, _, crc, comp, usize, name_len, extra_len = struct.unpack(
        "<4s5H3L2H", window[hit : hit + 30]
    )
    stream.seek(offset + 30)
    name = stream.read(name_len).decode("utf-8" if flags & _FLAG_UTF8 else "cp437", "replace")
    data = offset + 30 + name_len + extra_len
    if flags & _FLAG_DESCRIPTOR or comp in (0, _SAT32):
        comp = max(0, end - data)
        usize = comp if method == 0 else usize
    listing.entries.append(ZipEntry(name, method, flags, crc, comp, usize, offset, data, source="local"))
    listing.issues.append(ZipIssue("hidden", "local header not listed in the central directory", name, offset))


class Window(io.RawIOBase):
    """``length`` bytes of ``stream`` from ``start``; seeks before every read so streams can be shared."""

    def __init__(self, stream: BinaryIO, start: int, length: int) -> None:
        self._stream, self._start, self._length, self._pos = stream, start, length, 0

    def readable(self) -> bool:
        return True

    def seekable(self) -> bool:
        return True

    def tell(self) -> int:
        return self._pos

    def seek(self, offset: int, whence: int = io.SEEK_SET) -> int:
        base = {io.SEEK_SET: 0, io.SEEK_CUR: self._pos}.get(whence, self._length)
        self._pos = max(0, base + offset)
        return self._pos

    def readinto(self, buffer: memoryview) -> int:  # type: ignore[override]
        want = min(len(buffer), self._length - self._pos)
        if want <= 0:
            return 0
        self._stream.seek(self._start + self._pos)
        data = self._stream.read(want)
        buffer[: len(data)] = data
        self._pos += len(data)
        return len(data)
