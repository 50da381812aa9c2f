"""How the notebook helpers show things: escaped message boxes and tables, a chart beside its table, plain errors."""

from __future__ import annotations

import html

import pandas as pd

from .. import checklist, data, display
from ..errors import R2kitError


def render(obj) -> None:
    """Show an object in the notebook (tests replace this to capture what a helper shows)."""
    from IPython.display import display as ipython_display

    ipython_display(obj)


def note(text: str, kind: str = "info") -> None:
    """A coloured message box (info, success, warning or error); text is escaped."""
    from IPython.display import HTML

    colours = {"info": "#e8f1fb", "success": "#e6f4ea", "warning": "#fff4e5", "error": "#fdecea"}
    render(
        HTML(
            f'<div style="background:{colours[kind]};padding:8px 12px;border-radius:4px;'
            f'margin:4px 0">{html.escape(text)}</div>'
        )
    )


def table(frame: pd.DataFrame, caption: str | None = None, max_rows: int = 60) -> None:
    """Show a DataFrame as an HTML table with every text escaped (participant text stays text)."""
    from IPython.display import HTML

    if frame.columns.empty:
        return
    more = f"<p><i>{len(frame) - max_rows} more rows not shown.</i></p>" if len(frame) > max_rows else ""
    render(HTML(display.html_table(frame.head(max_rows), caption) + more))


def show(chart, frame: pd.DataFrame, caption: str) -> None:
    """Show a chart, then the same numbers as a table (the text alternative every chart has)."""
    render(chart)
    table(frame, f"Table: {caption}")


def _friendly(shell, etype, value, tb, tb_offset=None):
    note(str(value), "error")
    return []


def setup() -> None:
    """Prepare a notebook: offline chart rendering, tidy pandas display, plain messages for r2kit errors."""
    from .. import charts  # noqa: F401  (importing it enables the offline renderer)

    pd.set_option("display.max_colwidth", 120)
    try:
        from IPython import get_ipython
    except ImportError:  # pragma: no cover
        return
    shell = get_ipython()
    if shell is not None:
        shell.set_custom_exc((R2kitError,), _friendly)


def ready() -> None:
    """Confirm the set-up works: r2kit's version and the size of the knowledge base."""
    from .. import __version__

    names = data.datasets()
    note(
        f"r2kit {__version__} is ready: {len(names)} datasets, {len(checklist.item_ids())} checklist items; "
        "charts and tables work offline.",
        "success",
    )
