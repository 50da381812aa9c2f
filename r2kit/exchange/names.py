"""How the exchange names and stamps what it keeps: session names (which become folder names) and UTC time stamps."""

from __future__ import annotations

import datetime as dt
import re

from ..errors import R2kitError

NAME_PATTERN = re.compile(r"[A-Za-z0-9][A-Za-z0-9_.-]{0,63}")  # always used with fullmatch


def check_name(name: str) -> str:
    """A session name is used in folder names: 1-64 letters, digits, '.', '-' or '_', starting with one of the first."""
    if not isinstance(name, str) or not NAME_PATTERN.fullmatch(name):
        raise R2kitError(
            f"{name!r} cannot be a session name: use 1-64 letters, digits, '.', '-' or '_' with no spaces "
            f"(for example 'lisbon-2026')."
        )
    return name


def now() -> str:
    """The current time in UTC to the second, ISO 8601 ('2026-11-20T09:30:00+00:00'), as the store writes it."""
    return dt.datetime.now(dt.timezone.utc).replace(microsecond=0).isoformat()
