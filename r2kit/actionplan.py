"""Action plans: from an assessment's priority gaps to next steps a ministry or UN country team can take."""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from . import analysis, inert
from .assessment import Assessment
from .errors import R2kitError
from .privacy import personal_data_warnings

TIMELINES = ["within 3 months", "within 6 months", "within 12 months", "longer term"]
COLUMNS = [
    "corridor",
    "rank",
    "theme_id",
    "theme_title",
    "reason",
    "practices",
    "gcm_actions",
    "sdg_targets",
    "next_step",
    "lead",
    "timeline",
]


def draft(assessment: Assessment, top: int = 5) -> pd.DataFrame:
    """One row per priority gap, with the practices, GCM actions and SDG targets, and empty plan columns."""
    gaps = analysis.gap_resources(assessment.answers_frame(), top)
    plan = gaps.assign(corridor=assessment.title, next_step="", lead="", timeline="")
    return plan[COLUMNS].reset_index(drop=True)


def check(plan: pd.DataFrame) -> list[str]:
    """Warnings for plan text that looks like personal data (the lead is a role or body, not a person)."""
    out = []
    for row in plan.itertuples():
        for field in ("next_step", "lead"):
            for message in personal_data_warnings(getattr(row, field)):
                out.append(f"Theme {row.theme_id}, {field.replace('_', ' ')}: {message}.")
        if row.timeline and row.timeline not in TIMELINES:
            raise R2kitError(f"Theme {row.theme_id}: timeline {row.timeline!r} is not one of {', '.join(TIMELINES)}.")
    return out


def export(plan: pd.DataFrame, output_dir: str | Path, stem: str = "action_plan") -> list[Path]:
    """Write the plan as CSV (UTF-8 with BOM, opens cleanly in spreadsheets) and Excel; return both paths."""
    check(plan)
    folder = Path(output_dir)
    folder.mkdir(parents=True, exist_ok=True)
    csv_path, xlsx_path = folder / f"{stem}.csv", folder / f"{stem}.xlsx"
    inert.to_csv(plan, csv_path, encoding="utf-8-sig")  # typed text is never a formula in a spreadsheet
    with pd.ExcelWriter(xlsx_path, engine="openpyxl") as writer:
        inert.frame_for_workbook(plan).to_excel(writer, index=False, sheet_name="Action plan")
        sheet = writer.sheets["Action plan"]
        inert.keep_text_as_text(sheet)
        for column, width in zip("ABCDEFGHIJK", [28, 6, 8, 40, 22, 40, 12, 12, 50, 30, 16], strict=True):
            sheet.column_dimensions[column].width = width
    return [csv_path, xlsx_path]
