"""Gap analysis of checklist self-assessments: pure functions, tidy DataFrame in, DataFrame out.

The method (docs/method.md) in short:
- each answer scores 0, 33.3, 66.7 or 100; "don't know" and "not applicable" have no score and are not zeros;
- a theme's score is the mean of its scored items; a phase's and the overall score are means of theme scores,
  so every theme weighs the same whatever its number of items; a lens score is the mean of its items;
- coverage is the share of applicable items answered on the 0-3 scale;
- red lines are reported item by item and never averaged away: a red line is "at risk" unless it is in place
  and applied in practice (3), "unknown" when not answered or answered "don't know";
- priority gaps: themes with a red line at risk first, then themes by score, lowest first.

Every function takes `answers`: a tidy table with columns assessment_id, item_id, answer (one row per answer),
as made by `answers_table` from Assessment objects, or read from a file or database.
"""

from __future__ import annotations

from collections.abc import Iterable

import numpy as np
import pandas as pd

from . import checklist, data

GAP_BELOW = 50.0  # a theme scoring under this is a gap
STRENGTH_FROM = 75.0  # a theme scoring this or more is a strength a peer can share
RED_LINE_HOLDS = "3"  # only "in place and applied in practice" holds an absolute obligation


def answers_table(assessments: Iterable) -> pd.DataFrame:
    """Stack Assessment objects into one tidy answers table."""
    frames = [a.answers_frame() for a in assessments]
    if not frames:
        return pd.DataFrame(columns=["assessment_id", "corridor_id", "item_id", "answer", "evidence", "confidence"])
    return pd.concat(frames, ignore_index=True)


def _items() -> pd.DataFrame:
    return checklist.items()[["item_id", "theme_id", "theme_title", "phase", "red_line", "lenses", "question"]]


def item_scores(answers: pd.DataFrame) -> pd.DataFrame:
    """Every checklist item for every assessment, with its answer (or none), score and theme.

    Items an assessment left out appear with answer NaN, so coverage and red lines see them.
    """
    ids = pd.Index(answers["assessment_id"].unique(), name="assessment_id")
    items = _items()
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


# --- peer review ---------------------------------------------------------------------------------------------


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
    items = _items().set_index("item_id")
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


# --- several assessments -------------------------------------------------------------------------------------


def profiles(answers: pd.DataFrame) -> pd.DataFrame:
    """Theme scores as a matrix: one row per theme, one column per assessment."""
    themes = theme_scores(answers)
    return themes.pivot(index="theme_id", columns="assessment_id", values="score")


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
