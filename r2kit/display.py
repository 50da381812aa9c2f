"""Tables for people: one way to show a DataFrame in a notebook, a widget, a report or a terminal.

Missing values are blank (never `NaN`, `None` or `<NA>`), lists read as "a, b", numbers are rounded, and every
text is escaped for where it goes: HTML-escaped for pages, control characters made visible for terminals.
"""

from __future__ import annotations

import html

import pandas as pd

from .inert import for_terminal


def _cell(value: object) -> object:
    if isinstance(value, (list, tuple)):
        return ", ".join(map(str, value))
    return value


def for_people(frame: pd.DataFrame, decimals: int = 1) -> pd.DataFrame:
    """A copy for people to read: lists joined with commas, missing values blank, numbers rounded."""
    shown = frame.copy()
    for col in shown.columns:
        column = shown[col]
        if column.dtype.kind == "f":
            column = column.round(decimals)
        column = column.astype(object).map(_cell)
        shown[col] = column.where(column.notna(), "")
    return shown


def html_table(frame: pd.DataFrame, caption: str | None = None, decimals: int = 1, classes: str | None = None) -> str:
    """An HTML table of `frame` with every cell escaped (participants' text stays text) and an optional caption."""
    body = for_people(frame, decimals).to_html(index=False, escape=True, border=0, na_rep="", classes=classes)
    if caption:
        cap = f"<caption style='text-align:left'><b>{html.escape(caption)}</b></caption>"
        body = body.replace("<thead>", cap + "<thead>", 1)
    return body


def text_table(frame: pd.DataFrame, decimals: int = 1) -> str:
    """A plain-text table indented by two spaces for a terminal: text aligned left, numbers right, controls visible."""
    shown = for_people(frame, decimals)
    cols = []
    for name in frame.columns:
        values = [for_terminal(v) for v in shown[name]]
        numeric = pd.api.types.is_numeric_dtype(frame[name]) and not pd.api.types.is_bool_dtype(frame[name])
        head = for_terminal(name)
        width = max([len(head)] + [len(v) for v in values])
        align = str.rjust if numeric else str.ljust
        cols.append([align(head, width)] + [align(v, width) for v in values])
    return "\n".join("  " + "  ".join(row).rstrip() for row in zip(*cols, strict=True))
