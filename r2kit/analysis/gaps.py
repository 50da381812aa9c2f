"""Priority gaps and what speaks to them: documented practices, GCM actions, SDG targets, COVID-19 guidance."""

from __future__ import annotations

from collections.abc import Iterable

import pandas as pd

from .. import checklist, data
from .scores import GAP_BELOW, theme_scores


def priority_gaps(answers: pd.DataFrame, top: int = 5) -> pd.DataFrame:
    """The `top` priority themes per assessment: red lines at risk first, then lowest score, then lowest coverage."""
    themes = theme_scores(answers)
    themes = themes[themes["score"].notna() & ((themes["score"] < GAP_BELOW) | (themes["red_lines_at_risk"] > 0))]
    themes = themes.sort_values(
        ["assessment_id", "red_lines_at_risk", "score", "coverage"], ascending=[True, False, True, True], kind="stable"
    )
    out = themes.groupby("assessment_id", sort=False).head(top).copy()
    out["rank"] = out.groupby("assessment_id").cumcount() + 1
    out["reason"] = [
        f"{int(n)} red line{'s' if n > 1 else ''} at risk" if n > 0 else f"score {score:.0f} of 100"
        for n, score in zip(out["red_lines_at_risk"], out["score"], strict=True)
    ]
    return out[
        [
            "assessment_id",
            "rank",
            "theme_id",
            "theme_title",
            "phase",
            "score",
            "gap",
            "coverage",
            "red_lines_at_risk",
            "reason",
        ]
    ].reset_index(drop=True)


def practices_for(theme_ids: Iterable[int]) -> pd.DataFrame:
    """Practices from the knowledge base that speak to any of `theme_ids`, one row per (theme, practice)."""
    wanted = [int(t) for t in theme_ids]
    practices = data.load("practices").explode("theme_ids").rename(columns={"theme_ids": "theme_id"})
    practices["theme_id"] = practices["theme_id"].astype(int)
    out = practices[practices["theme_id"].isin(wanted)]
    return out[
        [
            "theme_id",
            "practice_id",
            "country",
            "iso3",
            "region",
            "title",
            "summary",
            "figures",
            "status",
            "source_section",
        ]
    ].reset_index(drop=True)


def links_for(theme_ids: Iterable[int]) -> pd.DataFrame:
    """The GCM actions, SDG targets and principles that `theme_ids` touch, via the crosswalk."""
    wanted = [int(t) for t in theme_ids]
    cw = data.load("crosswalk")
    cw = cw[cw["theme_id"].isin(wanted)].copy()
    cw["target_id"] = cw["principle_id"].fillna(cw["action_id"]).fillna(cw["sdg_target"])
    titles = pd.concat(
        [
            data.load("principles")[["principle_id", "title"]].rename(columns={"principle_id": "target_id"}),
            data.load("gcm_actions")[["action_id", "title"]].rename(columns={"action_id": "target_id"}),
            data.load("sdg_targets")[["target_id", "summary"]].rename(columns={"summary": "title"}),
        ]
    )
    cw = cw.merge(titles, on="target_id", how="left")
    return cw[["theme_id", "link_type", "target_id", "title", "basis"]].reset_index(drop=True)


def gap_resources(answers: pd.DataFrame, top: int = 5) -> pd.DataFrame:
    """For each priority gap: the practices that speak to it and the actions/targets it touches, as text lists.

    Practices read "P19 Albania; P28 (global)"; GCM actions are Objective 21's actions, "21(b), 21(g)".
    """
    gaps = priority_gaps(answers, top)
    practices = practices_for(gaps["theme_id"].unique())
    links = links_for(gaps["theme_id"].unique())
    where = practices["country"].where(practices["country"] != "Global", "(global)")
    labels = practices["practice_id"] + " " + where
    pr = labels.groupby(practices["theme_id"]).agg("; ".join)
    actions = links[links["link_type"] == "gcm_action"]
    act = actions.groupby("theme_id")["target_id"].agg(lambda ids: ", ".join(f"21({a})" for a in sorted(ids)))
    sdg = links[links["link_type"] == "sdg_target"].groupby("theme_id")["target_id"].agg(", ".join)
    gaps["practices"] = [pr.get(t, "no documented practice in the Mapping") for t in gaps["theme_id"]]
    gaps["gcm_actions"] = [act.get(t, "") for t in gaps["theme_id"]]
    gaps["sdg_targets"] = [sdg.get(t, "") for t in gaps["theme_id"]]
    return gaps


def covid_guidance(answers: pd.DataFrame) -> pd.DataFrame:
    """Each point of the Common Position's COVID-19 guidance with the checklist items based on it, for one assessment.

    One row per guidance point and item: guidance, guidance point, item_id, question, answer label (its label, or
    "not yet answered") and score (NaN for an item not answered, "don't know" or "not applicable").
    """
    p = data.load("principles")
    guidance = p[p["principle_set"] == "covid19_guidance"][["principle_id", "title"]]
    items = checklist.items().explode("principle_ids")
    items = items[items["principle_ids"].isin(guidance["principle_id"])]
    given = answers.set_index("item_id")["answer"]
    items = items.assign(answer=items["item_id"].map(given))
    items["answer label"] = items["answer"].map(lambda c: checklist.label_of(c) if pd.notna(c) else "not yet answered")
    items["score"] = items["answer"].map(checklist.score_of())
    out = guidance.merge(
        items[["principle_ids", "item_id", "question", "answer label", "score"]],
        left_on="principle_id",
        right_on="principle_ids",
        how="left",
    ).drop(columns=["principle_ids"])
    return out.rename(columns={"principle_id": "guidance", "title": "guidance point"})
