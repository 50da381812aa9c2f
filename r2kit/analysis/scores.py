"""Scores of answers: items, themes, phases, lenses and overall; red lines item by item (docs/method.md)."""

from __future__ import annotations

from collections.abc import Iterable

import numpy as np
import pandas as pd

from .. import checklist, data

GAP_BELOW = 50.0  # a theme scoring under this is a gap


STRENGTH_FROM = 75.0  # a theme scoring this or more is a strength a peer can share


RED_LINE_HOLDS = "3"  # only "in place and applied in practice" holds an absolute obligation


def answers_table(assessments: Iterable) -> pd.DataFrame:
    """Stack Assessment objects into one tidy answers table."""
    frames = [a.answers_frame() for a in assessments]
    if not frames:
        return pd.DataFrame(columns=["assessment_id", "corridor_id", "item_id", "answer", "evidence", "confidence"])
    return pd.concat(frames, ignore_index=True)


def item_facts() -> pd.DataFrame:
    """The checklist columns that analyses join on each answer: theme, phase, red line, lenses, question."""
    return checklist.items()[["item_id", "theme_id", "theme_title", "phase", "red_line", "lenses", "question"]]


def item_scores(answers: pd.DataFrame) -> pd.DataFrame:
    """Every checklist item for every assessment, with its answer (or none), score and theme.

    Items an assessment left out appear with answer NaN, so coverage and red lines see them.
    """
    ids = pd.Index(answers["assessment_id"].unique(), name="assessment_id")
    items = item_facts()
    grid = pd.MultiIndex.from_product([ids, items["item_id"]], names=["assessment_id", "item_id"]).to_frame(index=False)
    given = answers[["assessment_id", "item_id", "answer"]].astype({"answer": "string"})
    out = grid.merge(given, on=["assessment_id", "item_id"], how="left").merge(items, on="item_id", how="left")
    out["score"] = out["answer"].map(checklist.score_of()).astype("float64")
    out["answered"] = out["score"].notna()
    out["dont_know"] = out["answer"].eq("dk").fillna(False).astype(bool)
    out["not_applicable"] = out["answer"].eq("na").fillna(False).astype(bool)
    out["missing"] = out["answer"].isna()
    return out


CODE_INDEX = {"0": 0, "1": 1, "2": 2, "3": 3, "dk": 4, "na": 5}  # -1 in the matrix: not answered


def answer_matrix(answers: pd.DataFrame) -> tuple[pd.Index, np.ndarray]:
    """Assessment ids and an (assessments x items) matrix of answer indices (CODE_INDEX; -1 = not answered).

    Items are in item-bank order. Building this once makes scoring thousands of assessments a few array operations.
    """
    ids, rows = pd.factorize(answers["assessment_id"], sort=False)
    cols = answers["item_id"].map({item: n for n, item in enumerate(checklist.item_ids())})
    codes = answers["answer"].astype(str).map(CODE_INDEX)
    ok = cols.notna().to_numpy() & codes.notna().to_numpy()
    matrix = np.full((len(rows), len(checklist.item_ids())), -1, dtype=np.int8)
    matrix[ids[ok], cols[ok].astype(int).to_numpy()] = codes[ok].astype(int).to_numpy()
    return pd.Index(rows, name="assessment_id"), matrix


