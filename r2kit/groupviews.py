"""Anonymised group views of many assessments: pure functions, DataFrames in, DataFrames out.

They work the same on a session's store (`Store.answers`, `Store.participants`) and on a plain list of
Assessment objects (`analysis.answers_table(assessments)`, `participants(assessments)`), as notebook 04 does.

Group views never rank or name States: distributions and counts per theme and per red line. Where a view shows
individual assessments, `labels` names the viewer's own corridor and participants who opted in
(`assessor.named_in_group_views`), and calls everyone else "peer A", "peer B" ... in an order that does not
follow their names.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable

import numpy as np
import pandas as pd

from . import analysis, checklist
from .errors import R2kitError

META_COLUMNS = ["assessment_id", "corridor_id", "assessor_code", "role", "origin", "destination", "region", "named"]


def participants(assessments: Iterable) -> pd.DataFrame:
    """Metadata of Assessment objects, one row each: ids, role, countries, region (or None) and the naming opt-in."""
    rows = [
        {
            "assessment_id": a.id,
            "corridor_id": a.corridor["id"],
            "assessor_code": a.assessor["code"],
            "role": a.assessor.get("role"),
            "origin": a.corridor.get("origin"),
            "destination": a.corridor.get("destination"),
            "region": a.corridor.get("region"),
            "named": bool(a.assessor.get("named_in_group_views", False)),
        }
        for a in assessments
    ]
    return pd.DataFrame(rows, columns=META_COLUMNS)


def meta_from_answers(answers: pd.DataFrame) -> pd.DataFrame:
    """Minimal metadata when only an answers table is at hand: nobody named, no regions."""
    ids = pd.Series(answers["assessment_id"].unique(), dtype=object)
    if "corridor_id" in answers:
        corridor = ids.map(answers.drop_duplicates("assessment_id").set_index("assessment_id")["corridor_id"])
    else:
        corridor = ids.str.split("/").str[0]
    return pd.DataFrame(
        {
            "assessment_id": ids,
            "corridor_id": corridor,
            "assessor_code": ids.str.split("/").str[-1],
            "role": None,
            "origin": None,
            "destination": None,
            "region": None,
            "named": False,
        },
        columns=META_COLUMNS,
    )


def _meta(answers: pd.DataFrame | None, meta: pd.DataFrame | None) -> pd.DataFrame:
    if meta is not None:
        return meta
    if answers is None:
        raise R2kitError("Group views need an answers table or a metadata table.")
    return meta_from_answers(answers)


def peer_letters(n: int) -> str:
    """The n-th (0-based) peer letter: A ... Z, AA, AB ..."""
    out = ""
    n += 1
    while n:
        n, rest = divmod(n - 1, 26)
        out = chr(65 + rest) + out
    return out


def labels(meta: pd.DataFrame, viewer: str | None = None, salt: str = "") -> dict[str, str]:
    """assessment_id -> label: the viewer's own corridor and opted-in participants named, others 'peer A', 'peer B' ...

    `viewer` is an assessment id (NOR-ALD/GOV-1) or a corridor id (NOR-ALD); None for a facilitator's anonymised
    view. Letters follow a hash of each id with `salt` (a session keeps a secret one), not alphabetical order, and are
    the same for every viewer, so "peer C" means the same participant on everyone's screen.
    """
    ids = list(dict.fromkeys(meta["assessment_id"]))
    own: set[str] = set()
    if viewer is not None:
        own = set(meta.loc[(meta["assessment_id"] == viewer) | (meta["corridor_id"] == viewer), "assessment_id"])
        if not own:
            known = sorted(set(meta["assessment_id"]) | set(meta["corridor_id"]))
            raise R2kitError(
                f"Unknown viewer {viewer!r}: give an assessment or corridor id, one of {', '.join(known)}."
            )
    named = set(meta.loc[meta["named"].fillna(False).astype(bool), "assessment_id"])
    order = sorted(ids, key=lambda a: hashlib.sha256(f"{salt}\x00{a}".encode()).hexdigest())
    out = {}
    for n, assessment_id in enumerate(order):
        if assessment_id in own:
            out[assessment_id] = f"{assessment_id} (you)"
        elif assessment_id in named:
            out[assessment_id] = assessment_id
        else:
            out[assessment_id] = f"peer {peer_letters(n)}"
    return {a: out[a] for a in ids}


def anonymise(
    frame: pd.DataFrame, meta: pd.DataFrame, viewer: str | None = None, salt: str = "", column: str = "assessment_id"
) -> pd.DataFrame:
    """`frame` with `column` replaced by labels and corridor/assessor columns dropped, sorted by label."""
    names = labels(meta, viewer, salt)
    out = frame.drop(columns=[c for c in ("corridor_id", "assessor_code", "origin", "destination") if c in frame])
    out = out.assign(**{column: out[column].map(names)})
    return out.rename(columns={column: "participant"})


def as_theme_scores(frame: pd.DataFrame) -> pd.DataFrame:
    """Theme scores from an answers table, or the frame itself if it already holds theme scores."""
    if {"theme_id", "score", "assessment_id"} <= set(frame.columns):
        return frame
    return analysis.theme_scores(frame)


def score_distribution(answers: pd.DataFrame) -> pd.DataFrame:
    """Per theme across the group: assessments scored, min, quartiles, median, max, mean, gaps and strengths.

    `answers` is an answers table or theme scores (analysis.theme_scores).
    """
    themes = as_theme_scores(answers)
    scored = themes.dropna(subset=["score"])
    grouped = scored.groupby("theme_id")["score"]
    out = themes.drop_duplicates("theme_id")[["theme_id", "phase", "theme_title"]].set_index("theme_id")
    out["assessments"] = grouped.size()
    out["min"] = grouped.min()
    out["q1"] = grouped.quantile(0.25)
    out["median"] = grouped.median()
    out["q3"] = grouped.quantile(0.75)
    out["max"] = grouped.max()
    out["mean"] = grouped.mean()
    out["gaps"] = scored.assign(g=scored["score"] < analysis.GAP_BELOW).groupby("theme_id")["g"].sum()
    out["strengths"] = scored.assign(s=scored["score"] >= analysis.STRENGTH_FROM).groupby("theme_id")["s"].sum()
    out[["assessments", "gaps", "strengths"]] = out[["assessments", "gaps", "strengths"]].fillna(0).astype(int)
    return out.reset_index().sort_values("theme_id").reset_index(drop=True)


def common_gaps(answers: pd.DataFrame, top: int | None = None) -> pd.DataFrame:
    """Themes by how many assessments have a gap there (score under 50 or a red line at risk), most common first.

    `answers` is an answers table or theme scores. `top` keeps the first rows only.
    """
    themes = as_theme_scores(answers)
    scored = themes.dropna(subset=["score"])
    gap = (scored["score"] < analysis.GAP_BELOW) | (scored["red_lines_at_risk"] > 0)
    n = themes["assessment_id"].nunique()
    out = (
        scored.assign(gap=gap, red=scored["red_lines_at_risk"] > 0)
        .groupby(["theme_id", "phase", "theme_title"], sort=False)
        .agg(
            assessments_with_gap=("gap", "sum"), with_red_line_at_risk=("red", "sum"), median_score=("score", "median")
        )
        .reset_index()
    )
    out["share"] = out["assessments_with_gap"] / n if n else np.nan
    out = out[out["assessments_with_gap"] > 0]
    out = out.sort_values(["assessments_with_gap", "median_score", "theme_id"], ascending=[False, True, True])
    out = out.astype({"assessments_with_gap": int, "with_red_line_at_risk": int}).reset_index(drop=True)
    return out.head(top) if top else out


def red_lines_at_risk(answers: pd.DataFrame) -> pd.DataFrame:
    """Per red-line item: how many assessments have it at risk, unknown, holding or not applicable (counts only)."""
    ids, matrix = analysis.answer_matrix(answers)
    items = checklist.items()
    red = items["red_line"].fillna(False).to_numpy(dtype=bool)
    codes = matrix[:, red]
    holds = analysis.CODE_INDEX[analysis.RED_LINE_HOLDS]
    out = items.loc[red, ["item_id", "theme_id", "phase", "question"]].reset_index(drop=True)
    out["at_risk"] = ((codes >= 0) & (codes <= 3) & (codes != holds)).sum(axis=0)
    out["unknown"] = ((codes == -1) | (codes == analysis.CODE_INDEX["dk"])).sum(axis=0)
    out["holds"] = (codes == holds).sum(axis=0)
    out["not_applicable"] = (codes == analysis.CODE_INDEX["na"]).sum(axis=0)
    out["assessments"] = len(ids)
    return out.sort_values(["at_risk", "unknown", "item_id"], ascending=[False, False, True]).reset_index(drop=True)


def group_views(
    answers: pd.DataFrame, meta: pd.DataFrame | None = None, viewer: str | None = None, salt: str = "", top: int = 5
) -> dict[str, pd.DataFrame | dict]:
    """Every group view at once (theme scores computed once): distribution, common gaps, red lines, labels."""
    meta = _meta(answers, meta)
    themes = analysis.theme_scores(answers)
    names = labels(meta, viewer, salt)
    return {
        "labels": names,
        "themes": themes.assign(label=themes["assessment_id"].map(names)),
        "distribution": score_distribution(themes),
        "common_gaps": common_gaps(themes, top),
        "red_lines": red_lines_at_risk(answers),
    }


# Score bands for the group gap map: (column, words), in the order people read them.
SCORE_BANDS = [
    ("gap", f"under {analysis.GAP_BELOW:.0f} (gap)"),
    ("middle", f"{analysis.GAP_BELOW:.0f} to {analysis.STRENGTH_FROM - 1:.0f}"),
    ("strength", f"{analysis.STRENGTH_FROM:.0f} or more (strength)"),
    ("not_scored", "not scored"),
]


def score_bands(answers: pd.DataFrame) -> pd.DataFrame:
    """Per theme, how many assessments score in each band (gap, middle, strength, not scored): 19 rows at any size.

    `answers` is an answers table or theme scores. Columns: theme_id, phase, theme_title, gap, middle, strength,
    not_scored, assessments (the total, so each row adds up to it).
    """
    themes = as_theme_scores(answers)
    score = themes["score"]
    band = np.select(
        [score.isna(), score < analysis.GAP_BELOW, score >= analysis.STRENGTH_FROM],
        ["not_scored", "gap", "strength"],
        default="middle",
    )
    counts = pd.crosstab(themes["theme_id"], band).reindex(columns=[b for b, _ in SCORE_BANDS], fill_value=0)
    out = themes.drop_duplicates("theme_id")[["theme_id", "phase", "theme_title"]].set_index("theme_id")
    out = out.join(counts).fillna(0)
    out[counts.columns] = out[counts.columns].astype(int)
    out["assessments"] = out[[b for b, _ in SCORE_BANDS]].sum(axis=1)
    return out.reset_index().sort_values("theme_id").reset_index(drop=True)


def label_key(label: str) -> tuple:
    """Sort key that reads labels in order: named participants by name first, then peer A ... Z, AA, AB ..."""
    if label.startswith("peer "):
        letters = label[5:]
        return (1, len(letters), letters)
    return (0, 0, label)


def in_label_order(frame: pd.DataFrame, column: str = "participant") -> pd.DataFrame:
    """Rows sorted by the label in `column` (named first, then peer A, B ... AA), each label's rows kept in order.

    In an anonymised list, rows in the order of corridor ids would give away who is who.
    """
    keys = [label_key(str(label)) for label in frame[column]]
    return frame.iloc[sorted(range(len(frame)), key=keys.__getitem__)].reset_index(drop=True)


def score_table(answers: pd.DataFrame, names: dict[str, str]) -> pd.DataFrame:
    """Every assessment's theme scores, one row each (participant label, then one column per theme id), in label order.

    `answers` is an answers table or theme scores; `names` maps assessment ids to the labels to show. Scores are
    rounded to whole numbers; a theme with no scored answer is missing. Also: gaps (themes under 50) and red lines at
    risk (summed over themes), the two things a facilitator scans a long table for.
    """
    themes = as_theme_scores(answers)
    scores = themes.pivot(index="assessment_id", columns="theme_id", values="score")
    red = themes.groupby("assessment_id")["red_lines_at_risk"].sum()
    wide = scores.round(0)
    wide["gaps"] = (scores < analysis.GAP_BELOW).sum(axis=1)  # before rounding: 49.6 is a gap
    wide["red_lines_at_risk"] = red.reindex(wide.index).fillna(0).astype(int)
    wide.columns.name = None
    wide.insert(0, "participant", [names.get(a, a) for a in wide.index])
    return in_label_order(wide.reset_index(drop=True))
