"""Who may read what r2kit writes in the data folder: private to the user by default, or shared with a group.

Folders r2kit creates are 0700 and files 0600, so that on a shared machine other users cannot read any session.
On a JupyterHub where several facilitators share one data folder, set R2KIT_SHARED_GROUP=1: folders are then
created 2770 (the setgid bit makes new files belong to the folder's group) and files 0660. r2kit never changes the
mode of a folder it did not create; it warns when an existing data folder can be read by other users.
"""

from __future__ import annotations

import contextlib
import os
import stat
import sys
from pathlib import Path

SHARED_ENV = "R2KIT_SHARED_GROUP"
PRIVATE_DIR, PRIVATE_FILE = 0o700, 0o600
SHARED_DIR, SHARED_FILE = 0o2770, 0o660


def shared() -> bool:
    """True when R2KIT_SHARED_GROUP asks for a data folder shared with the folder's group."""
    return os.environ.get(SHARED_ENV, "").strip().lower() in ("1", "true", "yes", "on")


def dir_mode() -> int:
    """The mode of folders r2kit creates (0700, or 2770 with R2KIT_SHARED_GROUP=1)."""
    return SHARED_DIR if shared() else PRIVATE_DIR


def file_mode() -> int:
    """The mode of files r2kit creates (0600, or 0660 with R2KIT_SHARED_GROUP=1)."""
    return SHARED_FILE if shared() else PRIVATE_FILE


def make_dirs(folder: str | os.PathLike) -> Path:
    """Create `folder` and any missing parents with dir_mode(); folders that already exist are left as they are."""
    folder = Path(folder)
    missing = []
    for path in (folder, *folder.parents):
        if path.is_dir():
            break
        missing.append(path)
    for path in reversed(missing):
        try:
            path.mkdir()
        except FileExistsError:  # another process made it first: theirs, made the same way
            continue
        _chmod(path, dir_mode())  # mkdir's mode is masked by the umask, and setgid needs chmod
    return folder


def create_file(path: str | os.PathLike) -> bool:
    """Create an empty file with file_mode() unless it exists (before SQLite opens it); True if it was created."""
    try:
        fd = os.open(path, os.O_CREAT | os.O_EXCL | os.O_WRONLY, file_mode())
    except FileExistsError:
        return False
    try:
        if hasattr(os, "fchmod"):
            os.fchmod(fd, file_mode())  # the umask may have removed the group bits
    finally:
        os.close(fd)
    return True


def exposure(path: str | os.PathLike) -> str | None:
    """A plain warning if other users (beyond the shared group) can read `path`, else None."""
    if sys.platform == "win32":
        return None
    try:
        mode = stat.S_IMODE(Path(path).stat().st_mode)
    except OSError:
        return None
    if not mode & (stat.S_IROTH | stat.S_IXOTH if Path(path).is_dir() else stat.S_IROTH):
        return None
    what = "folder" if Path(path).is_dir() else "file"
    private = "770" if shared() else "700"
    fix = f"chmod {private} {path}" if what == "folder" else f"chmod {'660' if shared() else '600'} {path}"
    return (
        f"The r2kit data {what} {path} can be read by other users of this computer (mode {mode:04o}): "
        f"to keep the sessions private, run  {fix}  (see docs/privacy.md)."
    )


def _chmod(path: Path, mode: int) -> None:
    """chmod that tolerates file systems without Unix modes (the folder is still usable)."""
    with contextlib.suppress(OSError):
        os.chmod(path, mode)
