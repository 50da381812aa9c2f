"""Errors r2kit raises on purpose: each message is written for a person, not a programmer."""

from __future__ import annotations

import datetime as dt
import os
import tempfile
import traceback
from pathlib import Path


class R2kitError(Exception):
    """Base class: the CLI and the notebooks show its message as it is, without a traceback."""


class UnknownNameError(R2kitError, KeyError):
    """A dataset, id or option that does not exist; the message lists what does."""

    def __str__(self) -> str:  # KeyError would wrap the message in quotes
        return str(self.args[0]) if self.args else ""


def unknown(kind: str, value: object, known: list[str], limit: int = 25) -> UnknownNameError:
    """Build the error for an unknown `kind` named `value`, listing the known names."""
    shown = ", ".join(str(k) for k in known[:limit])
    more = f" (and {len(known) - limit} more)" if len(known) > limit else ""
    return UnknownNameError(f"Unknown {kind} {value!r}. Known {kind}s: {shown}{more}.")


def log_unexpected(folder: str | os.PathLike, context: str) -> Path:
    """Append the exception being handled, with its traceback, to <folder>/logs/errors.log; return the log's path.

    People see one plain line that points here; a developer finds the details. Never raises: if the folder cannot
    be written, the log goes to the system's temporary folder.
    """
    when = dt.datetime.now(dt.timezone.utc).isoformat(timespec="seconds")
    entry = f"--- {when} {context}\n{traceback.format_exc()}\n"
    fallback = Path(tempfile.gettempdir()) / f"r2kit-logs-{getattr(os, 'getuid', lambda: 0)()}"
    for base in (Path(folder) / "logs", fallback):
        try:
            base.mkdir(mode=0o700, parents=True, exist_ok=True)
            log = base / "errors.log"
            fd = os.open(log, os.O_WRONLY | os.O_CREAT | os.O_APPEND, 0o600)
            with os.fdopen(fd, "a", encoding="utf-8", errors="backslashreplace") as handle:
                handle.write(entry)
            return log
        except OSError:
            continue
    return Path("(no log could be written)")
