"""What every widget shares: the layout width, coloured messages, `_guarded` callbacks and HTML tables."""

from __future__ import annotations

import html
from collections.abc import Callable

import ipywidgets as w
import pandas as pd

from .. import display
from ..errors import R2kitError

WIDE = w.Layout(width="98%")


def _message(text: str, kind: str = "info") -> str:
    colours = {"info": "#e8f1fb", "success": "#e6f4ea", "warning": "#fff4e5", "error": "#fdecea"}
    return f'<div style="background:{colours[kind]};padding:6px 10px;border-radius:4px">{html.escape(text)}</div>'


def _guarded(target: w.HTML, action: Callable[[], None]) -> None:
    """Run a callback's work; show a plain message in `target` instead of losing an error.

    ipywidgets swallows errors raised in callbacks, so every callback goes through here; the notebooks also
    call the same functions in normal cells, so papermill and nbval still see any error.
    """
    try:
        action()
    except R2kitError as err:
        target.value = _message(str(err), "error")
    except Exception as err:  # noqa: BLE001  (a participant must never see a traceback)
        target.value = _message(
            f"Something went wrong ({type(err).__name__}: {err}). Please tell your facilitator.", "error"
        )


def _html_table(frame: pd.DataFrame) -> str:
    return display.html_table(frame)
