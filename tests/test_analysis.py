"""Scores, gaps, red lines, peer review and comparison, checked on hand-made assessments."""

from __future__ import annotations

import math

import pandas as pd
import pytest

import r2kit
from r2kit import analysis, checklist, samples


def assessment(code="T-1", answers=None, default=None):
    a = r2kit.Assessment.new("ABC-DEF", "Aldoria", "Norvania", code)
    if default is not None:
        for item in checklist.item_ids():
            a.set_answer(item, default)
    for item, value in (answers or {}).items():
        a.set_answer(item, value)
    return a


def theme_items(theme):
    return [i for i in checklist.item_ids() if i.startswith(f"C{theme:02d}.")]


def test_theme_score_is_the_mean_of_scored_items_and_dont_know_is_not_zero():
    t6 = theme_items(6)
    answers = {t6[0]: "3", t6[1]: "0", t6[2]: "dk"}
    themes = analysis.theme_scores(assessment(answers=answers).answers_frame()).set_index("theme_id")
    assert themes.loc[6, "score"] == pytest.approx(50.0)
    assert themes.loc[6, "dont_know"] == 1 and themes.loc[6, "answered"] == 2
    assert themes.loc[6, "coverage"] == pytest.approx(2 / len(t6))
    assert math.isnan(themes.loc[7, "score"])  # nothing answered: no score, not zero


def test_not_applicable_leaves_coverage_denominator():
    t1 = theme_items(1)
    answers = {t1[0]: "2"} | {i: "na" for i in t1[1:]}
    themes = analysis.theme_scores(assessment(answers=answers).answers_frame()).set_index("theme_id")
    assert themes.loc[1, "coverage"] == 1.0 and themes.loc[1, "score"] == pytest.approx(66.7)


def test_every_theme_weighs_the_same_in_phase_and_overall():
    a = assessment(default="3")
    for item in theme_items(1):
        a.set_answer(item, "0")
    phases = analysis.phase_scores(a.answers_frame()).set_index("phase")
    assert phases.loc["pre-return", "score"] == pytest.approx(100 * 6 / 7)
    assert analysis.overall(a.answers_frame())["score"].iloc[0] == pytest.approx(100 * 18 / 19)


def test_a_red_line_at_risk_is_never_averaged_away():
    red = checklist.items().query("red_line")["item_id"].tolist()
    a = assessment(default="3", answers={red[0]: "1"})
    answers = a.answers_frame()
    assert analysis.overall(answers)["score"].iloc[0] > 95
    rl = analysis.red_lines(answers).set_index("item_id")
    assert rl.loc[red[0], "status"] == "at risk" and (rl.drop(red[0])["status"] == "holds").all()
    gaps = analysis.priority_gaps(answers)
    theme = int(checklist.items().set_index("item_id").loc[red[0], "theme_id"])
    assert gaps.iloc[0]["theme_id"] == theme and "red line" in gaps.iloc[0]["reason"]


def test_unanswered_red_lines_are_unknown():
    rl = analysis.red_lines(assessment(answers={"C10.1": "2"}).answers_frame())
    assert set(rl["status"]) == {"unknown"}


def test_priority_gaps_are_lowest_scores_first_with_resources():
    a = assessment(default="3")
    for item in theme_items(18):
        a.set_answer(item, "0")
    for item in theme_items(12):
        a.set_answer(item, "1")
    gaps = analysis.gap_resources(a.answers_frame())
    assert gaps["theme_id"].tolist() == [18, 12]
    assert "France" in gaps.iloc[0]["practices"] and "Tunisia" in gaps.iloc[0]["practices"]
    assert gaps.iloc[0]["gcm_actions"]


def test_lens_scores_use_the_tagged_items():
    child = checklist.items()[checklist.items()["lenses"].map(lambda ls: "child-sensitive" in ls)]["item_id"]
    a = assessment(default="3", answers={i: "0" for i in child})
    lenses = analysis.lens_scores(a.answers_frame()).set_index("lens")
    assert lenses.loc["child-sensitive", "score"] == 0 and lenses.loc["human-rights", "score"] > 0


def test_weighted_kappa_known_values():
    assert analysis.weighted_kappa([0, 1, 2, 3], [0, 1, 2, 3]) == pytest.approx(1.0)
    # The same value computed independently from the definition, with pandas instead of numpy indexing.
    x, y = [0, 0, 1, 1, 2, 3], [0, 1, 1, 2, 2, 3]
    observed = pd.crosstab(pd.Series(x), pd.Series(y), normalize=True).reindex(
        index=range(4), columns=range(4), fill_value=0
    )
    expected = pd.DataFrame(
        [[a * b for b in observed.sum(axis=0)] for a in observed.sum(axis=1)], index=range(4), columns=range(4)
    )
    w = pd.DataFrame([[abs(i - j) / 3 for j in range(4)] for i in range(4)])
    manual = 1 - (w.values * observed.values).sum() / (w.values * expected.values).sum()
    assert analysis.weighted_kappa(x, y) == pytest.approx(manual)
    assert analysis.weighted_kappa([0, 3, 0, 3], [3, 0, 3, 0]) < 0


def test_peer_review_finds_the_items_to_discuss():
    one = assessment("A-1", default="2")
    two = assessment("B-2", default="2", answers={"C01.1": "0", "C05.1": "dk"})
    answers = analysis.answers_table([one, two])
    review = analysis.peer_review(answers, one.id, two.id)
    assert review["compared"] == len(checklist.item_ids()) - 1
    assert review["agreement"] == pytest.approx((review["compared"] - 1) / review["compared"])
    assert review["to_discuss"]["item_id"].tolist() == ["C01.1", "C05.1"]


