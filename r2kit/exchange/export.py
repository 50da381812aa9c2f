"""Exports of a session: csv (tidy answers), xlsx (a workbook for people) or json (the documents as submitted).

The workbook opens with an About sheet (what each sheet and column means, who is named, where the data came from,
the r2kit version and the date); every sheet has readable headers, sensible column widths, a frozen header row and
a filter, true/false as real booleans, and participants' text written as text (never an Excel formula, r2kit.inert).
"""

from __future__ import annotations

import datetime as dt
import json
import math
import os
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pandas as pd

from .. import __version__, analysis, atomic, checklist, groupviews, inert
from ..errors import R2kitError
from .folders import make_dirs

EXPORT_FORMAT = "r2kit-session-export"
FORMATS = ("csv", "xlsx", "json")
MIN_WIDTH, MAX_WIDTH = 8, 60  # column widths in characters: long text wraps inside MAX_WIDTH
SHEET_TITLE_MAX = 31  # Excel's limit on a sheet's name


@dataclass
class Sheet:
    """One sheet of a workbook for people: its data, what it holds, and each shown column's heading and meaning."""

    title: str
    frame: pd.DataFrame
    about: str
    columns: dict[str, tuple[str, str]] = field(default_factory=dict)  # column -> (heading, meaning), in order
    formats: dict[str, str] = field(default_factory=dict)  # column -> Excel number format ("0%", "yyyy-mm-dd")
    min_widths: dict[str, int] = field(default_factory=dict)  # column -> width it gets even when mostly empty


def default_output(store, name: str, fmt: str, anonymised: bool = False) -> Path:
    """Where an export goes when no file is named: the session's own folder in the data folder (private, and
    deleted with the session), never the current directory."""
    suffix = "-anonymised" if anonymised else ""
    return store.reports_dir(name) / "exports" / f"{name}{suffix}.{fmt}"


def answers_with_meta(store, name: str, history: bool = False) -> pd.DataFrame:
    """One row per answer with who submitted it, the corridor and the version (current only unless history)."""
    rows = []
    for doc, sub in zip(store.documents(name, history), store.submissions(name, history).itertuples(), strict=True):
        for a in doc["answers"]:
            rows.append(
                {
                    "session": name,
                    "assessment_id": sub.assessment_id,
                    "corridor_id": sub.corridor_id,
                    "origin": sub.origin,
                    "destination": sub.destination,
                    "region": sub.region,
                    "assessor_code": sub.assessor_code,
                    "role": sub.role,
                    "version": int(sub.version),
                    "current": bool(sub.current),
                    "submitted_at": sub.submitted_at,
                    "item_id": a["item_id"],
                    "answer": a["answer"],
                    "evidence": a.get("evidence"),
                    "confidence": a.get("confidence"),
                }
            )
    columns = ["session", "assessment_id", "corridor_id", "origin", "destination", "region", "assessor_code", "role",
               "version", "current", "submitted_at", "item_id", "answer", "evidence", "confidence"]  # fmt: skip
    return pd.DataFrame(rows, columns=columns)


def anonymised_answers(answers: pd.DataFrame, names: dict[str, str]) -> pd.DataFrame:
    """The answers table with each participant's label first (peer A ... or their id if named), in label order, and
    nothing that names a corridor: no ids, countries or assessor codes."""
    hidden = ["assessment_id", "corridor_id", "origin", "destination", "assessor_code"]
    out = answers.assign(participant=answers["assessment_id"].map(names)).drop(columns=hidden)
    out = out[["participant", *[c for c in out.columns if c != "participant"]]]
    return groupviews.in_label_order(out)  # rows in corridor order would give the labels away


