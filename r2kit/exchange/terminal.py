"""What the exchange commands share: the store opened with its warnings, counts in words and plain-text tables."""

from __future__ import annotations

import click
import pandas as pd

from .. import display
from ..inert import for_terminal


def open_store():
    """The store of the data folder; its warnings (a folder other users can read) go to stderr once."""
    from .store import Store

    store = Store()
    for warning in store.warnings:
        click.secho(f"Warning: {for_terminal(warning, lines=True)}", fg="yellow", err=True)
    return store


def plural(n: int, word: str, many: str | None = None) -> str:
    """'1 file', '3 files' ('2 breakout groups'; `many` for an irregular plural)."""
    return f"{n} {word if n == 1 else (many or word + 's')}"


def text_table(frame: pd.DataFrame) -> str:
    """A plain-text table for the terminal (see r2kit.display.text_table); two decimals keep kappa readable."""
    return display.text_table(frame, decimals=2)
