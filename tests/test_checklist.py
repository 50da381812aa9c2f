"""The checklist item bank covers what the sources ask for, with red lines for the absolute obligations."""

from __future__ import annotations

import r2kit
from r2kit import checklist

ITEMS = checklist.items()


def test_at_least_three_items_for_every_theme():
    per_theme = ITEMS.groupby("theme_id").size()
    assert set(per_theme.index) == set(range(1, 20)) and per_theme.min() >= 3


def test_every_principle_and_action_is_the_basis_of_an_item():
    principles = {p for ids in ITEMS["principle_ids"] for p in ids}
    actions = {a for ids in ITEMS["action_ids"] for a in ids}
    assert {f"CP{i:02d}" for i in range(1, 16)} <= principles
    assert {f"CV{i:02d}" for i in range(1, 8)} <= principles
    assert set("abcdefghi") <= actions
    assert (ITEMS["principle_ids"].map(len) + ITEMS["action_ids"].map(len)).gt(0).all()


def test_child_sensitive_and_gender_responsive_items_are_tagged():
    lenses = ITEMS["lenses"]
    assert lenses.map(lambda ls: "child-sensitive" in ls).sum() >= 4
    assert lenses.map(lambda ls: "gender-responsive" in ls).sum() >= 4
    children = ITEMS[ITEMS["question"].str.contains(r"\bchild", case=False)]
    assert children["lenses"].map(lambda ls: "child-sensitive" in ls).all()


def test_red_lines_cover_the_absolute_obligations():
    red = ITEMS[ITEMS["red_line"]]
    assert red["red_line_basis"].notna().all() and ITEMS[~ITEMS["red_line"]]["red_line_basis"].isna().all()
    text = " ".join(red["question"] + " " + red["red_line_basis"]).lower()
    for obligation in ("refoulement", "collective", "best interests", "detention", "threat"):
        assert obligation in text, obligation
    assert 5 <= len(red) <= 8


def test_answer_scale_dont_know_and_not_applicable_are_not_zeros():
    scale = r2kit.load("answer_scale").set_index("answer_code")
    assert scale.loc[["0", "1", "2", "3"], "score"].tolist() == [0, 33.3, 66.7, 100]
    assert scale.loc[["dk", "na"], "score"].isna().all()
    assert not scale.loc[["dk", "na"], "counts_as_answered"].any()


def test_questions_are_phrased_for_self_assessment_not_grading():
    words = ("grade", "rank", "score card", "fail", "violat")
    for question in ITEMS["question"].str.lower():
        assert not any(w in question for w in words), question
