"""Tables for people: one way to show a DataFrame in a notebook, a widget, a report or a terminal.

Missing values are blank (never `NaN`, `None` or `<NA>`), lists read as "a, b" (an empty list is blank), numbers
are rounded, and every text is escaped for where it goes: HTML-escaped for pages, control characters made visible
for terminals. With `headings=True` (what notebooks and widgets show) column names read as words: `theme_id` is
"Theme", `red_lines_at_risk` is "Red lines at risk", `gcm_actions` is "GCM actions", and true/false is yes/no.
"""

from __future__ import annotations

import html

import numpy as np
import pandas as pd

from .inert import for_terminal

# Words written in capitals or otherwise in headings; everything else is lower case after the first letter.
_WORDS = {"gcm": "GCM", "sdg": "SDG", "un": "UN", "iso3": "ISO3", "covid": "COVID-19", "dont": "don't", "n/a": "n/a"}
_HEADINGS = {"q1": "Lower quartile", "q3": "Upper quartile", "min": "Lowest", "max": "Highest", "n": "Number"}


def heading(name: object) -> str:
    """A column name as a heading people read: 'theme_id' -> 'Theme', 'sdg_targets' -> 'SDG targets'."""
    text = str(name)
    if text in _HEADINGS:
        return _HEADINGS[text]
    if not text or text != text.lower():
        return text  # already written for people ("Next step", "GCM actions")
    words = text.replace("_", " ").split()
    if len(words) > 1 and words[-1] in ("id", "ids"):
        words = words[:-1] if words[-1] == "id" else words[:-2] + [words[-2] + "s"]
    if words and words[0] == "n" and len(words) > 1:
        words = ["number", "of"] + words[1:]
    words = [_WORDS.get(w, w) for w in words]
    if not words:
        return text
    return words[0][:1].upper() + words[0][1:] + "".join(" " + w for w in words[1:])


def _cell(value: object, yes_no: bool = False) -> object:
    if isinstance(value, (list, tuple, set, frozenset, np.ndarray)):
        items = sorted(value) if isinstance(value, (set, frozenset)) else list(value)
        return ", ".join(str(v) for v in items if not (isinstance(v, float) and np.isnan(v))) or None
    if yes_no and isinstance(value, (bool, np.bool_)):
        return "yes" if value else "no"
    return value


def for_people(frame: pd.DataFrame, decimals: int = 1, headings: bool = False) -> pd.DataFrame:
    """A copy for people to read: lists joined with commas, missing values blank, numbers rounded.

    With `headings`, column names become plain headings (see `heading`) and true/false reads yes/no.
    """
    shown = frame.copy()
    for col in shown.columns:
        column = shown[col]
        if column.dtype.kind == "f":
            column = column.round(decimals)
        column = column.astype(object).map(lambda v: _cell(v, headings))
        shown[col] = column.where(column.notna(), "")
    if headings:
        shown.columns = [heading(c) for c in shown.columns]
        shown.columns.name = None
    return shown


def html_table(
    frame: pd.DataFrame,
    caption: str | None = None,
    decimals: int = 1,
    classes: str | None = None,
    headings: bool = False,
) -> str:
    """An HTML table of `frame` with every cell escaped (participants' text stays text) and an optional caption."""
    shown = for_people(frame, decimals, headings)
    body = shown.to_html(index=False, escape=True, border=0, na_rep="", classes=classes)
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
