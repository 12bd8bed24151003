"""Memory the process no longer uses, given back to the system (Linux; elsewhere a no-op).

- Pages of a large read-only file mapping that a lookup table left resident. onnxruntime maps
  the model's weights file and reads the word-embedding table (30,522 rows of 1.5 KiB, 45 MiB)
  in place. A question reads a few dozen rows, but each page fault maps the whole page-cache
  folio around the row (fault-around; MADV_RANDOM does not stop it), so after a burst of
  distinct questions nearly the whole table counted in the bot's RSS. MADV_DONTNEED on a
  mapping whose pages were never written only unmaps them: the page cache keeps them, and the
  next read faults the same bytes back in.
- Free pages inside malloc's heaps (`trim_malloc`), once a burst has come and gone.
"""

from __future__ import annotations

import ctypes
import mmap
import sys
from pathlib import Path

LARGE_MAPPING = 4 << 20  # the embedding table; the small tensors are read by every question


def clean_mappings(path: Path, min_bytes: int = LARGE_MAPPING) -> list[tuple[int, int]]:
    """(start, length) of this process's mappings of `path` of at least `min_bytes` holding
    file pages only: none was ever written (MADV_DONTNEED would lose a copy-on-write page).
    Empty where /proc/self/smaps does not exist."""
    target = str(path.resolve())
    found: list[tuple[int, int]] = []
    current: tuple[int, int] | None = None
    try:
        with open("/proc/self/smaps", encoding="utf-8", errors="replace") as smaps:
            for line in smaps:
                head = line.split(maxsplit=5)
                if head and "-" in head[0] and not head[0].endswith(":"):
                    start, end = (int(x, 16) for x in head[0].split("-"))
                    mapped = len(head) == 6 and head[5].rstrip("\n") == target
                    current = (start, end - start) if mapped and end - start >= min_bytes else None
                elif current is not None and head[0] == "Anonymous:":
                    if int(head[1]) == 0:
                        found.append(current)
                    current = None
    except OSError:
        return []
    return found


class PageReleaser:
    """Unmaps the resident pages of a file's large mappings, found at the first release (by
    then the file is mapped and has been read)."""

    def __init__(self, path: Path) -> None:
        self._path = path
        self._ranges: list[tuple[int, int]] | None = None
        self._madvise = _libc_function("madvise", [ctypes.c_void_p, ctypes.c_size_t, ctypes.c_int])

    def release(self) -> None:
        if self._madvise is None:
            return
        if self._ranges is None:
            self._ranges = clean_mappings(self._path)
        for start, length in self._ranges:
            self._madvise(start, length, mmap.MADV_DONTNEED)

    @property
    def ranges(self) -> list[tuple[int, int]]:
        return list(self._ranges or ())


def trim_malloc() -> None:
    """glibc's malloc_trim(0): free pages anywhere in its heaps, not only at their tops, go
    back to the system. ~1 ms after a burst, 5-9 MiB less RSS (docs/performance.md)."""
    trim = _libc_function("malloc_trim", [ctypes.c_size_t])
    if trim is not None:
        trim(0)


def _libc_function(name: str, argtypes: list):
    if not sys.platform.startswith("linux"):
        return None
    try:
        function = getattr(ctypes.CDLL("libc.so.6", use_errno=True), name)
    except (OSError, AttributeError):  # not glibc
        return None
    function.argtypes = argtypes
    function.restype = ctypes.c_int
    return function
