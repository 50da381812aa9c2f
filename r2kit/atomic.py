"""Writing files so that a crash, a full disk or a killed kernel never leaves half a file where a whole one was.

Everything r2kit saves (assessments, drafts, exports, rejected copies, reason files) is written to a temporary file
beside its target and moved into place in one step (`os.replace`); on any error the temporary file is removed.
`private_dir` makes a folder only its user can open (drafts hold a team's unchecked text).
"""

from __future__ import annotations

import contextlib
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


PRIVATE_DIR = 0o700
PRIVATE_FILE = 0o600


def private_dir(folder: str | os.PathLike) -> Path:
    """Create `folder` readable by this user only (0700), with any missing parents made the usual way; return it.

    A folder that already exists is left as it is (r2kit never changes the mode of a folder it did not create).
    """
    folder = Path(folder)
    folder.parent.mkdir(parents=True, exist_ok=True)
    try:
        folder.mkdir(mode=PRIVATE_DIR)
    except FileExistsError:
        return folder
    with contextlib.suppress(OSError):  # file systems without Unix modes: the folder is still usable
        os.chmod(folder, PRIVATE_DIR)  # mkdir's mode is masked by the umask
    return folder
