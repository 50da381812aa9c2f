"""What every widget shares: layouts, coloured messages, `_guarded` callbacks, HTML tables and download links."""

from __future__ import annotations

import base64
import html
import mimetypes
import os
from collections.abc import Callable
from pathlib import Path

import ipywidgets as w
import pandas as pd

from .. import display
from ..errors import R2kitError

WIDE = w.Layout(width="98%")
MAX_DOWNLOAD_BYTES = 20_000_000  # a data link holds the whole file; r2kit's files are far smaller


def fit() -> w.Layout:
    """A layout as wide as its text: buttons and checkboxes show their whole label, never 'Save my asses...'."""
    return w.Layout(width="auto")


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
    return display.html_table(frame, headings=True)


def download_link(path: str | os.PathLike, label: str | None = None) -> str:
    """A link that downloads the file in one click (the file travels inside the link: no file browser needed)."""
    path = Path(path)
    data = path.read_bytes()
    if len(data) > MAX_DOWNLOAD_BYTES:
        return _message(f"{path.name} is too large to download from here; find it in the file browser.", "warning")
    kind = mimetypes.guess_type(path.name)[0] or "application/octet-stream"
    href = f"data:{kind};base64,{base64.b64encode(data).decode('ascii')}"
    text = html.escape(label or f"Download {path.name}")
    return (
        f'<a download="{html.escape(path.name, quote=True)}" href="{href}" title="{html.escape(path.name)}" '
        'style="display:inline-block;margin:4px 0;padding:4px 12px;border-radius:4px;background:#1976d2;'
        f'color:white;text-decoration:none">\u2b07 {text}</a>'
    )
