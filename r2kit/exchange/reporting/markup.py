"""What a report cell displays: escaped HTML tables and notes, inline SVG charts, numbers in one format."""

from __future__ import annotations

import html
import os
from pathlib import Path

import numpy as np
import pandas as pd

from ... import display
from ...errors import R2kitError

CHART_FORMATS = ("svg", "png")


PAGE_ROWS = 50  # longer tables are shown in pages of this many rows (each page folds open; no JavaScript)


_TABLE_STYLE = (
    "<style>.r2kit-table th, .r2kit-table td "
    "{text-align: left !important; vertical-align: top; padding: 2px 8px}"
    " details.r2kit-page summary {cursor: pointer; margin: 4px 0}</style>"
)


def as_html(markup: str):
    """Markup for a notebook cell to display as HTML (IPython is imported only when a report runs)."""
    from IPython.display import HTML

    return HTML(markup)


def esc(value: object) -> str:
    """Text made safe to place in HTML (None shows as nothing)."""
    return "" if value is None or (isinstance(value, float) and pd.isna(value)) else html.escape(str(value))


def note(text: str, level: str = "p"):
    """A paragraph (or heading: level 'h2', 'h3') of escaped text."""
    if level not in ("p", "h2", "h3"):
        raise R2kitError(f"Unknown text level {level!r}: use p, h2 or h3.")
    return as_html(f"<{level}>{esc(text)}</{level}>")


def table(
    frame: pd.DataFrame,
    columns: dict[str, str] | None = None,
    empty: str = "Nothing to show.",
    page: int | None = PAGE_ROWS,
):
    """An HTML table with every cell escaped; `columns` picks and renames columns ({name: heading}).

    Numbers are shown as people read them (see formatted). A table longer than `page` rows is split into pages that
    fold open one at a time (HTML details, no JavaScript), the first one open.
    """
    if frame.empty:
        return note(empty)
    shown = formatted(frame[list(columns)] if columns else frame)
    if columns:
        shown = shown.rename(columns=columns)
    if not page or len(shown) <= page:
        return as_html(_TABLE_STYLE + _html_table(shown))
    pages = []
    for start in range(0, len(shown), page):
        part = shown.iloc[start : start + page]
        opened = " open" if start == 0 else ""
        summary = f"Rows {start + 1} to {start + len(part)} of {len(shown)}"
        pages.append(f'<details class="r2kit-page"{opened}><summary>{summary}</summary>{_html_table(part)}</details>')
    return as_html(_TABLE_STYLE + "".join(pages))


_LINE = "\ue000"  # a private-use character standing for a line break while pandas escapes the table


def _html_table(frame: pd.DataFrame) -> str:
    """display.html_table (every cell escaped), with line breaks inside cells shown as line breaks."""
    marked = frame.copy()
    for col in marked.columns:
        if marked[col].dtype == object or pd.api.types.is_string_dtype(marked[col]):
            marked[col] = (
                marked[col]
                .astype(object)
                .map(
                    lambda v: (
                        v.replace(_LINE, "\ufffd").replace("\r\n", "\n").replace("\n", _LINE)
                        if isinstance(v, str)
                        else v
                    )
                )
            )
    return display.html_table(marked, classes="r2kit-table").replace(_LINE, "<br>")


def percent(value: object) -> object:
    """A share (0.58) as people read it: '58%'; blank when missing; text (already shown) unchanged."""
    if not _number(value):
        return value
    return "" if _missing(value) else f"{float(value):.0%}"


def two_decimals(value: object) -> object:
    """A coefficient such as kappa (0.4321) as '0.43'; blank when missing; text (already shown) unchanged."""
    if not _number(value):
        return value
    return "" if _missing(value) else f"{round(float(value), 2) + 0.0:.2f}"  # + 0.0: never "-0.00"


def _number(value: object) -> bool:
    return value is None or (isinstance(value, (int, float, np.number)) and not isinstance(value, (bool, np.bool_)))


def whole(value: object) -> object:
    """A score or count as a whole number ('58'); blank when missing; anything that is not a number unchanged."""
    if isinstance(value, (float, np.floating)):
        return "" if _missing(value) else f"{value:.0f}"
    return value


# How each column is shown wherever r2kit shows it to people (reports and the command line): shares as percentages,
# kappa with two decimals, every other number whole.
COLUMN_FORMATS = {"agreement": percent, "coverage": percent, "share": percent, "kappa": two_decimals}


def formatted(frame: pd.DataFrame) -> pd.DataFrame:
    """A copy of `frame` with numbers as people read them: COLUMN_FORMATS by column name, other floats whole."""
    out = frame.copy()
    for col in out.columns:
        out[col] = out[col].map(COLUMN_FORMATS.get(col, whole))
    return out


def _missing(value: object) -> bool:
    return value is None or (isinstance(value, (float, np.floating)) and bool(np.isnan(value)))


def svg(*charts_):
    """Charts as inline SVG, drawn locally (no JavaScript, no CDN); several charts side by side."""
    from IPython.display import SVG

    if len(charts_) == 1:
        return SVG(svg_text(charts_[0]))
    drawn = [SVG(svg_text(c)).data for c in charts_]  # SVG() keeps the <svg> element only
    return as_html('<div style="display:flex;flex-wrap:wrap;gap:1em">' + "".join(drawn) + "</div>")


_DRAWN: dict[int, tuple[object, str]] = {}  # id(chart) -> (chart, its SVG): a report draws each chart once
_DRAWN_MAX = 32


def svg_text(chart) -> str:
    """The chart's SVG, drawn once per chart object (the report shows it, then saves it as SVG and PNG)."""
    from ... import charts

    hit = _DRAWN.get(id(chart))
    if hit is not None and hit[0] is chart:
        return hit[1]
    drawn = charts.to_svg(chart)
    if len(_DRAWN) >= _DRAWN_MAX:
        _DRAWN.pop(next(iter(_DRAWN)))
    _DRAWN[id(chart)] = (chart, drawn)
    return drawn


def save_charts(named: dict, folder: str | os.PathLike, formats: tuple[str, ...] = CHART_FORMATS) -> list[Path]:
    """Save each chart as name.svg and name.png (for slides: PNGs at most charts.SLIDE_WIDTH_PX wide) in `folder`."""
    from ... import charts

    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    return [
        charts.save(chart, folder / f"{name}.{fmt}", svg=svg_text(chart) if fmt in ("svg", "png") else None)
        for name, chart in named.items()
        for fmt in formats
    ]


def files_note(paths: list[Path], intro: str):
    """A paragraph listing files written beside the report, linked by their path relative to the report's folder."""
    items = []
    for path in paths:
        try:
            link = Path(os.path.relpath(path)).as_posix()
        except ValueError:  # another drive (Windows): the full path
            link = Path(path).resolve().as_uri()
        items.append(f'<a href="{esc(link)}">{esc(Path(path).name)}</a>')
    return as_html(f"<p>{esc(intro)} " + ", ".join(items) + ".</p>")


def show(figures: dict, name: str, empty: str | None = None):
    """The chart called `name` (or every chart whose name starts with `name-`) as SVG; `empty`'s note if none."""
    chosen = [chart for key, chart in figures.items() if key == name or key.startswith(f"{name}-")]
    if chosen:
        return svg(*chosen)
    return note(empty) if empty else None
