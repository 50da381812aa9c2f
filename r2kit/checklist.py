"""The checklist item bank and its answer scale, with the phase and lenses each item belongs to."""

from __future__ import annotations

from functools import lru_cache

import pandas as pd

from . import data

PHASES = ["pre-return", "return", "post-return"]
LENSES = ["human-rights", "gender-responsive", "child-sensitive", "covid-19"]
SCORED = ["0", "1", "2", "3"]
UNSCORED = ["dk", "na"]


def items() -> pd.DataFrame:
    """The item bank with each item's theme title and phase joined in (one row per item)."""
    themes = data.load("themes")[["theme_id", "phase", "title"]].rename(columns={"title": "theme_title"})
    return data.load("checklist").merge(themes, on="theme_id", how="left", validate="many_to_one")


def answer_scale() -> pd.DataFrame:
    """The answer levels: code, label, meaning, score (empty for don't know / not applicable)."""
    return data.load("answer_scale")


@lru_cache(maxsize=1)
def item_ids() -> tuple[str, ...]:
    """All item ids in bank order."""
    return tuple(data.load("checklist")["item_id"])


@lru_cache(maxsize=1)
def answer_codes() -> tuple[str, ...]:
    """All answer codes in scale order."""
    return tuple(data.load("answer_scale")["answer_code"])


@lru_cache(maxsize=1)
def score_of() -> dict[str, float]:
    """Answer code -> score on 0-100; don't know and not applicable map to NaN."""
    scale = data.load("answer_scale")
    return {
        code: (float(s) if pd.notna(s) else float("nan"))
        for code, s in zip(scale["answer_code"], scale["score"], strict=True)
    }


@lru_cache(maxsize=1)
def _labels() -> dict[str, str]:
    scale = data.load("answer_scale")
    return dict(zip(scale["answer_code"], scale["label"], strict=True))


def label_of(code: str) -> str:
    """The participant-facing label of an answer code."""
    return _labels()[code]