def test_complementarity_pairs_gaps_with_strengths():
    weak = assessment("W-1", default="3", answers={i: "0" for i in theme_items(16)})
    strong = assessment("S-1", default="3")
    pairs = analysis.complementarity(analysis.answers_table([weak, strong]))
    assert pairs[["learner", "peer", "theme_id"]].values.tolist() == [[weak.id, strong.id, 16]]


def test_sample_corridors_differ_in_profile():
    answers = analysis.answers_table(samples.load_samples())
    profile = analysis.profiles(answers)
    assert profile.shape[1] == len(samples.sample_paths())
    phases = analysis.phase_scores(answers).pivot(index="assessment_id", columns="phase", values="score")
    assert phases["pre-return"].idxmax() != phases["post-return"].idxmax()


def test_a_blank_assessment_gives_empty_results_not_errors():
    blank = assessment().answers_frame()
    for name in (
        "theme_scores",
        "phase_scores",
        "lens_scores",
        "overall",
        "red_lines",
        "priority_gaps",
        "gap_resources",
    ):
        assert getattr(analysis, name)(blank).empty, name


def test_both_dont_know_is_a_shared_gap_not_a_dispute():
    one = assessment("A-1", default="2", answers={"C02.1": "dk"})
    two = assessment("B-2", default="2", answers={"C02.1": "dk"})
    review = analysis.peer_review(analysis.answers_table([one, two]), one.id, two.id)
    status = review["items"].set_index("item_id")["status"]
    assert status["C02.1"] == "neither scored" and review["to_discuss"].empty


def test_covid_guidance_shows_each_point_with_the_answer_to_its_item():
    a = assessment(answers={"C11.4": "3", "C06.5": "dk"})
    table = analysis.covid_guidance(a.answers_frame()).set_index("guidance")
    assert list(table.index) == [f"CV0{i}" for i in range(1, 8)]
    suspend = table.loc["CV01"]
    assert suspend["guidance point"] == "Suspend forced returns during the pandemic"
    assert (suspend["item_id"], suspend["answer label"], suspend["score"]) == (
        "C11.4",
        "In place and applied in practice",
        100.0,
    )
    assert table.loc["CV04", "answer label"] == "Don't know" and pd.isna(table.loc["CV04", "score"])
    assert table.loc["CV02", "answer label"] == "not yet answered" and pd.isna(table.loc["CV02", "score"])


# --- what a participant reads about their progress --------------------------------------------------------------


def test_after_one_answer_the_summary_says_too_few_answers_to_score():
    text = analysis.progress_text(assessment(answers={"C01.1": "3"}).answers_frame())
    assert "Overall score" not in text and "100 of 100" not in text
    assert "Too few answers for an overall score yet: 18 of 19 themes have no answer" in text
    assert "1 of 78 items answered" in text
    red = checklist.items().query("red_line")["item_id"]
    assert f"{len(red) - 1} not yet answered" in text  # unanswered red lines are not "holding"


def test_unanswered_red_lines_read_not_yet_answered_and_dont_know_reads_dont_know():
    red = checklist.items().query("red_line")["item_id"].tolist()
    rl = analysis.red_lines(assessment(answers={red[0]: "3", red[1]: "dk", red[2]: "1"}).answers_frame())
    words = analysis.red_line_status(rl).set_axis(rl["item_id"])
    assert (words[red[0]], words[red[1]], words[red[2]]) == ("holds", "don't know", "at risk")
    assert set(words.drop(red[:3])) == {"not yet answered"}


def test_a_complete_phase_is_scored_before_the_whole_corridor():
    pre = [i for i in checklist.item_ids() if int(i[1:3]) <= 7]
    row = analysis.progress(assessment(answers={i: "2" for i in pre}).answers_frame()).iloc[0]
    assert math.isnan(row["score"]) and row["pre-return"] == pytest.approx(66.7, abs=0.1)
    assert math.isnan(row["return"]) and row["themes_missing"] == 12
    assert "Scored so far: pre-return 67 of 100" in analysis.progress_text(
        assessment(answers={i: "2" for i in pre}).answers_frame()
    )


def test_a_theme_answered_not_applicable_does_not_hold_back_the_overall_score():
    a = assessment(default="2")
    for item in theme_items(11):
        a.set_answer(item, "na")
    row = analysis.progress(a.answers_frame()).iloc[0]
    assert row["themes_missing"] == 0 and row["score"] == pytest.approx(66.7, abs=0.1)


def test_counts_say_what_dont_know_is():
    a = assessment(default="2", answers={"C01.1": "dk", "C02.1": "na"})
    text = analysis.progress_text(a.answers_frame())
    assert "78 of 78 items answered: 76 on the 0-3 scale, 1 don't know, 1 not applicable" in text
    assert text.startswith("Overall score 67 of 100")


def test_gap_resources_read_as_words_not_codes():
    a = assessment(default="3", answers={i: "0" for i in theme_items(6)})
    row = analysis.gap_resources(a.answers_frame()).iloc[0]
    assert "Global" not in row["practices"]
    assert all(part.startswith("21(") and part.endswith(")") for part in row["gcm_actions"].split(", "))
