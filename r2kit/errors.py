"""Errors r2kit raises on purpose: each message is written for a person, not a programmer."""

from __future__ import annotations


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
