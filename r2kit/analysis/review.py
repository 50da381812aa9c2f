"""Two assessments of one corridor compared (agreement, weighted kappa, items to discuss), and complementarity."""

from __future__ import annotations

from collections.abc import Iterable

import numpy as np
import pandas as pd

from .. import checklist
from .scores import GAP_BELOW, STRENGTH_FROM, item_facts, item_scores, theme_scores


def weighted_kappa(a: Iterable, b: Iterable, categories: int = 4, weights: str = "linear") -> float:
    """Cohen's weighted kappa for two raters on an ordinal scale 0..categories-1 (NaN if undefined)."""
    x = np.asarray(list(a), dtype=int)
    y = np.asarray(list(b), dtype=int)
    if len(x) == 0:
        return float("nan")
    observed = np.zeros((categories, categories))
    np.add.at(observed, (x, y), 1)
    observed /= observed.sum()
    expected = np.outer(observed.sum(axis=1), observed.sum(axis=0))
    i, j = np.indices((categories, categories))
    w = np.abs(i - j) / (categories - 1)
    if weights == "quadratic":
        w = w**2
    denominator = (w * expected).sum()
    if denominator == 0:
        return 1.0 if (w * observed).sum() == 0 else float("nan")
    return float(1 - (w * observed).sum() / denominator)


def peer_review(answers: pd.DataFrame, first: str, second: str) -> dict:
    """Compare two assessments (usually two assessors of one corridor).

    Returns a dict: `items` (item-level table with both answers and the difference), `agreement` (share of
    items both scored identically), `kappa` (linear-weighted Cohen's kappa on items both scored), `compared`
    (how many items both scored) and `to_discuss` (items they differ on most, including one "don't know").
    """
    scored = item_scores(answers[answers["assessment_id"].isin([first, second])])
    wide = scored.pivot(index="item_id", columns="assessment_id", values="answer")
    for col in (first, second):
        if col not in wide:
            raise KeyError(f"no answers for assessment {col!r}")
    items = item_facts().set_index("item_id")
    table = pd.DataFrame(
        {"theme_id": items["theme_id"], "question": items["question"], "first": wide[first], "second": wide[second]}
    ).reset_index()
    num = {c: float(c) for c in checklist.SCORED}
    a, b = table["first"].map(num), table["second"].map(num)
    both = a.notna() & b.notna()
    table["difference"] = (a - b).abs()
    one_scored = a.notna() ^ b.notna()
    neither_answered = table["first"].isna() & table["second"].isna()
    table["status"] = np.select(
        [both & table["difference"].eq(0), both, one_scored, neither_answered],
        ["agree", "differ", "one side unscored", "neither answered"],
        default="neither scored",  # both don't know / not applicable: a shared gap in information, not a dispute
    )
    kappa = weighted_kappa(a[both].astype(int), b[both].astype(int))
    agreement = float(table.loc[both, "difference"].eq(0).mean()) if both.any() else float("nan")
    discuss = table[(table["difference"] >= 2) | table["status"].eq("one side unscored")].copy()
    discuss["why"] = np.where(
        discuss["difference"] >= 2, "answers differ by two or more levels", "one assessor did not give a scored answer"
    )
    discuss = discuss.sort_values(["difference", "theme_id"], ascending=[False, True], na_position="last")
    return {
        "items": table,
        "agreement": agreement,
        "kappa": kappa,
        "compared": int(both.sum()),
        "to_discuss": discuss.reset_index(drop=True),
    }


def complementarity(answers: pd.DataFrame) -> pd.DataFrame:
    """Where one assessment is strong and another has a gap: (learner, peer, theme) rows.

    The raw material of peer matching: the peer scores STRENGTH_FROM or more where the learner scores under GAP_BELOW.
    """
    themes = theme_scores(answers)[["assessment_id", "theme_id", "theme_title", "score"]].dropna(subset=["score"])
    gaps = themes[themes["score"] < GAP_BELOW]
    strengths = themes[themes["score"] >= STRENGTH_FROM]
    pairs = gaps.merge(strengths, on=["theme_id", "theme_title"], suffixes=("_learner", "_peer"))
    pairs = pairs[pairs["assessment_id_learner"] != pairs["assessment_id_peer"]]
    pairs = pairs.rename(
        columns={
            "assessment_id_learner": "learner",
            "assessment_id_peer": "peer",
            "score_learner": "learner_score",
            "score_peer": "peer_score",
        }
    )
    pairs["difference"] = pairs["peer_score"] - pairs["learner_score"]
    return pairs.sort_values(["learner", "difference"], ascending=[True, False]).reset_index(drop=True)
