"""Exports of a session: csv (tidy answers), xlsx (session, participants, answers, theme scores) or json (documents)."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pandas as pd

from .. import analysis, atomic, inert
from ..errors import R2kitError

EXPORT_FORMAT = "r2kit-session-export"


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
                    "version": sub.version,
                    "current": sub.current,
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


def export(store, name: str, fmt: str, output: str | os.PathLike, history: bool = False) -> Path:
    """Write session `name` to `output` as csv, xlsx or json (atomically); return the path."""
    output = Path(output)
    info = {k: v for k, v in store.session(name).items() if k != "label_salt"}
    output.parent.mkdir(parents=True, exist_ok=True)
    with atomic.replacing(output, suffix=output.suffix or f".{fmt}") as tmp:
        if fmt == "csv":
            inert.to_csv(answers_with_meta(store, name, history), tmp)  # participants' text never a formula
        elif fmt == "json":
            doc = {"format": EXPORT_FORMAT, "session": info, "submissions": store.documents(name, history)}
            Path(tmp).write_text(json.dumps(doc, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
        elif fmt == "xlsx":
            _xlsx(store, name, info, history, tmp)
        else:
            raise R2kitError(f"Unknown export format {fmt!r}: use csv, xlsx or json.")
    return output


def _xlsx(store, name: str, info: dict, history: bool, path: str) -> None:
    try:
        from openpyxl import Workbook
    except ImportError:
        raise R2kitError(
            'Excel export needs openpyxl: pip install "r2kit[workshop]" (or pip install openpyxl).'
        ) from None
    answers = answers_with_meta(store, name, history)
    subs = store.submissions(name, history).drop(columns=["content_hash"])
    subs["flags"] = subs["flags"].map("; ".join)
    themes = analysis.theme_scores(store.answers(name)) if not answers.empty else pd.DataFrame()
    sheets = {
        "session": pd.DataFrame(
            {"field": list(info), "value": [str(v) if v is not None else "" for v in info.values()]}
        ),
        "participants": subs,
        "answers": answers,
        "theme_scores": themes.round(1),
    }
    book = Workbook()
    book.remove(book.active)
    for title, frame in sheets.items():
        sheet = book.create_sheet(title)
        sheet.append([inert.for_workbook(c) for c in frame.columns])
        for row in frame.itertuples(index=False):
            sheet.append([None if _missing(v) else inert.for_workbook(v) for v in row])
        inert.keep_text_as_text(sheet)  # participants' text is text, never an Excel formula
    book.save(path)


def _missing(value: object) -> bool:
    try:
        return bool(pd.isna(value))
    except (TypeError, ValueError):
        return False