def theme_scores(answers: pd.DataFrame) -> pd.DataFrame:
    """Per assessment and theme: score 0-100, gap, coverage, don't-knows and red lines at risk."""
    ids, matrix = answer_matrix(answers)
    items = checklist.items()
    scale = np.array([checklist.score_of()[c] for c in CODE_INDEX] + [np.nan])  # index -1 -> nan
    scores = scale[matrix]
    red = items["red_line"].fillna(False).to_numpy(dtype=bool)
    parts = []
    for theme in data.load("themes").itertuples():
        cols = np.flatnonzero(items["theme_id"].to_numpy() == theme.theme_id)
        sub, codes = scores[:, cols], matrix[:, cols]
        answered = (codes >= 0) & (codes <= 3)
        n_answered = answered.sum(axis=1)
        with np.errstate(invalid="ignore", divide="ignore"):
            score = np.where(n_answered > 0, np.nansum(sub, axis=1) / np.maximum(n_answered, 1), np.nan)
        not_applicable = (codes == 5).sum(axis=1)
        applicable = len(cols) - not_applicable
        parts.append(
            pd.DataFrame(
                {
                    "assessment_id": ids,
                    "theme_id": theme.theme_id,
                    "phase": theme.phase,
                    "theme_title": theme.title,
                    "items": len(cols),
                    "answered": n_answered,
                    "dont_know": (codes == 4).sum(axis=1),
                    "not_applicable": not_applicable,
                    "coverage": np.where(applicable > 0, n_answered / np.maximum(applicable, 1), np.nan),
                    "score": score,
                    "gap": 100.0 - score,
                    "red_lines_at_risk": (answered & (codes != 3) & red[cols]).sum(axis=1),
                }
            )
        )
    out = pd.concat(parts, ignore_index=True)
    order = pd.Series(np.arange(len(ids)), index=ids)
    out = out.iloc[np.lexsort((out["theme_id"].to_numpy(), order[out["assessment_id"]].to_numpy()))]
    return out.reset_index(drop=True)


def phase_scores(answers: pd.DataFrame) -> pd.DataFrame:
    """Per assessment and phase: mean of theme scores (each theme weighs the same) and coverage."""
    themes = theme_scores(answers)
    out = (
        themes.groupby(["assessment_id", "phase"], sort=False)
        .agg(
            score=("score", "mean"),
            themes_scored=("score", "count"),
            answered=("answered", "sum"),
            items=("items", "sum"),
            red_lines_at_risk=("red_lines_at_risk", "sum"),
        )
        .reset_index()
    )
    out["phase"] = pd.Categorical(out["phase"], categories=checklist.PHASES, ordered=True)
    return out.sort_values(["assessment_id", "phase"], kind="stable").reset_index(drop=True)


def lens_scores(answers: pd.DataFrame) -> pd.DataFrame:
    """Per assessment and cross-cutting lens (child-sensitive, gender-responsive ...): mean item score."""
    scored = item_scores(answers).explode("lenses").dropna(subset=["lenses"])
    out = (
        scored.groupby(["assessment_id", "lenses"])
        .agg(score=("score", "mean"), items=("item_id", "size"), answered=("answered", "sum"))
        .reset_index()
    )
    return out.rename(columns={"lenses": "lens"})


def overall(answers: pd.DataFrame) -> pd.DataFrame:
    """One row per assessment: overall score, coverage, don't-knows and red lines at risk."""
    themes = theme_scores(answers)
    out = (
        themes.groupby("assessment_id", sort=False)
        .agg(
            score=("score", "mean"),
            answered=("answered", "sum"),
            items=("items", "sum"),
            not_applicable=("not_applicable", "sum"),
            dont_know=("dont_know", "sum"),
            red_lines_at_risk=("red_lines_at_risk", "sum"),
        )
        .reset_index()
    )
    out["coverage"] = out["answered"] / (out["items"] - out["not_applicable"]).where(lambda s: s > 0)
    return out


def red_lines(answers: pd.DataFrame) -> pd.DataFrame:
    """Every red-line item for every assessment with its status: at risk, unknown, holds or not applicable."""
    scored = item_scores(answers)
    rl = scored[scored["red_line"].fillna(False)].copy()
    rl["status"] = np.select(
        [rl["answer"].eq(RED_LINE_HOLDS).fillna(False), rl["not_applicable"], rl["answered"]],
        ["holds", "not applicable", "at risk"],
        default="unknown",
    )
    basis = data.load("checklist").set_index("item_id")["red_line_basis"]
    rl["red_line_basis"] = rl["item_id"].map(basis)
    return rl[["assessment_id", "item_id", "theme_id", "phase", "question", "answer", "status", "red_line_basis"]]


def profiles(answers: pd.DataFrame) -> pd.DataFrame:
    """Theme scores as a matrix: one row per theme, one column per assessment."""
    themes = theme_scores(answers)
    return themes.pivot(index="theme_id", columns="assessment_id", values="score")
