"""How the notebook helpers show things: escaped message boxes and tables, a chart beside its table, plain errors,
and cells whose outputs are redrawn in place when the participant changes an answer (`Live`).

The same notebooks run as a code-free app in Voila (docs/app.md). There a cell's outputs are drawn once and never
updated, and Vega-Lite cannot be drawn inside widgets, so charts are drawn as images (r2kit.charts sees an app's
kernel by itself) and `Live` draws into a widget that it refills.
"""

from __future__ import annotations

import html
import os
import sys
import uuid
from collections.abc import Callable

import pandas as pd

from .. import checklist, data, display
from ..errors import R2kitError

_COLLECTING: list[list] = []  # while a Live cell draws, what it shows is collected here instead of shown


def render(obj, display_id: str | None = None, update: bool = False) -> None:
    """Show an object in the notebook (tests replace this to capture what a helper shows).

    With `display_id` the output can be replaced later: `update=True` redraws the output with that id in place.
    """
    from IPython.display import display as ipython_display
    from IPython.display import update_display

    if display_id is None:
        ipython_display(obj)
    elif update:
        update_display(obj, display_id=display_id)
    else:
        ipython_display(obj, display_id=display_id)


def _emit(obj) -> None:
    """Show `obj`, or collect it when a Live cell is drawing."""
    if _COLLECTING:
        _COLLECTING[-1].append(obj)
    else:
        render(obj)


def _box(text: str, kind: str = "info") -> str:
    colours = {"info": "#e8f1fb", "success": "#e6f4ea", "warning": "#fff4e5", "error": "#fdecea"}
    return (
        f'<div style="background:{colours[kind]};padding:8px 12px;border-radius:4px;'
        f'margin:4px 0">{html.escape(text)}</div>'
    )


def note(text: str, kind: str = "info") -> None:
    """A coloured message box (info, success, warning or error); text is escaped."""
    from IPython.display import HTML

    _emit(HTML(_box(text, kind)))


def table(frame: pd.DataFrame, caption: str | None = None, max_rows: int = 60) -> None:
    """Show a DataFrame as a table for people: plain headings, lists as text, every text escaped."""
    from IPython.display import HTML

    if frame.columns.empty:
        return
    more = f"<p><i>{len(frame) - max_rows} more rows not shown.</i></p>" if len(frame) > max_rows else ""
    _emit(HTML(display.html_table(frame.head(max_rows), caption, headings=True) + more))


def show(chart, frame: pd.DataFrame, caption: str) -> None:
    """Show a chart, then the same numbers as a table (the text alternative every chart has)."""
    _emit(chart)
    table(frame, f"Table: {caption}")


def in_app() -> bool:
    """Whether the notebook runs as a Voila app (Voila names its kernel in VOILA_KERNEL_ID)."""
    return "VOILA_KERNEL_ID" in os.environ


class Live:
    """The outputs of one cell, redrawn in place when the assessment changes (the results follow the form).

    `draw` shows up to `slots` things with note, table and show; each gets a display id, so `update` replaces
    them where they are (JupyterLab routes the update to the cell, even from a widget's callback). Stored outputs
    stay ordinary outputs, so papermill and nbval see them. In a Voila app, which never updates a cell's outputs,
    they are drawn in an Output widget instead, whose outputs `update` replaces.
    """

    def __init__(self, draw: Callable[[], None], slots: int):
        self.draw = draw
        self.ids = [f"r2kit-{uuid.uuid4().hex}" for _ in range(slots)]
        self.box = None  # the Output widget that holds the outputs in an app

    def _objects(self) -> list:
        from IPython.display import HTML

        _COLLECTING.append([])
        try:
            self.draw()
        finally:
            shown = _COLLECTING.pop()
        if len(shown) > len(self.ids):  # pragma: no cover  (a helper showing more than it reserved)
            raise ValueError(f"a live cell showed {len(shown)} outputs but reserved {len(self.ids)}")
        return shown + [HTML("") for _ in range(len(self.ids) - len(shown))]

    def show(self) -> None:
        """Draw the cell's outputs for the first time."""
        if in_app():
            import ipywidgets

            self.box = ipywidgets.Output()
            self.box.add_class("r2kit-live")
            self._fill()
            render(self.box)
            return
        for display_id, obj in zip(self.ids, self._objects(), strict=True):
            render(obj, display_id=display_id)

    def update(self, *_) -> None:
        """Redraw the outputs in place."""
        if self.box is not None:
            self._fill()
            return
        for display_id, obj in zip(self.ids, self._objects(), strict=True):
            render(obj, display_id=display_id, update=True)

    def _fill(self) -> None:
        """Replace the app's Output widget's outputs with what `draw` shows now (all at once: no flicker)."""
        from IPython.core.interactiveshell import InteractiveShell

        formatter = InteractiveShell.instance().display_formatter
        shown = []
        for obj in self._objects():
            data, metadata = formatter.format(obj)
            if data.get("text/html", None) != "":  # the blank slots a display id needs
                shown.append({"output_type": "display_data", "data": data, "metadata": metadata})
        self.box.outputs = tuple(shown)


def _friendly(shell, etype, value, tb, tb_offset=None):
    """Show an error as a plain message, never a traceback; the cell still fails (papermill and nbval see it)."""
    sys.last_type, sys.last_value, sys.last_traceback = etype, value, tb  # %tb still shows the details
    if isinstance(value, R2kitError):
        note(str(value), "error")
    else:
        again = "Reload the page" if in_app() else "Try Kernel > Restart Kernel and Run All Cells"
        note(
            f"Something went wrong ({etype.__name__}: {value}). {again}; "
            "if it happens again, please tell your facilitator.",
            "error",
        )
    return []


def setup() -> None:
    """Prepare a notebook: offline chart rendering, tidy pandas display, plain messages for errors (no traceback).

    In a Voila app, charts are drawn as images (Voila cannot draw Vega-Lite inside widgets), and Altair (more than a
    second to import) loads with the first chart, so the page's first controls are ready sooner: the app runs no code
    of its own that would draw a chart without r2kit.charts.
    """
    if not in_app():
        from .. import charts  # importing it enables the offline renderer, even for charts made with Altair directly

        charts.draw_as_images(False)
    pd.set_option("display.max_colwidth", 120)
    try:
        from IPython import get_ipython
    except ImportError:  # pragma: no cover
        return
    shell = get_ipython()
    if shell is not None:
        shell.set_custom_exc((Exception,), _friendly)


def ready() -> None:
    """Confirm the set-up works: r2kit's version and the size of the knowledge base."""
    from .. import __version__

    names = data.datasets()
    note(
        f"r2kit {__version__} is ready: {len(names)} datasets, {len(checklist.item_ids())} checklist items; "
        "charts and tables work offline.",
        "success",
    )
