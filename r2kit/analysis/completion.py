"""How far an assessment has got, and the honest summary participants read (no overall score too early)."""

from __future__ import annotations

import numpy as np
import pandas as pd

from .. import checklist
from .scores import item_scores, red_lines, theme_scores

# How a red line's status reads for people: "unknown" says why (no answer yet, or "don't know").
RED_LINE_WORDS = {"at risk": "at risk", "holds": "holds", "not applicable": "not applicable"}


def red_line_status(red: pd.DataFrame) -> pd.Series:
    """The status of each red line (rows of `red_lines`) in words: at risk, holds, don't know, not yet answered."""
    unknown = np.where(red["answer"].isna(), "not yet answered", "don't know")
    return pd.Series(np.where(red["status"] == "unknown", unknown, red["status"].map(RED_LINE_WORDS)), index=red.index)


def progress(answers: pd.DataFrame) -> pd.DataFrame:
    """One row per assessment: how far it has got, and its overall score only when there is enough to give one.

    Columns: items, answered (any answer), scored (0-3), dont_know, not_applicable, unanswered, themes,
    themes_scored (with at least one answer on the 0-3 scale), themes_missing (with no answer at all), score (the
    overall score, NaN while any theme has no answer: a mean over a few themes would read as the corridor's), the
    red lines by status (red_at_risk, red_holds, red_dont_know, red_not_answered, red_not_applicable) and one column
    per phase with its score (NaN while any theme of the phase has no answer).
    """
    items = item_scores(answers)
    out = items.groupby("assessment_id", sort=False).agg(
        items=("item_id", "size"),
        scored=("answered", "sum"),
        dont_know=("dont_know", "sum"),
        not_applicable=("not_applicable", "sum"),
        unanswered=("missing", "sum"),
    )
    out["answered"] = out["items"] - out["unanswered"]
    themes = theme_scores(answers)
    themes["touched"] = (themes["answered"] + themes["dont_know"] + themes["not_applicable"]) > 0
    by_theme = themes.groupby("assessment_id", sort=False)
    out["themes"] = by_theme.size()
    out["themes_scored"] = by_theme["score"].count()
    out["themes_missing"] = out["themes"] - by_theme["touched"].sum()
    out["score"] = by_theme["score"].mean().where(out["themes_missing"] == 0)
    red = red_lines(answers)
    words = red.assign(words=red_line_status(red)).groupby("assessment_id", sort=False)["words"]
    for status, column in [
        ("at risk", "red_at_risk"),
        ("holds", "red_holds"),
        ("don't know", "red_dont_know"),
        ("not yet answered", "red_not_answered"),
        ("not applicable", "red_not_applicable"),
    ]:
        out[column] = words.agg(lambda w, s=status: int((w == s).sum()))
    for phase in checklist.PHASES:
        part = themes[themes["phase"] == phase].groupby("assessment_id", sort=False)
        out[phase] = part["score"].mean().where(part["touched"].all())
    return out.reset_index()


def _count(n: int, one: str, many: str | None = None) -> str:
    return f"{n} {one if n == 1 else (many or one + 's')}"


def answers_text(row: pd.Series | dict) -> str:
    """'73 of 78 items answered: 68 on the 0-3 scale, 5 don't know' (a row of `progress`)."""
    parts = [f"{int(row['scored'])} on the 0-3 scale"]
    if row["dont_know"]:
        parts.append(f"{int(row['dont_know'])} don't know")
    if row["not_applicable"]:
        parts.append(f"{int(row['not_applicable'])} not applicable")
    return f"{int(row['answered'])} of {int(row['items'])} items answered: " + ", ".join(parts)


def red_lines_text(row: pd.Series | dict) -> str:
    """'Red lines: 1 at risk, 5 hold, 1 not yet answered.' (a row of `progress`); never silent about the unanswered."""
    parts = [
        f"{int(row['red_at_risk'])} at risk" if row["red_at_risk"] else "",
        _count(int(row["red_holds"]), "holds", "hold") if row["red_holds"] else "",
        f"{int(row['red_dont_know'])} don't know" if row["red_dont_know"] else "",
        f"{int(row['red_not_answered'])} not yet answered" if row["red_not_answered"] else "",
        f"{int(row['red_not_applicable'])} not applicable" if row["red_not_applicable"] else "",
    ]
    return "Red lines: " + ", ".join(p for p in parts if p) + "."


def progress_text(answers: pd.DataFrame) -> str:
    """The summary of one assessment a participant reads: the overall score only when every theme has an answer.

    Otherwise it says how many themes still have none, and gives the score of any phase whose themes all have one.
    """
    if answers.empty:
        return "No answers yet: open a theme and choose an answer for each question."
    row = progress(answers).iloc[0]
    if pd.notna(row["score"]):
        head = f"Overall score {row['score']:.0f} of 100 (a self-assessment for learning, not a grade)."
    else:
        missing = int(row["themes_missing"])
        head = (
            f"Too few answers for an overall score yet: {missing} of {int(row['themes'])} themes have no answer "
            "(answer at least one question in each theme)."
        )
        done = [f"{phase} {row[phase]:.0f} of 100" for phase in checklist.PHASES if pd.notna(row[phase])]
        if done:
            head += " Scored so far: " + "; ".join(done) + "."
    return f"{head} {answers_text(row)}. {red_lines_text(row)}"
