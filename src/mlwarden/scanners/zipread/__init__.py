"""Robust zip reading shared by the PyTorch and NumPy scanners: listing every candidate, streaming members."""

from mlwarden.scanners.zipread.listing import LOCAL_SIG, ZipEntry, ZipIssue, ZipListing, ZipReadError, read_listing
from mlwarden.scanners.zipread.member import MemberReader, open_member

__all__ = [
    "LOCAL_SIG",
    "MemberReader",
    "ZipEntry",
    "ZipIssue",
    "ZipListing",
    "ZipReadError",
    "open_member",
    "read_listing",
]
