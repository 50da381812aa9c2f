"""Building blocks of the session and corridor report notebooks (r2kit/templates/*.ipynb).

Each returns something a notebook cell displays: escaped HTML (participants' text always shows as text, never as
markup or script) or inline SVG charts, so the exported HTML report needs no JavaScript and no network.

The blocks live by what they serve: `data` (what a report reads), `markup` (how a cell displays it), `corridor` and
`session` (what each report shows); the templates call them all as `reporting.<name>`.
"""

from __future__ import annotations

from .corridor import (
    CorridorView,
    corridor_charts,
    corridor_header,
    corridor_view,
    to_discuss,
)
from .data import (
    ReportData,
    evidence,
    labelled,
    load,
    viewer_frame,
)
from .markup import (
    CHART_FORMATS,
    COLUMN_FORMATS,
    PAGE_ROWS,
    as_html,
    esc,
    files_note,
    formatted,
    note,
    percent,
    save_charts,
    show,
    svg,
    svg_text,
    table,
    two_decimals,
    whole,
)
from .session import (
    MAP_MAX_PARTICIPANTS,
    PERCENT_IN_CSV,
    THEME_COLUMNS_NOTE,
    SessionView,
    group_map,
    header,
    participant_map,
    review_table,
    save_tables,
    score_columns,
    session_charts,
    session_view,
    spreadsheet_tables,
)

__all__ = [
    "as_html",
    "CHART_FORMATS",
    "COLUMN_FORMATS",
    "corridor_charts",
    "corridor_header",
    "corridor_view",
    "CorridorView",
    "esc",
    "evidence",
    "files_note",
    "formatted",
    "group_map",
    "header",
    "labelled",
    "load",
    "MAP_MAX_PARTICIPANTS",
    "note",
    "PAGE_ROWS",
    "participant_map",
    "percent",
    "PERCENT_IN_CSV",
    "ReportData",
    "review_table",
    "save_charts",
    "save_tables",
    "score_columns",
    "session_charts",
    "session_view",
    "SessionView",
    "show",
    "spreadsheet_tables",
    "svg",
    "svg_text",
    "table",
    "THEME_COLUMNS_NOTE",
    "to_discuss",
    "two_decimals",
    "viewer_frame",
    "whole",
]
