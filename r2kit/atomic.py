"""Writing files so that a crash, a full disk or a killed kernel never leaves half a file where a whole one was.

Everything r2kit saves (assessments, exports, rejected copies, reason files) is written to a temporary file beside
its target and moved into place in one step (`os.replace`); on any error the temporary file is removed.
"""

from __future__ import annotations

import os
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path


@contextmanager
def replacing(target: str | os.PathLike, mode: int | None = None, suffix: str = ".tmp") -> Iterator[Path]:
    """A temporary path beside `target` to write to; it replaces `target` when the block ends without error.

    The file is created private (0600) or with `mode`; `suffix` lets libraries that look at the extension (Excel
    writers) recognise it.
    """
    target = Path(target)
    fd, tmp = tempfile.mkstemp(prefix=".r2kit-", suffix=suffix, dir=target.parent)
    try:
        if mode is not None and hasattr(os, "fchmod"):
            os.fchmod(fd, mode)
        os.close(fd)
        yield Path(tmp)
        os.replace(tmp, target)
    finally:
        Path(tmp).unlink(missing_ok=True)


def write_bytes(target: str | os.PathLike, data: bytes, mode: int | None = None) -> Path:
    """Write `data` to `target` atomically (see `replacing`); return the target's path."""
    with replacing(target, mode) as tmp:
        tmp.write_bytes(data)
    return Path(target)