def export(
    store,
    name: str,
    fmt: str,
    output: str | os.PathLike | None = None,
    history: bool = False,
    anonymised: bool = False,
) -> Path:
    """Write session `name` to `output` (default: default_output) as csv, xlsx or json, atomically; return the path.

    With `anonymised`, participants who did not choose to be named appear as peer A, B ... (csv and xlsx only).
    """
    if fmt not in FORMATS:
        raise R2kitError(f"Unknown export format {fmt!r}: use csv, xlsx or json.")
    if anonymised and fmt == "json":
        raise R2kitError("A json export holds the files as submitted and cannot be anonymised: use csv or xlsx.")
    output = Path(output) if output else default_output(store, name, fmt, anonymised)
    info = {k: v for k, v in store.session(name).items() if k != "label_salt"}
    names = groupviews.labels(store.participants(name), salt=store.session(name)["label_salt"]) if anonymised else {}
    make_dirs(output.parent)
    with atomic.replacing(output, suffix=output.suffix or f".{fmt}") as tmp:
        if fmt == "csv":
            answers = answers_with_meta(store, name, history)
            if anonymised:
                answers = anonymised_answers(answers, names)
            inert.to_csv(answers, tmp)  # participants' text never a formula
        elif fmt == "json":
            doc = {"format": EXPORT_FORMAT, "session": info, "submissions": store.documents(name, history)}
            Path(tmp).write_text(json.dumps(doc, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
        else:
            sheets = session_sheets(store, name, history, names if anonymised else None)
            write_workbook(tmp, sheets, about_facts(info, history, anonymised, len(store.participants(name))))
    return output


# --- the session workbook -------------------------------------------------------------------------------------------


def about_facts(info: dict, history: bool, anonymised: bool, participants: int) -> list[tuple[str, str]]:
    """The About sheet's facts: the session, who is named, which versions, where the data came from, version, date."""
    named = (
        "Anonymised: participants who did not choose to be named in group views (named_in_group_views in their "
        "file) appear as peer A, peer B ... (the same letters as in the session's reports); those who chose to be "
        "named appear by corridor and code. Corridor ids, countries, assessor codes and file names are left out. "
        "Evidence is free text written by participants and may still say who they are: read it before sharing."
        if anonymised
        else "Named: every participant appears by corridor and code (for example NOR-ALD/GOV-1), with countries and "
        "file names. This workbook is for the facilitator: keep it safe, do not share it. For a copy to share, "
        "export with --anonymised: participants who did not choose to be named then appear as peer A, peer B ..."
    )
    return [
        ("Session", str(info.get("name", ""))),
        ("Title", str(info.get("title") or "(not given)")),
        ("Held on", str(info.get("held_on") or "(not given)")),
        ("Thematic focus", str(info.get("focus") or "(not given)")),
        ("Participants", str(participants)),
        ("Participants named?", named),
        ("Versions", "every version of each submission" if history else "the current version of each submission"),
        (
            "Where the data came from",
            "The assessment files participants submitted to this session, each checked against the r2kit "
            "assessment format, read from the r2kit data folder with `r2kit session export`.",
        ),
        ("Exported on", dt.datetime.now(dt.timezone.utc).strftime("%Y-%m-%d %H:%M UTC")),
        ("r2kit version", __version__),
    ]


def session_sheets(store, name: str, history: bool, names: dict[str, str] | None = None) -> list[Sheet]:
    """The session workbook's sheets (participants, answers, theme scores); `names` anonymises (labels by id)."""
    subs = store.submissions(name, history).drop(columns=["content_hash"])
    subs["flags"] = subs["flags"].map("; ".join)
    subs["submitted_at"] = submitted_times(subs["submitted_at"])
    answers = answers_with_meta(store, name, history)
    answers["submitted_at"] = submitted_times(answers["submitted_at"])
    items = checklist.items().set_index("item_id")
    answers["theme"] = answers["item_id"].map(items["theme_id"].astype(str) + ". " + items["theme_title"])
    answers["question"] = answers["item_id"].map(items["question"])
    scale = checklist.answer_scale().set_index("answer_code")["label"]
    answers["meaning"] = answers["answer"].astype(str).map(scale)
    themes = analysis.theme_scores(store.answers(name)) if not answers.empty else _empty_theme_scores()
    themes = themes.assign(theme=themes["theme_id"].astype(str) + ". " + themes["theme_title"], score=themes["score"])
    if names is not None:  # rows in label order: the order of corridors' ids would give them away
        subs = groupviews.in_label_order(subs.assign(participant=subs["assessment_id"].map(names)))
        answers = anonymised_answers(answers, names)
        themes = groupviews.in_label_order(themes.assign(participant=themes["assessment_id"].map(names)))
        ids = "participant"
    else:
        ids = "assessment_id"
    who = ("Participant", _who(names is not None))
    participants_cols = {ids: who} | ({} if names is not None else {
        "corridor_id": ("Corridor", "The corridor's id: the two countries of the return corridor."),
        "assessor_code": ("Assessor code", "The code the assessing team chose (never a name)."),
        "origin": ("Country of origin", "Where people return to."),
        "destination": ("Country of destination", "Where people return from."),
    }) | {
        "role": ("Role", "The assessing team's role: government, civil society, UN country team ..."),
        "region": ("Region", "The region the participant gave, if any."),
        "named": ("Named in group views", "TRUE if the participant chose to be named in group views and reports."),
        "fictional": ("Fictional corridor", "TRUE for the invented sample corridors used in training."),
        "answers": ("Answers", "How many checklist items the file answers (of 78)."),
        "version": ("Version", "1 for the first file; higher when the participant replaced it."),
        "current": ("Current version", "TRUE for the version in use; FALSE for an earlier, replaced one."),
        "submitted_at": ("Submitted (UTC)", "When the file was submitted, in UTC."),
    } | ({} if names is not None else {
        "file_name": ("File name", "The name of the submitted file (not its folder)."),
    }) | {
        "flags": ("Personal-data flags", "Text that looked like personal data (an email, a phone number ...)."),
    }  # fmt: skip
    answers_cols = {ids: who} | ({} if names is not None else {
        "corridor_id": ("Corridor", "The corridor's id."),
    }) | {
        "region": ("Region", "The region the participant gave, if any."),
        "role": ("Role", "The assessing team's role."),
        "version": ("Version", "Which version of the participant's file the answer comes from."),
        "current": ("Current version", "TRUE if that version is the one in use."),
        "submitted_at": ("Submitted (UTC)", "When that version was submitted, in UTC."),
        "theme": ("Theme", "The theme of the item (1-7 pre-return, 8-11 return, 12-19 post-return)."),
        "item_id": ("Item", "The checklist item's id (C01.1 is theme 1, item 1)."),
        "question": ("Question", "The checklist question."),
        "answer": ("Answer", "0 not in place, 1 planned or partly, 2 on paper, 3 applied in practice; "
                             "dk don't know; na not applicable."),
        "meaning": ("Answer in words", "The answer's label on the checklist's scale."),
        "evidence": ("Evidence", "What the participant wrote to support the answer, as written (shown as text)."),
        "confidence": ("Confidence", "How sure the participant was: low, medium or high."),
    }  # fmt: skip
    theme_cols = {
        ids: who,
        "theme": ("Theme", "Theme number and title."),
        "phase": ("Phase", "pre-return, return or post-return."),
        "score": ("Score (0-100)", "Average of the theme's scored answers: 0 not in place ... 100 applied in "
                                   "practice; under 50 is a gap, 75 or more a strength; blank if none was scored."),
        "coverage": ("Coverage", "Share of the theme's applicable items given a scored answer."),
        "items": ("Items", "Checklist items in the theme."),
        "answered": ("Scored answers", "Items answered 0 to 3."),
        "dont_know": ("Don't know", "Items answered don't know (a finding, not a zero)."),
        "not_applicable": ("Not applicable", "Items answered not applicable (left out of the score)."),
        "red_lines_at_risk": ("Red lines at risk", "Absolute obligations in the theme not yet in place and applied."),
    }  # fmt: skip
    return [
        Sheet("Participants", subs, "One row per submitted file: who assessed which corridor, and when.",
              participants_cols, {"submitted_at": "yyyy-mm-dd hh:mm"}),
        Sheet("Answers", answers, "One row per answer: every checklist item each participant answered.",
              answers_cols, {"submitted_at": "yyyy-mm-dd hh:mm"}, {"evidence": 50}),
        Sheet("Theme scores", themes.assign(score=themes["score"].round(0)),
              "One row per participant and theme (current versions): the scores the reports show.",
              theme_cols, {"coverage": "0%", "score": "0"}),
    ]  # fmt: skip


def _who(anonymised: bool) -> str:
    return (
        "peer A, peer B ... (the same letters as in the session's reports), or corridor/code for those who chose "
        "to be named."
        if anonymised
        else "Corridor and assessor code (corridor/code), as in r2kit session show."
    )


def _empty_theme_scores() -> pd.DataFrame:
    columns = ["assessment_id", "theme_id", "phase", "theme_title", "items", "answered", "dont_know",
               "not_applicable", "coverage", "score", "gap", "red_lines_at_risk"]  # fmt: skip
    return pd.DataFrame(columns=columns)


def submitted_times(values: pd.Series) -> pd.Series:
    """ISO times as stored ('2026-11-20T09:30:00+00:00') as naive UTC datetimes, which spreadsheets show as dates."""
    times = pd.to_datetime(values, utc=True, errors="coerce").dt.tz_localize(None)
    return times.astype(object).where(times.notna(), None)


# --- writing a workbook for people ----------------------------------------------------------------------------------


def write_workbook(path: str | os.PathLike, sheets: list[Sheet], facts: list[tuple[str, str]]) -> None:
    """Write an About sheet (facts, then every sheet and column explained) and `sheets` as an xlsx file at `path`."""
    try:
        from openpyxl import Workbook
    except ImportError:
        raise R2kitError(
            'Excel export needs openpyxl: pip install "r2kit[workshop]" (or pip install openpyxl).'
        ) from None
    book = Workbook()
    about = book.active
    about.title = "About"
    _about(about, sheets, facts)
    for spec in sheets:
        _data_sheet(book.create_sheet(spec.title[:SHEET_TITLE_MAX]), spec)
    book.save(path)


def _about(sheet, sheets: list[Sheet], facts: list[tuple[str, str]]) -> None:
    """The About sheet: a title, the facts (label, value), then one row per sheet and per column with its meaning."""
    from openpyxl.styles import Alignment, Font

    sheet.append(["About this workbook"])
    sheet["A1"].font = Font(bold=True, size=14)
    sheet.append([])
    for label, value in facts:
        sheet.append([label, inert.for_workbook(value)])
        sheet.cell(sheet.max_row, 1).font = Font(bold=True)
    sheet.append([])
    sheet.append(["Sheet", "Column", "What it means"])
    heading = sheet.max_row
    for cell in sheet[heading]:
        cell.font = Font(bold=True)
    for spec in sheets:
        sheet.append([spec.title, "", spec.about])
        sheet.cell(sheet.max_row, 1).font = Font(bold=True)
        for title, meaning in spec.columns.values():
            sheet.append([spec.title, title, meaning])
    for column, width in zip("ABC", (24, 24, 100), strict=True):
        sheet.column_dimensions[column].width = width
    for row in sheet.iter_rows(min_row=3):
        for cell in row:
            cell.alignment = Alignment(wrap_text=True, vertical="top")
    inert.keep_text_as_text(sheet)


def _data_sheet(sheet, spec: Sheet) -> None:
    """One data sheet: bold frozen header with a filter, readable widths, real booleans and dates, text kept as text."""
    from openpyxl.styles import Alignment, Font
    from openpyxl.utils import get_column_letter

    columns = [c for c in spec.columns if c in spec.frame.columns]
    frame = spec.frame[columns]
    sheet.append([inert.for_workbook(spec.columns[c][0]) for c in columns])
    for row in frame.itertuples(index=False):
        sheet.append([_cell(v) for v in row])
    inert.keep_text_as_text(sheet)  # participants' text is text, never an Excel formula
    for cell in sheet[1]:
        cell.font = Font(bold=True)
        cell.alignment = Alignment(wrap_text=True, vertical="top")
    sheet.freeze_panes = "A2"
    if len(frame):
        sheet.auto_filter.ref = sheet.dimensions
    for n, column in enumerate(columns, start=1):
        letter = get_column_letter(n)
        width = max(column_width(spec.columns[column][0], frame[column]), spec.min_widths.get(column, 0))
        sheet.column_dimensions[letter].width = width
        number_format = spec.formats.get(column)
        wrap = width >= MAX_WIDTH or column in spec.min_widths  # long text wraps inside its column
        if number_format or wrap:
            for (cell,) in sheet.iter_rows(min_row=2, min_col=n, max_col=n):
                if number_format:
                    cell.number_format = number_format
                if wrap:
                    cell.alignment = Alignment(wrap_text=True, vertical="top")


def column_width(heading: str, values: pd.Series) -> int:
    """A column width (characters) that shows the heading and most values whole, between MIN_WIDTH and MAX_WIDTH."""
    if values.dtype == bool:
        longest = 5  # FALSE
    elif pd.api.types.is_datetime64_any_dtype(values) or values.map(lambda v: isinstance(v, dt.datetime)).any():
        longest = 16  # yyyy-mm-dd hh:mm
    else:
        lengths = values.dropna().astype(str).map(lambda v: max((len(line) for line in v.splitlines()), default=0))
        longest = int(lengths.quantile(0.95)) if len(lengths) else 0
    head = max((len(word) for word in heading.split()), default=0)  # headings wrap between words
    return int(min(MAX_WIDTH, max(MIN_WIDTH, head + 2, longest + 2, min(len(heading), 20) + 2)))


def _cell(value: object) -> object:
    """A value as openpyxl should store it: real booleans and numbers, blanks for missing, inert text."""
    if value is None:
        return None
    if isinstance(value, (bool, np.bool_)):
        return bool(value)
    if isinstance(value, np.integer):
        return int(value)
    if isinstance(value, (float, np.floating)):
        return None if math.isnan(value) else float(value)
    if isinstance(value, pd.Timestamp):
        return value.to_pydatetime()
    if value is pd.NA or value is pd.NaT:
        return None
    return inert.for_workbook(value)
