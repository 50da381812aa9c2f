"""Making participants' text inert where a facilitator reads it: terminals, CSV files and Excel workbooks.

Participants' files come from strangers. Their free text, codes and even file names may hold control characters
(an ESC that clears a terminal), bidirectional overrides that reorder what a reader sees, or spreadsheet formulas
(`=HYPERLINK(...)`). These helpers keep the text readable and make it harmless, following OWASP's guidance on CSV
injection and output encoding.
"""

from __future__ import annotations

import re

import pandas as pd

# C0 controls (but tab and newline, handled per use), DEL, C1 controls, and the Unicode format characters that
# reorder or hide text (bidirectional embeddings, overrides and isolates; zero-width joiners are harmless).
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069\ud800-\udfff]")
_CONTROL_AND_LINES = re.compile(r"[\x00-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069\ud800-\udfff]")
# Characters that make a spreadsheet read a cell as a formula (OWASP: = + - @ tab carriage-return), and a line feed,
# which some spreadsheets also skip before the formula sign.
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r", "\n")
# In a workbook, text must also be valid XML 1.0: the noncharacters U+FFFE and U+FFFF are shown as escapes too.
_SPREADSHEET_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069\ud800-\udfff\ufffe\uffff]")


def _visible(match: re.Match) -> str:
    char = match.group()
    if char == "\n":
        return "\\n"
    if char == "\t":
        return "\\t"
    code = ord(char)
    return f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}"


def for_terminal(text: object, lines: bool = False) -> str:
    """Text with every control character shown as an escape (ESC as \\x1b) so that a terminal prints, never obeys.

    With lines=True, newlines and tabs are kept (for whole messages); otherwise they are shown too (table cells,
    file names), so that one value can never pose as another line of output.
    """
    text = "" if text is None else str(text)
    return (_CONTROL if lines else _CONTROL_AND_LINES).sub(_visible, text)


def for_spreadsheet(value: object) -> object:
    """A cell value that a spreadsheet shows as text: formula starts get a leading apostrophe; controls are shown.

    Numbers, booleans and missing values pass unchanged; only text is touched.
    """
    if not isinstance(value, str):
        return value
    text = for_workbook(value)
    return "'" + text if text.startswith(_FORMULA_START) else text


def for_workbook(value: object) -> object:
    """A cell value for an Excel workbook: controls shown as escapes (openpyxl refuses them), text kept as typed.

    A workbook cell stays text by its type, not by an apostrophe: write it with `keep_text_as_text`.
    Windows line breaks (CR LF) are kept as line breaks; a lone CR is shown.
    """
    if not isinstance(value, str):
        return value
    return _SPREADSHEET_CONTROL.sub(_visible, value.replace("\r\n", "\n"))


def looks_like_formula(value: object) -> bool:
    """True for text that a spreadsheet would read as a formula if it were typed into a cell."""
    return isinstance(value, str) and value.startswith(_FORMULA_START)


def keep_text_as_text(sheet) -> None:
    """Type every text cell of an openpyxl worksheet as a string, quote-prefixed where it looks like a formula.

    openpyxl turns any text starting with = into a formula; a string cell with Excel's quote prefix shows the text
    as typed and stays text even when someone edits the cell.
    """
    for row in sheet.iter_rows():
        for cell in row:
            if isinstance(cell.value, str):
                cell.data_type = "s"
                if looks_like_formula(cell.value):
                    cell.quotePrefix = True


def frame_for_spreadsheet(frame: pd.DataFrame) -> pd.DataFrame:
    """A copy of `frame` whose text cells (and column names) are safe to open in Excel or LibreOffice."""
    return _map_text(frame, for_spreadsheet)


def frame_for_workbook(frame: pd.DataFrame) -> pd.DataFrame:
    """A copy of `frame` that openpyxl can write: text cells and column names with controls shown (see for_workbook)."""
    return _map_text(frame, for_workbook)


def _map_text(frame: pd.DataFrame, cell) -> pd.DataFrame:
    """A copy of `frame` with `cell` applied to every column name and every value of its text columns."""
    out = frame.copy()
    out.columns = [cell(str(c)) for c in out.columns]
    for i in range(out.shape[1]):  # by position, so that duplicate column names are handled too
        column = out.iloc[:, i]
        if column.dtype == object or pd.api.types.is_string_dtype(column):
            out.isetitem(i, column.map(cell))
    return out


def to_csv(frame: pd.DataFrame, path=None, **kwargs) -> str | None:
    """Write `frame` as CSV with every text cell made inert (see `for_spreadsheet`); return the text if no path."""
    kwargs.setdefault("index", False)
    return frame_for_spreadsheet(frame).to_csv(path, **kwargs)
